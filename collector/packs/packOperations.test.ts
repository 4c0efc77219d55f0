// @vitest-environment node
// What a shop's operator does with signed packs over months (rotating the key, a leaked key, an SDK upgrade
// between publishes), through the collector's publishing and the browser's own check (src/pack).
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../../src/errors'
import type { ModelPack } from '../../src/pack/types'
import { loadSignedPacks } from '../../src/pack/loadSignedPacks'
import { EXPECTED_SPECS } from '../../src/pack/expectedSpecs'
import { MANIFEST_CONTEXT, PACK_CHECK_INTERVAL_MS, PACK_CONTEXT, SIGNATURE_LINE_PREFIX } from '../../src/pack/signedFormat'
import { publishPacks } from './publishPacks'
import type { PackSigningKey } from './signingKey'
import { generatePackKeys, readPackSigningKey, signBytes } from './signingKey'

const PAGE = 'https://shop.example/products/boots'
const DAY = PACK_CHECK_INTERVAL_MS
const T0 = Date.parse('2026-11-30T08:00:00Z')
const shipped = (kind: 'session' | 'lifetime'): ModelPack => JSON.parse(readFileSync(new URL(`../../src/models/${kind}.json`, import.meta.url), 'utf8'))
const variant = (threshold: number): ModelPack => {
  const pack = shipped('session')
  ;(pack.heads.intent as { threshold: number }).threshold = threshold
  return pack
}
const sha256 = (bytes: Uint8Array) => 'sha256-' + createHash('sha256').update(bytes).digest('base64')

let dir: string
let site: string
let cache: { entries: Map<string, unknown>; getMeta(k: string): Promise<unknown>; setMeta(k: string, v: unknown): Promise<void> }
let reported: SegletError[]

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seglet-pack-ops-'))
  site = join(dir, 'site')
  vi.stubGlobal('location', new URL(PAGE))
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    try {
      return new Response(readFileSync(join(site, new URL(url).pathname.replace(/^\/seglet\//, ''))), { status: 200 })
    } catch {
      return new Response('not found', { status: 404 })
    }
  }))
  const entries = new Map<string, unknown>()
  cache = { entries, getMeta: async (k) => structuredClone(entries.get(k)), setMeta: async (k, v) => void entries.set(k, structuredClone(v)) }
  reported = []
})
afterEach(() => {
  vi.unstubAllGlobals()
  rmSync(dir, { recursive: true, force: true })
})

const keyPair = async (name: string): Promise<{ key: PackSigningKey; packKey: string }> => {
  const made = await generatePackKeys(join(dir, name))
  return { key: await readPackSigningKey(made.privateKeyFile), packKey: made.packKey }
}
const load = (now: number, packKey: string) => loadSignedPacks({ packKey, expected: EXPECTED_SPECS, cache, report: (e) => reported.push(e), now })
const codes = () => reported.map((e) => e.code)

/** A manifest signed by `key` for the session pack `pack`, at `version`, as anyone holding the key can make. */
function writeSigned(key: PackSigningKey, version: number, pack: ModelPack): void {
  const bytes = new TextEncoder().encode(JSON.stringify(pack))
  writeFileSync(join(site, `session-v${version}.json`), bytes)
  const manifest = {
    format: 'seglet-pack-manifest',
    formatVersion: 1,
    version,
    published: new Date(T0).toISOString(),
    expires: new Date(T0 + 90 * DAY).toISOString(),
    packs: { session: { url: `session-v${version}.json`, integrity: sha256(bytes), bytes: bytes.byteLength, signature: signBytes(key, PACK_CONTEXT, bytes) } },
  }
  const payload = new TextEncoder().encode(JSON.stringify(manifest))
  writeFileSync(join(site, 'packs.manifest'), Buffer.concat([Buffer.from(`${SIGNATURE_LINE_PREFIX}${key.keyId} ${signBytes(key, MANIFEST_CONTEXT, payload)}\n`), payload]))
}

