// Signed packs in headless Chromium: a page that pins the shop's key (data-pack-key) takes a newer signed pack
// from the manifest at its daily check, refuses a tampered one, and keeps its last good pack across reloads.
// The packs are published by the collector's own publishPacks() and verified by Chromium's Web Crypto.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { generatePackKeys, readPackSigningKey } from '../../collector/packs/signingKey'
import { publishPacks } from '../../collector/packs/publishPacks'
import { probes, useHarness, waitForSeglet } from './helpers'
import { browseForPack, sessionPack, thresholdDecidedHere } from './shopFixtures'

const DAY = 86_400_000
const root = mkdtempSync(join(tmpdir(), 'seglet-signed-'))
const site = join(root, 'site')
const h = useHarness({ reset: false, server: () => ({ mounts: { '/seglet/': site } }) })
afterAll(() => rmSync(root, { recursive: true, force: true }))

const manifestRequests = () => h.serverRequests.filter((url) => url.startsWith('/seglet/packs.manifest')).length

/** A page load `days` after the first, with the shop's key pinned; resolves to the intent threshold of its decision. */
async function visit(packKey: string, days: number): Promise<{ page: Page; threshold: number }> {
  const page = await h.newPage()
  await page.addInitScript((offset) => {
    const now = Date.now
    Date.now = () => now() + offset
    ;(window as unknown as { loadedAt: number }).loadedAt = Date.now()
  }, days * DAY)
  const attrs = { consent: 'granted', autocapture: 'false', 'model-loading': 'eager', 'pack-key': packKey }
  await page.goto(h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify(attrs)))
  await waitForSeglet(page)
  await page.evaluate(browseForPack)
  // A decision made on this page (a returning shopper's stored segment shows first).
  await page.waitForFunction(thresholdDecidedHere, undefined, { timeout: 30_000 })
  const threshold = (await page.evaluate(thresholdDecidedHere))!
  return { page, threshold }
}

describe('signed packs', () => {
  it('a newer signed pack arrives at the daily check; a tampered one is refused and the last good pack stays across reloads', async () => {
    const keys = await generatePackKeys(join(root, 'keys'))
    const key = await readPackSigningKey(keys.privateKeyFile)
    await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.31) } })

    // First visit: no pack stored yet, the manifest is checked and its pack used.
    let { page, threshold } = await visit(keys.packKey, 0)
    expect(threshold).toBeCloseTo(0.31, 6)
    expect(manifestRequests()).toBe(1)
    expect((await probes(page)).errors).toEqual([])
    await page.close()

    // Version 2 is published; a reload the same day uses the stored pack and does not ask again.
    await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.42) } })
    ;({ page, threshold } = await visit(keys.packKey, 0.5))
    expect(threshold).toBeCloseTo(0.31, 6)
    expect(manifestRequests()).toBe(1)
    await page.close()

    // A day later: the check finds version 2, verifies it, and the page decides with it.
    ;({ page, threshold } = await visit(keys.packKey, 1))
    expect(threshold).toBeCloseTo(0.42, 6)
    expect(manifestRequests()).toBe(2)
    expect(h.serverRequests).toContain('/seglet/session-v2.json')
    expect((await probes(page)).errors).toEqual([])
    await page.close()

    // Version 3's pack is changed on the server after signing: refused, reported once, version 2 stays.
    const v3 = await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.53) } })
    const file = v3.packFiles.session!
    writeFileSync(file, readFileSync(file, 'utf8').replace('0.53', '0.99'))
    ;({ page, threshold } = await visit(keys.packKey, 2))
    expect(threshold).toBeCloseTo(0.42, 6)
    expect(manifestRequests()).toBe(3)
    await expect.poll(async () => (await probes(page)).errors.map((e) => e.code)).toEqual(['pack_integrity'])
    await page.close()

    // Reloaded the same day: still version 2, no request, nothing reported again.
    ;({ page, threshold } = await visit(keys.packKey, 2.5))
    expect(threshold).toBeCloseTo(0.42, 6)
    expect(manifestRequests()).toBe(3)
    expect((await probes(page)).errors).toEqual([])
    expect((await probes(page)).escaped).toEqual([])
    await page.close()

    // A manifest signed by someone else the next day: refused (the page does not pin that key), version 2 stays.
    const intruder = await readPackSigningKey((await generatePackKeys(join(root, 'intruder'))).privateKeyFile)
    await publishPacks({ outDir: site, key: intruder, packs: { session: sessionPack(0.64) }, rotateKey: true })
    ;({ page, threshold } = await visit(keys.packKey, 3))
    expect(threshold).toBeCloseTo(0.42, 6)
    await expect.poll(async () => (await probes(page)).errors.map((e) => e.code)).toEqual(['pack_signature_key'])
    await page.close()
  })
})
