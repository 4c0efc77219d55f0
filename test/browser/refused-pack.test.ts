// A returning shopper's page whose hash-pinned session pack is refused (data-pack-integrity does not match the file):
// it makes no model decision and does not fall back to the shipped pack, so the segment restored from the last
// page stays, as restored, with the intent that page's pack decided (here corrected by private training). Every hook
// shows that one segment; explain() has nothing to explain (explanations are not stored) and the panel says what the
// segment rests on, not that the shopper did nothing.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { ModelPack } from '../../src/pack/types'
import { identityCorrection } from '../../src/reports/learn/correction'
import { browseThreeProducts, expectHooksMatch, probes, readDb, readHooks, readPanel, useHarness, waitForSeglet, type SegmentLike } from './helpers'

const h = useHarness()
const tagPage = (attrs: Record<string, string>) =>
  h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted', autocapture: 'false', 'model-loading': 'eager', ...attrs }))

type SegletWindow = { Seglet: { track(e: unknown): void; flush(): Promise<void>; getSegment(): (SegmentLike & { restored?: boolean }) | null; explain(): { feature: string }[]; showPanel(): void } }

const segmentOf = (page: Page) => page.evaluate(() => (window as unknown as SegletWindow).Seglet.getSegment())

describe('a returning shopper whose session pack is refused', () => {
  it('keeps the restored segment and its corrected intent on every hook, makes no decision, and the panel says what it rests on', async () => {
    // The shipped session pack as private training would update it: a correction that lowers every intent.
    const shipped = JSON.parse(await readFile(new URL('../../src/models/session.json', import.meta.url), 'utf8')) as ModelPack
    const correction = identityCorrection()
    correction.views.withStats.shift = correction.views.withoutStats.shift = -0.5
    const packText = JSON.stringify({ ...shipped, version: '1.0.0+r20261206', intentCorrection: correction })
    const integrity = 'sha256-' + createHash('sha256').update(packText).digest('base64')
    const wrong = 'sha256-' + createHash('sha256').update('another file').digest('base64')
    await h.context.route('**/shop-packs/**', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: packText }))
    try {
      // The last page: decided with the shop's pack, its correction named.
      const page = await h.newPage()
      await page.goto(tagPage({ 'pack-url': '/shop-packs/session.json', 'pack-integrity': integrity }))
      await waitForSeglet(page)
      await browseThreeProducts(page)
      await page.waitForFunction(() => (window as unknown as SegletWindow).Seglet.getSegment()?.coldStart === false, undefined, { timeout: 30_000 })
      const decided = (await segmentOf(page))!
      expect(await page.evaluate(() => (window as unknown as SegletWindow).Seglet.explain().map((r) => r.feature))).toContain('intent_correction')
      await expect.poll(async () => ((await readDb(page)).meta.segment as { decidedAt?: number } | undefined)?.decidedAt).toBe(decided.decidedAt)
      await page.close()

      // This page pins the pack with a hash the file does not have.
      const refused = await h.newPage()
      await refused.goto(tagPage({ 'pack-url': '/shop-packs/session.json', 'pack-integrity': wrong }))
      await waitForSeglet(refused)
      await expect.poll(async () => (await probes(refused)).errors.map((e) => e.code)).toEqual(['pack_integrity'])
      await browseThreeProducts(refused)
      await refused.waitForTimeout(2000)
      const hooks = await readHooks(refused)
      expectHooksMatch(hooks)
      expect(hooks.segment).toMatchObject({ id: decided.id, intent: decided.intent, decidedAt: decided.decidedAt, restored: true, reasons: [] })
      // One seglet:segment event (and onSegment call, which fires with it): the restored segment's, nothing after.
      expect((await probes(refused)).segments.map((s) => [s.id, s.intent, (s as { restored?: boolean }).restored])).toEqual([[decided.id, decided.intent, true]])
      expect(await refused.evaluate(() => (window as unknown as SegletWindow).Seglet.explain())).toEqual([])
      await refused.evaluate(() => (window as unknown as SegletWindow).Seglet.showPanel())
      await expect.poll(async () => (await readPanel(refused)).text ?? '').toContain('What you did before this page: it was decided on an earlier one.')
      expect((await readPanel(refused)).text).not.toContain('Nothing you did yet.')
      expect((await probes(refused)).escaped).toEqual([])
      await refused.close()
    } finally {
      await h.context.unroute('**/shop-packs/**')
    }
  })
})