describe('signed packs over months of operation', () => {
  it('a leaked key replaced as the README says: once pages no longer pin it, what it signed stops holding them back', async () => {
    const old = await keyPair('keys')
    await publishPacks({ outDir: site, key: old.key, packs: { session: variant(0.3) }, now: new Date(T0) })
    expect((await load(T0, old.packKey))?.version).toBe(1)
    const published = readFileSync(join(site, 'packs.manifest'))
    // Whoever holds the leaked key serves a manifest with the highest version there is; browsers take it.
    writeSigned(old.key, Number.MAX_SAFE_INTEGER, variant(0.99))
    expect((await load(T0 + DAY, old.packKey))?.version).toBe(Number.MAX_SAFE_INTEGER)
    // The shop puts its own manifest back, makes a new key, publishes with it and pins only the new one.
    writeFileSync(join(site, 'packs.manifest'), published)
    const next = await keyPair('next')
    await publishPacks({ outDir: site, key: next.key, packs: { session: variant(0.4) }, now: new Date(T0 + 2 * DAY), rotateKey: true })
    const result = await load(T0 + 2 * DAY, next.packKey)
    expect(codes()).toEqual([])
    expect(result?.packs.session).toEqual(variant(0.4))
  })

  it('a retired key cannot hold back the packs of the key that replaced it, however long the browser was away', async () => {
    const old = await keyPair('keys')
    for (let v = 1; v <= 3; v++) await publishPacks({ outDir: site, key: old.key, packs: { session: variant(0.3 + v / 100) }, now: new Date(T0) })
    expect((await load(T0, old.packKey))?.version).toBe(3)
    // Rotation as documented: both pinned, publish with the new key, drop the old one; this browser was offline throughout.
    const next = await keyPair('next')
    await publishPacks({ outDir: site, key: next.key, packs: { session: variant(0.5) }, now: new Date(T0 + 30 * DAY), rotateKey: true })
    const result = await load(T0 + 40 * DAY, next.packKey)
    expect(codes()).toEqual([])
    expect(result?.version).toBe(4)
    expect(result?.packs.session).toEqual(variant(0.5))
    // A manifest of the retired key served again (a stale cache) is refused; the new key's packs stay.
    const current = readFileSync(join(site, 'packs.manifest'))
    writeSigned(old.key, 5, variant(0.9))
    const replayed = await load(T0 + 42 * DAY, next.packKey)
    expect(codes()).toEqual(['pack_signature_key'])
    expect(replayed?.packs.session).toEqual(variant(0.5))
    // And an older manifest of the new key never replaces a newer one.
    writeFileSync(join(site, 'packs.manifest'), current)
    await publishPacks({ outDir: site, key: next.key, packs: { session: variant(0.6) }, now: new Date(T0 + 43 * DAY) })
    expect((await load(T0 + 43 * DAY, next.packKey))?.version).toBe(5)
    writeFileSync(join(site, 'packs.manifest'), current)
    expect((await load(T0 + 44 * DAY, next.packKey))?.version).toBe(5)
    expect(codes()).toEqual(['pack_signature_key', 'pack_rollback'])
  })
})

describe('publishing across an SDK upgrade', () => {
  it('a pack kept from the last manifest that this SDK refuses is refused by publish-pack too, not signed into a manifest no browser takes', async () => {
    const { key, packKey } = await keyPair('keys')
    // Published by the SDK before the upgrade, whose lifetime features had another version.
    const before = { ...EXPECTED_SPECS.lifetime }
    const oldLifetime = shipped('lifetime')
    oldLifetime.featureSpec.version = `${before.version}-before`
    const specs = EXPECTED_SPECS as Record<'session' | 'lifetime', typeof before>
    specs.lifetime = { ...before, version: oldLifetime.featureSpec.version }
    try {
      await publishPacks({ outDir: site, key, packs: { session: variant(0.3), lifetime: oldLifetime }, now: new Date(T0) })
    } finally {
      specs.lifetime = before
    }
    // After the upgrade, a retrain (or publish-pack --session) publishes a session pack alone.
    const failure = await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, now: new Date(T0 + DAY) }).catch((error: Error) => error)
    expect(failure).toBeInstanceOf(Error)
    expect((failure as Error).message).toMatch(/last published lifetime pack .*lifetime-v1\.json would be refused by browsers \(pack_spec_mismatch\).*give a lifetime pack/)
    // One sentence: the check's own words, then what to do (not `….; give`).
    expect((failure as Error).message).toMatch(/[^.]; give a lifetime pack \(the shipped one is src\/models\/lifetime\.json\)$/)
    // Given a lifetime pack this SDK reads, it publishes, and browsers take both.
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4), lifetime: shipped('lifetime') }, now: new Date(T0 + DAY) })
    const result = await load(T0 + DAY, packKey)
    expect(codes()).toEqual([])
    expect(result?.version).toBe(2)
    expect(result?.packs.session).toEqual(variant(0.4))
  })
})

