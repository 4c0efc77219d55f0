// The report path through createSeglet(): decisions record their session, the next visit reports it once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import { createSeglet } from '../core'
import type { Seglet, SegletOptions } from '../core'
import { PANEL_TAG } from '../personalize/panel'
import { LEDGER_META_KEY } from './ledger'
import { installFakeLocks } from './testing/fakeLocks'
import { parseReport } from './parseReport'
import { SESSIONS_META_KEY } from './sessionRecord'

const HOUR = 3_600_000
let n = 0
let running: Seglet[] = []
let fetchMock: ReturnType<typeof vi.fn>

const start = (dbName: string, options: SegletOptions = {}) => {
  const errors: SegletError[] = []
  const seglet = createSeglet({
    consent: 'granted',
    storage: { dbName },
    capture: { autocapture: false },
    reports: { endpoint: '/seglet/reports' },
    onError: (e) => errors.push(e),
    ...options,
  })
  running.push(seglet)
  return { seglet, errors }
}

const until = async (check: () => Promise<boolean> | boolean, timeout = 10_000) => {
  const end = Date.now() + timeout
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A first visit three hours ago: three product pages with keys and an order; its decision is recorded. */
async function earlierVisit(dbName: string, options: SegletOptions = {}) {
  const realNow = Date.now()
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow - 3 * HOUR)
  const { seglet, errors } = start(dbName, options)
  for (const key of ['home', 'product/mug', 'cart']) {
    seglet.track({ type: 'page_view', url: `/p/${key}`, pageType: 'product', pageKey: key })
    seglet.track({ type: 'engagement', url: `/p/${key}`, pageType: 'product', visibleMs: 40_000, scrollDepth: 0.9 })
  }
  seglet.track({ type: 'purchase', orderId: 'order-secret-1', value: 80, currency: 'EUR', items: [{ productId: 'sku-secret', quantity: 1, price: 80 }] })
  await seglet.flush()
  await until(async () => Array.isArray((await seglet.exportData()).meta[SESSIONS_META_KEY]))
  const segment = seglet.getSegment()
  await seglet.destroy()
  spy.mockRestore()
  return { segment, errors }
}

