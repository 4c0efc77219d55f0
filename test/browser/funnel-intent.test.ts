// The shop's model learns the funnel, in headless Chromium: simulated devices of the synthetic funnel shop
// (sim/funnelPopulation.ts) report through the SDK's own encoding, the collector's retrain fits the update and
// publishes it signed, the way a shop runs it; a page that pins the shop's key (data-pack-key) loads it, and a
// shopper's intent rises once an item is in the cart. With the shipped pack (no cart data) it does not.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { retrainedPackWriter } from '../../collector/learn/retrainedPackWriter'
import { generatePackKeys } from '../../collector/packs/signingKey'
import { privateRetrain, scoredSessions, shippedSessionPack } from '../../sim/funnel'
import { browseThreeProducts, probes, useHarness, waitForSeglet } from './helpers'

/** Devices that report before the page loads the update (the simulation's goal is measured at 100,000). */
const DEVICES = 30_000
/**
 * One clock for the training and the pages: a Monday afternoon in June, local time. The session features include
 * the calendar, so a shopper's intent before the cart depends on the day the test runs: in December it is under
 * 1%, where the same rise of 1.7 units of log-odds is under three points of probability; in June it is 2.3%. The
 * clock keeps running from here.
 */
const NOW = new Date(2026, 5, 15, 14, 0, 0).getTime()

const root = mkdtempSync(join(tmpdir(), 'seglet-funnel-'))
const site = join(root, 'site')
const h = useHarness({ server: () => ({ mounts: { '/seglet/': site } }) })
afterAll(() => rmSync(root, { recursive: true, force: true }))

interface SegmentSeen {
  intent: number
  coldStart: boolean
  decidedAt: number
  funnel?: { productsAdded: number; inIntent: boolean }
}
type SegletWindow = {
  Seglet: { track(e: unknown): void; flush(): Promise<void>; getSegment(): SegmentSeen | null; explain(): Array<{ feature: string; text: string }> }
}

let packKey = ''
let published = ''

beforeAll(async () => {
  const keys = await generatePackKeys(join(root, 'keys'))
  packKey = keys.packKey
  const prior = shippedSessionPack()
  const result = await privateRetrain(prior, scoredSessions(prior, 0, DEVICES, 11), {
    epsilon: 2, seed: 11, learnShare: 1, now: NOW,
    writePack: retrainedPackWriter({ publishDir: site, key: keys.privateKeyFile, out: join(root, 'unsigned.json') }),
  })
  expect(result.status).toBe('published')
  published = result.pack.version
}, 300_000)

/** Three product pages, then an item added to the cart: the segment's intent before and after. */
async function shop(attrs: Record<string, string>): Promise<{ page: Page; before: SegmentSeen; after: SegmentSeen }> {
  const page = await h.newPage()
  await page.clock.setSystemTime(NOW)
  await page.goto(h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted', autocapture: 'false', 'model-loading': 'eager', ...attrs })))
  await waitForSeglet(page)
  await browseThreeProducts(page)
  await page.waitForFunction(() => {
    const segment = (window as unknown as SegletWindow).Seglet.getSegment()
    return segment !== null && !segment.coldStart
  }, undefined, { timeout: 30_000 })
  const before = await page.evaluate(() => (window as unknown as SegletWindow).Seglet.getSegment()!)
  await page.evaluate(() => {
    const { Seglet } = window as unknown as SegletWindow
    Seglet.track({ type: 'add_to_cart', productId: 'p2', quantity: 1, price: 35, currency: 'EUR' })
    return Seglet.flush()
  })
  // A decision after the cart, if the pack has anything to decide differently (else the segment stays).
  await page.waitForFunction((at) => (window as unknown as SegletWindow).Seglet.getSegment()!.decidedAt > at, before.decidedAt, { timeout: 5000 }).catch(() => undefined)
  const after = await page.evaluate(() => (window as unknown as SegletWindow).Seglet.getSegment()!)
  return { page, before, after }
}

const logit = (p: number) => Math.log(p / (1 - p))

describe('intent with the pack private training updated', () => {
  it('rises once an item is in the cart, names the correction in explain(), and was loaded signed', async () => {
    const { page, before, after } = await shop({ 'pack-key': packKey })
    expect(h.serverRequests).toContain('/seglet/packs.manifest')
    expect(h.serverRequests).toContain('/seglet/session-v1.json')
    expect(published).toMatch(/\+r\d{8}$/)
    expect(after.funnel).toMatchObject({ productsAdded: 1, inIntent: true })
    // A clear rise: at least one unit of log-odds and five points of probability.
    expect(logit(after.intent) - logit(before.intent)).toBeGreaterThan(1)
    expect(after.intent - before.intent).toBeGreaterThan(0.05)
    const reasons = await page.evaluate(() => (window as unknown as SegletWindow).Seglet.explain())
    // The reason names the correction and ends at the intent the page got (the terms that moved it most may
    // be the cart's or the checkout's: both tables are fitted together).
    const text = reasons.find((r) => r.feature === 'intent_correction')?.text ?? ''
    expect(text).toMatch(/^learned from this shop's visits \(in private\): .+ (raises|lowers) the chance of buying from \d+% to \d+%$/)
    expect(text.endsWith(`to ${Math.round(after.intent * 100)}%`)).toBe(true)
    expect((await probes(page)).errors).toEqual([])
    await page.close()
  })

  it('does not move with the shipped pack, which learned from data without cart events', async () => {
    const { page, before, after } = await shop({})
    expect(h.serverRequests.some((url) => url.startsWith('/seglet/'))).toBe(false)
    expect(after.funnel?.inIntent ?? false).toBe(false)
    expect(after.intent).toBeCloseTo(before.intent, 6)
    expect((await probes(page)).errors).toEqual([])
    await page.close()
  })
})