describe('rotating the key as the README says', () => {
  it('publish-pack with no pack and the new key signs the last packs again; pages pinning only the new key take them', async () => {
    const { runPackCommand } = await import('./packCommands')
    const old = await generatePackKeys(join(dir, 'keys'))
    const lines: string[] = []
    writeFileSync(join(dir, 'session.json'), JSON.stringify(variant(0.3)))
    expect(await runPackCommand(['publish-pack', '--session', join(dir, 'session.json'), '--lifetime', new URL('../../src/models/lifetime.json', import.meta.url).pathname, '--key', old.privateKeyFile, '--out', site], (l) => lines.push(l))).toBe(0)
    expect((await load(Date.now(), old.packKey))?.version).toBe(1)
    const next = await generatePackKeys(join(dir, 'keys-next'))
    expect(await runPackCommand(['publish-pack', '--key', next.privateKeyFile, '--out', site, '--rotate-key'], (l) => lines.push(l))).toBe(0)
    const result = await load(Date.now(), next.packKey)
    expect(codes()).toEqual([])
    expect(result?.version).toBe(2)
    expect(result?.packs.session).toEqual(variant(0.3))
    expect(result?.packs.lifetime).toEqual(shipped('lifetime'))
  })
})

describe('a publish signed with another key than the last manifest', () => {
  it('is refused, naming both keys, unless told the key changes on purpose (a rotation): a retrain left on the old key too', async () => {
    const { runPackCommand } = await import('./packCommands')
    const { retrainedPackWriter } = await import('../learn/retrainedPackWriter')
    const old = await generatePackKeys(join(dir, 'keys'))
    const next = await generatePackKeys(join(dir, 'keys-next'))
    const oldId = (await readPackSigningKey(old.privateKeyFile)).keyId
    const nextId = (await readPackSigningKey(next.privateKeyFile)).keyId
    writeFileSync(join(dir, 'session.json'), JSON.stringify(variant(0.3)))
    const out: string[] = []
    const err: string[] = []
    expect(await runPackCommand(['publish-pack', '--session', join(dir, 'session.json'), '--key', old.privateKeyFile, '--out', site], (l) => out.push(l), (l) => err.push(l))).toBe(0)
    const first = readFileSync(join(site, 'packs.manifest'))
    // The new key by mistake (another folder's key, a keygen --force): pages pinning the old key alone would refuse it.
    expect(await runPackCommand(['publish-pack', '--key', next.privateKeyFile, '--out', site], (l) => out.push(l), (l) => err.push(l))).toBe(1)
    expect(err.join('\n')).toContain(oldId)
    expect(err.join('\n')).toContain(nextId)
    expect(err.join('\n')).toContain('--rotate-key')
    expect(readFileSync(join(site, 'packs.manifest'))).toEqual(first)
    // The rotation as the README says: publish-pack --rotate-key with the new key.
    expect(await runPackCommand(['publish-pack', '--key', next.privateKeyFile, '--out', site, '--rotate-key'], (l) => out.push(l), (l) => err.push(l))).toBe(0)
    expect((await load(Date.now(), next.packKey))?.version).toBe(2)
    // A scheduled retrain still given the old key is refused rather than undoing the rotation.
    const write = retrainedPackWriter({ publishDir: site, key: old.privateKeyFile, out: join(dir, 'unused.json') })
    await expect(write(JSON.stringify(variant(0.4)))).rejects.toThrow(new RegExp(`${nextId}.*${oldId}|${oldId}.*${nextId}`))
    // One with the new key publishes.
    await retrainedPackWriter({ publishDir: site, key: next.privateKeyFile, out: join(dir, 'unused.json') })(JSON.stringify(variant(0.4)))
    expect((await load(Date.now() + DAY, next.packKey))?.packs.session).toEqual(variant(0.4))
  })
})

