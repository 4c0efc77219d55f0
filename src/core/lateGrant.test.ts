import { openDB } from 'idb'
import { afterEach, describe, expect, it } from 'vitest'
import type { SegletError } from '../errors'
import type { Segment } from '../segments'
import { DAY_MS } from '../lib/time'
import { createSeglet } from './index'
import type { Seglet, SegletOptions } from './createSeglet'

// A returning shopper's page that starts with consent pending decides from its own events only
// (`segmentWithoutConsent`); once the shop's consent manager grants consent, the stored history is the page's to
// read, the segment an earlier page stored included: from then on the page decides as one that started granted.

let running: Seglet[] = []
let n = 0
const start = (options: SegletOptions) => {
  const errors: SegletError[] = []
  const seglet = createSeglet({ capture: { autocapture: false }, onError: (e) => errors.push(e), ...options })
  running.push(seglet)
  return { seglet, errors }
}

const stop = async (seglet: Seglet) => {
  await seglet.destroy()
  running = running.filter((s) => s !== seglet)
}

const pages = (seglet: Seglet, count: number, seconds: number, from = 0) => {
  for (let i = from; i < from + count; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: seconds * 1000, scrollDepth: 0.6 })
  }
}

const storedSegment = async (dbName: string) => {
  const db = await openDB(dbName)
  const segment = (await db.get('meta', 'segment')) as Segment | undefined
  db.close()
  return segment
}

/**
 * An earlier visit two days ago, consent granted: fourteen product pages of 40 s each, a session of the segment
 * the returning shopper comes back with (its id is returned).
 */
async function visitedTwoDaysAgo(dbName: string): Promise<string> {
  const { seglet, errors } = start({ consent: 'granted', storage: { dbName } })
  pages(seglet, 14, 40)
  await seglet.flush()
  await expect.poll(() => seglet.getSegment()?.coldStart, { timeout: 10_000 }).toBe(false)
  // Its segment is stored by the decision, after it is shown.
  await expect.poll(async () => (await storedSegment(dbName))?.id, { timeout: 5000 }).toBe(seglet.getSegment()!.id)
  expect(errors).toEqual([])
  await stop(seglet)
  const db = await openDB(dbName)
  for (const event of await db.getAll('events')) await db.put('events', { ...event, ts: event.ts - 2 * DAY_MS })
  const segment = (await db.get('meta', 'segment')) as Segment
  await db.put('meta', { ...segment, decidedAt: segment.decidedAt - 2 * DAY_MS, expiresAt: segment.expiresAt! - 2 * DAY_MS }, 'segment')
  db.close()
  return segment.id
}

/** The segment of the decision after `decidedAt`. */
const decidedAfter = async (seglet: Seglet, decidedAt: number) => {
  await expect.poll(() => seglet.getSegment()?.decidedAt ?? 0, { timeout: 10_000 }).toBeGreaterThan(decidedAt)
  return seglet.getSegment()!
}

afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  document.documentElement.className = ''
  document.documentElement.removeAttribute('data-seglet-segment')
})

describe('consent granted after the page decided without it', () => {
  it("a returning shopper's landing page (model loaded eagerly): the segment of the last visit, as on a page granted at start, and it stays stored", async () => {
    const dbName = `late-grant-landing-${++n}`
    const last = await visitedTwoDaysAgo(dbName)

    // Granted at start, the same history and page view: the last visit's segment beats the default.
    const grantedDb = `late-grant-landing-granted-${n}`
    expect(await visitedTwoDaysAgo(grantedDb)).toBe(last)
    const granted = start({ consent: 'granted', storage: { dbName: grantedDb }, model: { loading: 'eager' } })
    pages(granted.seglet, 1, 5, 20)
    await granted.seglet.flush()
    // The restored segment first, then the model part's decision.
    await expect.poll(() => granted.seglet.getSegment()?.decidedAt ?? 0, { timeout: 10_000 }).toBeGreaterThan(Date.now() - DAY_MS)
    expect(granted.seglet.getSegment()).toMatchObject({ id: last, coldStart: false })
    await stop(granted.seglet)

    // Pending at start: one page view of its own is the cold-start default.
    const { seglet, errors } = start({ consent: 'pending', segmentWithoutConsent: true, storage: { dbName }, model: { loading: 'eager' } })
    pages(seglet, 1, 5, 20)
    await seglet.flush()
    await expect.poll(() => seglet.getSegment()?.coldStart, { timeout: 10_000 }).toBe(true)
    await seglet.setConsent('granted')
    await expect.poll(() => seglet.getSegment()?.id, { timeout: 10_000 }).toBe(last)
    expect(seglet.getSegment()).toMatchObject({ coldStart: false })
    expect(document.documentElement.getAttribute('data-seglet-segment')).toBe(last)
    // Confirmed by this page (written again: a day had passed), not replaced by the cold-start default.
    await expect.poll(async () => (await storedSegment(dbName))?.decidedAt ?? 0, { timeout: 10_000 }).toBeGreaterThan(Date.now() - DAY_MS)
    expect((await storedSegment(dbName))?.id).toBe(last)
    expect(errors).toEqual([])
  })

  it('a returning shopper who browsed on before the grant: the last visit\'s segment holds until a challenger wins twice in a row, as on a page granted at start', async () => {
    const dbName = `late-grant-hysteresis-${++n}`
    const last = await visitedTwoDaysAgo(dbName)
    const grantedDb = `late-grant-hysteresis-granted-${n}`
    expect(await visitedTwoDaysAgo(grantedDb)).toBe(last)

    const { seglet, errors } = start({ consent: 'pending', segmentWithoutConsent: true, storage: { dbName } })
    const granted = start({ consent: 'granted', storage: { dbName: grantedDb } })
    // Two brief pages: decided from this page's events only, another segment than the last visit's.
    pages(seglet, 2, 2, 20)
    await seglet.flush()
    await expect.poll(() => seglet.getSegment()?.coldStart, { timeout: 10_000 }).toBe(false)
    const pending = seglet.getSegment()!
    expect(pending.id).not.toBe(last)
    // Granted at start, the same pages: the challenger has won once, the last visit's segment holds.
    pages(granted.seglet, 2, 2, 20)
    await granted.seglet.flush()
    await expect.poll(() => granted.seglet.getSegment()?.decidedAt ?? 0, { timeout: 10_000 }).toBeGreaterThan(Date.now() - DAY_MS)
    expect(granted.seglet.getSegment()?.id).toBe(last)

    await seglet.setConsent('granted')
    // The first decision with the stored history: so it is here.
    await expect.poll(() => seglet.getSegment()?.id, { timeout: 10_000 }).toBe(last)
    // The challenger wins again on the next page: it takes over on both.
    for (const page of [seglet, granted.seglet]) {
      const held = page.getSegment()!.decidedAt
      pages(page, 1, 2, 22)
      await page.flush()
      expect((await decidedAfter(page, held)).id).toBe(pending.id)
    }
    expect(errors).toEqual([])
    expect(granted.errors).toEqual([])
  })
})