let removeLocks = () => {}
beforeEach(() => {
  fetchMock = vi.fn(async () => new Response(null, { status: 204 }))
  removeLocks = installFakeLocks()
  vi.stubGlobal('fetch', fetchMock)
  document.documentElement.className = ''
  document.documentElement.removeAttribute('data-seglet-segment')
})
afterEach(async () => {
  removeLocks()
  for (const seglet of running) await seglet.destroy()
  running = []
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('reports through createSeglet()', () => {
  it('records the visit\'s decision with its arm (holdout: nothing on the page), and the next visit reports it once', async () => {
    const db = `int-${++n}`
    const first = await earlierVisit(db, { personalize: { holdout: 1 } })
    expect(first.segment).toMatchObject({ arm: 'holdout' })
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect(fetchMock).not.toHaveBeenCalled()

    const { seglet, errors } = start(db, { personalize: { holdout: 1 } })
    await until(() => fetchMock.mock.calls.length > 0)
    const body = JSON.parse(String((fetchMock.mock.calls[0][1] as RequestInit).body))
    expect(parseReport(body)).toMatchObject({ packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4, epsilon: 2 })
    const meta = (await seglet.exportData()).meta
    expect(meta[LEDGER_META_KEY]).toMatchObject({ last: { epsilon: 2 } })
    expect(errors).toEqual([])

    // Another page the same day sends nothing.
    await seglet.destroy()
    start(db)
    await new Promise((r) => setTimeout(r, 300))
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('reports a first visit of one page (a bounce, no decision recorded) on the next visit, as a cold start', async () => {
    const db = `int-${++n}`
    const realNow = Date.now()
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow - 3 * HOUR)
    const first = start(db)
    first.seglet.track({ type: 'page_view', url: '/p/home', pageType: 'home', pageKey: 'home' })
    first.seglet.track({ type: 'engagement', url: '/p/home', pageType: 'home', visibleMs: 8_000, scrollDepth: 0.3 })
    await first.seglet.flush()
    await until(() => first.seglet.getSegment() !== null)
    expect(first.seglet.getSegment()).toMatchObject({ coldStart: true })
    const meta = (await first.seglet.exportData()).meta
    expect(meta[SESSIONS_META_KEY]).toBeUndefined()
    await first.seglet.destroy()
    spy.mockRestore()

    const { seglet, errors } = start(db)
    await until(() => fetchMock.mock.calls.length > 0)
    const body = JSON.parse(String((fetchMock.mock.calls[0][1] as RequestInit).body))
    expect(parseReport(body)).toMatchObject({ packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4, epsilon: 2 })
    expect((await seglet.exportData()).meta[LEDGER_META_KEY]).toMatchObject({ last: { epsilon: 2 } })
    expect(errors).toEqual([])
  })

  it('does not report a session without a recorded decision against the shipped packs when the shop uses its own', async () => {
    const db = `int-${++n}`
    const realNow = Date.now()
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow - 3 * HOUR)
    const own = { model: { enabled: false, sessionPackUrl: '/models/session.json', sessionPackIntegrity: 'sha256-AAAA' } }
    const first = start(db, own)
    first.seglet.track({ type: 'page_view', url: '/p/home', pageType: 'home', pageKey: 'home' })
    await first.seglet.flush()
    await first.seglet.destroy()
    spy.mockRestore()
    start(db, own)
    await new Promise((r) => setTimeout(r, 300))
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('sends nothing while consent is pending, and nothing after consent is withdrawn', async () => {
    const db = `int-${++n}`
    await earlierVisit(db)
    const pending = start(db, { consent: 'pending' })
    await new Promise((r) => setTimeout(r, 300))
    await pending.seglet.destroy()
    const withdrawn = start(db)
    await withdrawn.seglet.setConsent('denied')
    await new Promise((r) => setTimeout(r, 300))
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it("tells the shopper, in this tab's panel and in another tab's, that a report whose send failed was not delivered", async () => {
    const db = `int-${++n}`
    await earlierVisit(db)
    // The collector refuses it (a network error is told as not confirmed: the shop may have it).
    fetchMock.mockImplementation(async () => new Response('{"error":"report_invalid"}', { status: 400 }))
    const reportsText = () => [...document.querySelectorAll(PANEL_TAG)].map((panel) => panel.shadowRoot?.querySelector('.reports')?.textContent ?? '')
    const { seglet, errors } = start(db)
    await until(() => errors.length > 0)
    expect(errors.map((e) => e.code)).toEqual(['report_failed'])
    seglet.showPanel()
    await expect.poll(reportsText, { timeout: 10_000 }).toEqual([expect.stringContaining('Last report')])
    expect(reportsText()[0]).toMatch(/Last reportprepared on .+, about a visit on .+, but it could not be delivered; no other report is sent that day/)
    expect(reportsText()[0]).not.toContain('sent on')
    // The day's budget stays spent all the same: another tab opened meanwhile sends nothing, and its panel tells the same.
    const other = start(db)
    other.seglet.showPanel()
    await expect.poll(() => reportsText().length, { timeout: 10_000 }).toBe(2)
    await expect.poll(() => reportsText()[1], { timeout: 10_000 }).toContain('could not be delivered')
    expect(reportsText()[1]).toContain('ε 2 of 2 spent today')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(other.errors).toEqual([])
  })

  it('reports an endpoint on another origin once through onError and sends nothing', async () => {
    const db = `int-${++n}`
    await earlierVisit(db)
    const { errors } = start(db, { reports: { endpoint: 'https://collector.example/seglet/reports' } })
    await until(() => errors.length > 0)
    expect(errors.map((e) => e.code)).toEqual(['report_origin'])
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