describe('a lost publish folder', () => {
  it('publish-pack --min-version starts above the versions browsers stored, so returning browsers take the packs again', async () => {
    const { runPackCommand } = await import('./packCommands')
    const keys = await generatePackKeys(join(dir, 'keys'))
    const key = await readPackSigningKey(keys.privateKeyFile)
    for (let v = 1; v <= 3; v++) await publishPacks({ outDir: site, key, packs: { session: variant(0.3 + v / 100) }, now: new Date(T0) })
    expect((await load(T0, keys.packKey))?.version).toBe(3)
    // The folder is lost (a new server, a volume not backed up).
    rmSync(site, { recursive: true, force: true })
    writeFileSync(join(dir, 'session.json'), JSON.stringify(variant(0.5)))
    const lines: string[] = []
    const err: string[] = []
    expect(await runPackCommand(['publish-pack', '--session', join(dir, 'session.json'), '--key', keys.privateKeyFile, '--out', site, '--min-version', '1000'], (l) => lines.push(l), (l) => err.push(l))).toBe(0)
    expect(err).toEqual([])
    expect(lines[0]).toMatch(/^Published version 1000 /)
    const result = await load(T0 + DAY, keys.packKey)
    expect(codes()).toEqual([])
    expect(result?.packs.session).toEqual(variant(0.5))
    // Later publishes go on from there; a --min-version below the last one never lowers the version.
    expect(await runPackCommand(['publish-pack', '--key', keys.privateKeyFile, '--out', site, '--min-version', '5'], (l) => lines.push(l), (l) => err.push(l))).toBe(0)
    expect(lines.at(-3)).toMatch(/^Published version 1001 /)
    expect(await runPackCommand(['publish-pack', '--key', keys.privateKeyFile, '--out', site, '--min-version', '0'], (l) => lines.push(l), (l) => err.push(l))).toBe(2)
    expect(err[0]).toContain('--min-version')
  })
})

describe('the pinned keys as pages write them', () => {
  it('pages that pin the same keys in another order or spacing share the daily check: the manifest is fetched once a day', async () => {
    const old = await keyPair('keys')
    const next = await keyPair('next')
    await publishPacks({ outDir: site, key: next.key, packs: { session: variant(0.3) }, now: new Date(T0) })
    expect((await load(T0, `${old.packKey} ${next.packKey}`))?.version).toBe(1)
    const fetched = vi.mocked(fetch)
    fetched.mockClear()
    // Another template of the shop, edited on its own during the rotation.
    expect((await load(T0 + 1000, `${next.packKey}\n  ${old.packKey}`))?.version).toBe(1)
    expect((await load(T0 + 2000, `${old.packKey} ${next.packKey}`))?.version).toBe(1)
    expect(fetched).not.toHaveBeenCalled()
    expect(codes()).toEqual([])
  })
})

it('publish-pack says of a negative --expires-days or --min-version what it says of any value out of range', async () => {
  const { runPackCommand } = await import('./packCommands')
  const said: string[] = []
  expect(await runPackCommand(['publish-pack', '--expires-days', '-5'], () => {}, (line) => void said.push(line))).toBe(2)
  expect(await runPackCommand(['publish-pack', '--min-version', '-2'], () => {}, (line) => void said.push(line))).toBe(2)
  expect(said).toEqual([
    'seglet collector publish-pack: --expires-days must be a whole number from 1 to 3650, not "-5"',
    'seglet collector publish-pack: --min-version must be a whole number from 1, not "-2"',
  ])
})
