// @vitest-environment node
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ModelPack } from '../../src/pack/types'
import { manifestExpiry, manifestExpiryLine, readManifestExpiry, shownFolder } from './manifestExpiry'
import { runPackCommand } from './packCommands'
import { publishPacks, readPublishedManifest, renewManifest } from './publishPacks'
import { generatePackKeys } from './signingKey'

const DAY = 86_400_000
const T0 = Date.parse('2026-12-01T08:00:00Z')
const session = (): ModelPack => JSON.parse(readFileSync(new URL('../../src/models/session.json', import.meta.url), 'utf8'))

let dir: string
let site: string
let keyFile: string

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seglet-expiry-'))
  site = join(dir, 'public')
  keyFile = (await generatePackKeys(join(dir, 'keys'))).privateKeyFile
})
afterEach(() => {
  vi.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
})

describe('manifestExpiry', () => {
  // Due for renewal by retrain's rule: min(30 days, max(a third of the lifetime, a day and a half)).
  it.each([
    { lifetime: 90, at: 59.9, status: 'valid', daysLeft: 30.1 },
    { lifetime: 90, at: 61, status: 'renew', daysLeft: 29 },
    { lifetime: 7, at: 4.5, status: 'valid', daysLeft: 2.5 },
    { lifetime: 7, at: 5, status: 'renew', daysLeft: 2 },
    { lifetime: 2, at: 0.4, status: 'valid', daysLeft: 1.6 },
    { lifetime: 2, at: 0.6, status: 'renew', daysLeft: 1.4 },
    { lifetime: 90, at: 90, status: 'expired', daysLeft: 0 },
    { lifetime: 90, at: 93.5, status: 'expired', daysLeft: -3.5 },
  ] as const)('a manifest of $lifetime days, $at days after publishing: $status', async ({ lifetime, at, status, daysLeft }) => {
    await publishPacks({ outDir: site, key: keyFile, packs: { session: session() }, expiresInDays: lifetime, now: new Date(T0) })
    const manifest = await readPublishedManifest(site)
    const expiry = manifestExpiry(manifest, site, T0 + at * DAY)!
    expect(expiry).toMatchObject({ version: 1, expires: new Date(T0 + lifetime * DAY).toISOString(), status })
    expect(expiry.daysLeft).toBeCloseTo(daysLeft, 5)
    // A renewal at that moment renews exactly the manifests the collector says are due.
    const renewed = await renewManifest({ outDir: site, key: keyFile, now: new Date(T0 + at * DAY) })
    expect(renewed !== undefined).toBe(status !== 'valid')
  })

  it('says nothing of a manifest without an expiry, nor of a folder with none', async () => {
    expect(manifestExpiry(undefined, site, T0)).toBeUndefined()
    expect(await readManifestExpiry(site, T0)).toBeUndefined()
    expect(manifestExpiryLine(undefined, site)).toBeUndefined()
  })
})

describe('the renewing command', () => {
  it('quotes a publish folder whose path has spaces or quotes, so the command runs as copied', () => {
    const manifest = { version: 3, expires: new Date(T0 + 10 * DAY).toISOString() } as never
    expect(manifestExpiry(manifest, '/srv/my shop/public', T0)!.renew).toBe("npm run collector -- publish-pack --out '/srv/my shop/public'")
    expect(manifestExpiry(manifest, "/srv/o'brien/public", T0)!.renew).toBe("npm run collector -- publish-pack --out '/srv/o'\\''brien/public'")
    expect(manifestExpiry(manifest, '.seglet-collector/public', T0)!.renew).toBe('npm run collector -- publish-pack --out .seglet-collector/public')
  })
})

describe('the publish folder as a page shows it', () => {
  it("is as typed when relative, relative to the collector's working folder when under it, else the DIR of the help", () => {
    for (const [dir, shown] of [
      ['.seglet-collector/public', '.seglet-collector/public'],
      ['public', 'public'],
      ['/srv/shop/.seglet-collector/public', '.seglet-collector/public'],
      ['/srv/shop', '.'],
      ['/srv/other/public', 'DIR'],
      ['/srv/shopping/public', 'DIR'],
      ['/var/www/public', 'DIR'],
    ]) {
      expect([dir, shownFolder(dir!, '/srv/shop')]).toEqual([dir, shown])
    }
  })
})

describe('an unreadable manifest', () => {
  it('is said to be unreadable, why, and with what to run, where it was passed over as if there were none', async () => {
    await publishPacks({ outDir: site, key: keyFile, packs: { session: session() }, now: new Date(T0) })
    writeFileSync(join(site, 'packs.manifest'), 'signature\n{"format":"another"}')
    const state = await readManifestExpiry(site, T0)
    expect(state).toEqual({ status: 'unreadable', problem: 'not a Seglet pack manifest', renew: `npm run collector -- publish-pack --out ${site} --session FILE --min-version N` })
    expect(manifestExpiryLine(state, site)).toMatch(/^seglet collector: error: the signed pack manifest .*packs\.manifest cannot be read \(not a Seglet pack manifest\): browsers refuse it \(pack_manifest_invalid\)/)
    // What it says to run, run as said once the manifest is moved away, publishes a manifest browsers take.
    renameSync(join(site, 'packs.manifest'), join(dir, 'packs.manifest.unreadable'))
    vi.spyOn(console, 'log').mockImplementation(() => {})
    const command = state!.renew.replace(/^npm run collector -- /, '').replace('FILE', join(site, 'session-v1.json')).replace(/N$/, '2').split(' ')
    expect(await runPackCommand([...command, '--key', keyFile], () => {})).toBe(0)
    expect(await readManifestExpiry(site, Date.now())).toMatchObject({ version: 2, status: 'valid' })
  })
})

describe('manifestExpiryLine', () => {
  it('warns once renewal is due, says it is an error once expired, with the command that renews it; and that command renews it', async () => {
    await publishPacks({ outDir: site, key: keyFile, packs: { session: session() }, now: new Date(T0) })
    expect(manifestExpiryLine(await readManifestExpiry(site, T0 + 59 * DAY), site)).toBeUndefined()

    const warning = manifestExpiryLine(await readManifestExpiry(site, T0 + 80 * DAY), site)
    expect(warning).toBe(
      `seglet collector: warning: the signed pack manifest ${join(site, 'packs.manifest')} (version 1) expires on 2027-03-01T08:00:00.000Z, in 10 days: ` +
        'then browsers refuse it (pack_manifest_expired), returning ones keep the packs they stored and take no new one, first visits use the hash-pinned or shipped packs; ' +
        `renew it: npm run collector -- publish-pack --out ${site} (the same packs, signed again; give --key if the key is not in its default place), or run a signing retrain`,
    )
    const error = manifestExpiryLine(await readManifestExpiry(site, T0 + 90 * DAY), site)
    expect(error).toMatch(/^seglet collector: error: the signed pack manifest .*packs\.manifest \(version 1\) expired on 2027-03-01T08:00:00.000Z: browsers refuse it \(pack_manifest_expired\)/)
    expect(error).toContain(`npm run collector -- publish-pack --out ${site} `)

    // The command it names, run as said (with the key), signs the same packs again under a new version and expiry.
    vi.spyOn(console, 'log').mockImplementation(() => {})
    expect(await runPackCommand(['publish-pack', '--out', site, '--key', keyFile], () => {})).toBe(0)
    const renewed = await readManifestExpiry(site, Date.now())
    expect(renewed).toMatchObject({ version: 2, status: 'valid' })
    expect(renewed?.status === 'valid' && renewed.daysLeft).toBeGreaterThan(89)
  })
})
