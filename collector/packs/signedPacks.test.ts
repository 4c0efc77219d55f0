// @vitest-environment node
// The collector signs and publishes; the browser's own code (src/pack) verifies. Every case below goes
// through both, so the two sides cannot drift apart.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, readFileSync, rmdirSync, rmSync, statSync, utimesSync, writeFileSync, chmodSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isSegletError } from '../../src/errors'
import type { SegletError } from '../../src/errors'
import type { ModelPack } from '../../src/pack/types'
import { loadSignedPacks, packCheckCacheKey, signedPacksCacheKey } from '../../src/pack/loadSignedPacks'
import * as decodeModule from '../../src/pack/decodePackWeights'
import * as checkModule from '../../src/pack/checkPack'
import { EXPECTED_SPECS } from '../../src/pack/expectedSpecs'
import { MANIFEST_CONTEXT, PACK_CHECK_INTERVAL_MS, PACK_CONTEXT, SIGNATURE_LINE_PREFIX } from '../../src/pack/signedFormat'
import { publishPacks, readPublishedManifest, renewManifest } from './publishPacks'
import { runPackCommand } from './packCommands'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { createCollector } from '../server/createCollector'
import { migrate } from '../storage/migrate'
import { openDatabase } from '../storage/openDatabase'
import type { PackSigningKey } from './signingKey'
import { generatePackKeys, readPackSigningKey, signBytes } from './signingKey'

/** How a publish names this machine in its lock: the host name and the process-id namespace. */
const machine = () => `${hostname()}/${readlinkSync('/proc/self/ns/pid')}`
const PAGE = 'https://shop.example/products/boots'
const MANIFEST_URL = 'https://shop.example/seglet/packs.manifest'
const DAY = PACK_CHECK_INTERVAL_MS
const T0 = Date.parse('2026-11-30T08:00:00Z')
const shipped = (kind: 'session' | 'lifetime'): ModelPack => JSON.parse(readFileSync(new URL(`../../src/models/${kind}.json`, import.meta.url), 'utf8'))
/** The shipped session pack with another intent threshold: a pack one can tell apart from the shipped one. */
const variant = (threshold: number): ModelPack => {
  const pack = shipped('session')
  ;(pack.heads.intent as { threshold: number }).threshold = threshold
  return pack
}

let dir: string
let site: string
let key: PackSigningKey
let packKey: string
let fetchMock: ReturnType<typeof vi.fn>
let cache: { entries: Map<string, unknown>; getMeta(k: string): Promise<unknown>; setMeta(k: string, v: unknown): Promise<void> }
let reported: SegletError[]

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seglet-packs-'))
  site = join(dir, 'site')
  const keys = await generatePackKeys(join(dir, 'keys'))
  key = await readPackSigningKey(keys.privateKeyFile)
  packKey = keys.packKey
  vi.stubGlobal('location', new URL(PAGE))
  // The shop's static files: /seglet/* from the published folder.
  fetchMock = vi.fn(async (url: string) => {
    const path = new URL(url).pathname
    try {
      return new Response(readFileSync(join(site, path.replace(/^\/seglet\//, ''))), { status: 200 })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })
  vi.stubGlobal('fetch', fetchMock)
  const entries = new Map<string, unknown>()
  cache = { entries, getMeta: async (k) => structuredClone(entries.get(k)), setMeta: async (k, v) => void entries.set(k, structuredClone(v)) }
  reported = []
})
afterEach(() => {
  vi.unstubAllGlobals()
  rmSync(dir, { recursive: true, force: true })
})

it('says in one line that a pack file given to publish is not JSON, naming it', async () => {
  const notes = join(dir, 'notes.md')
  writeFileSync(notes, '# Packs\n\nTo publish: run publish-pack.\n')
  const error = await publishPacks({ outDir: site, key, packs: { session: notes } }).then(() => undefined, (e: unknown) => e)
  expect(isSegletError(error) && error.code).toBe('collector_pack')
  expect((error as Error).message).toMatch(new RegExp(`^the session pack ${notes.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON \\(.*not valid JSON\\); give a pack file such as src/models/session\\.json$`))
  expect((error as Error).message).not.toContain('\n')
})

it('leaves no folder behind when a publish into a new one is refused, and keeps a folder that was there', async () => {
  const notes = join(dir, 'notes.md')
  writeFileSync(notes, 'not a pack\n')
  const fresh = join(dir, 'fresh')
  await expect(publishPacks({ outDir: fresh, key, packs: { session: notes } })).rejects.toThrow(/is not JSON/)
  expect(existsSync(fresh)).toBe(false)
  mkdirSync(fresh)
  await expect(publishPacks({ outDir: fresh, key, packs: { session: notes } })).rejects.toThrow(/is not JSON/)
  expect(readdirSync(fresh)).toEqual([])
  // Made again by a publish that goes through.
  rmSync(fresh, { recursive: true })
  await publishPacks({ outDir: fresh, key, packs: { session: fileURLToPath(new URL('../../src/models/session.json', import.meta.url)) } })
  expect(readdirSync(fresh).sort()).toEqual(['packs.manifest', 'session-v1.json'])
})

it('a publish waiting for the lock makes the folder again when the refused publish that made it removed it, and removes it again when refused too', async () => {
  const notes = join(dir, 'notes.md')
  writeFileSync(notes, 'not a pack\n')
  const fresh = join(dir, 'fresh')
  const lock = join(fresh, 'packs.lock')
  for (const pack of [notes, fileURLToPath(new URL('../../src/models/session.json', import.meta.url))]) {
    // Another publish made the folder and holds its lock (a live process of this machine).
    mkdirSync(fresh)
    writeFileSync(lock, `${process.ppid} ${machine()} 0a1b2c3d\n`)
    const publishing = publishPacks({ outDir: fresh, key, packs: { session: pack } }).then(() => 'published', (e: unknown) => (e as Error).message)
    await new Promise((resolve) => setTimeout(resolve, 300))
    // It is refused: its lock goes, then the folder it made.
    rmSync(lock)
    rmdirSync(fresh)
    if (pack === notes) {
      expect(await publishing).toMatch(/is not JSON/)
      expect(existsSync(fresh)).toBe(false)
    } else {
      expect(await publishing).toBe('published')
      expect(readdirSync(fresh).sort()).toEqual(['packs.manifest', 'session-v1.json'])
    }
  }
})

it.runIf(existsSync('/proc/self'))('says in one line, and does not hang, when the folder to publish into takes no file (one under /proc)', async () => {
  // A folder that is there but makes no new file: its ENOENT is final, not a folder another publish removed.
  let timer: NodeJS.Timeout | undefined
  const late = new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting after 5 s'), 5_000)))
  const outcome = await Promise.race([publishPacks({ outDir: '/proc', key, packs: { session: shipped('session') } }).then(() => 'published', (e: unknown) => e), late])
  clearTimeout(timer)
  expect(isSegletError(outcome) && outcome.code).toBe('collector_pack')
  expect((outcome as Error).message).toBe('cannot write to /proc: no such file')
})

it('says that a pack file given to publish is not UTF-8 text, rather than the decoder\'s message', async () => {
  const latin1 = join(dir, 'latin1.json')
  writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0x6e, 0xe9, 0x22, 0x3a, 0x31, 0x7d]))
  const error = await publishPacks({ outDir: site, key, packs: { session: latin1 } }).then(() => undefined, (e: unknown) => e)
  expect(isSegletError(error) && error.code).toBe('collector_pack')
  expect((error as Error).message).toBe(`the session pack ${latin1} is not JSON (it is not UTF-8 text); give a pack file such as src/models/session.json`)
})

it.each([
  ['a missing pack', (d: string) => ({ outDir: join(d, 'site'), packs: { session: join(d, 'none.json') } }), /^cannot read the session pack .*none\.json: no such file$/],
  ['a folder given as a pack', (d: string) => ({ outDir: join(d, 'site'), packs: { session: d } }), /^cannot read the session pack .*: a folder, not a file$/],
  ['a file given as --out', (d: string) => ({ outDir: join(d, 'taken'), packs: {} }), /^cannot write to .*taken: a file, not a folder; give the folder to publish into$/],
  // The file it was writing, once, in the system's words without its code and its own copy of the path.
  ['a folder where the pack goes', (d: string) => (mkdirSync(join(d, 'site', 'session-v1.json'), { recursive: true }), { outDir: join(d, 'site'), packs: { session: shipped('session') } }),
    /^cannot write [^ ]*site\/session-v1\.json: a folder, not a file$/],
])('says %s in one short line', async (_, given, says) => {
  writeFileSync(join(dir, 'taken'), 'a file\n')
  const error = await publishPacks({ key, ...given(dir) }).then(() => undefined, (e: unknown) => e)
  expect(isSegletError(error) && error.code).toBe('collector_pack')
  expect((error as Error).message).toMatch(says)
  expect(readFileSync(join(dir, 'taken'), 'utf8')).toBe('a file\n')
})

const load = (now: number, options: { packKey?: string } = {}) =>
  loadSignedPacks({ packKey: options.packKey ?? packKey, expected: EXPECTED_SPECS, cache, report: (e) => reported.push(e), now })
const codes = () => reported.map((e) => e.code)
const manifestFile = () => join(site, 'packs.manifest')
const requests = () => fetchMock.mock.calls.map((call) => new URL(call[0] as string).pathname)

describe('signed packs, published by the collector and verified by the browser code', () => {
  it('a published manifest and its packs verify, are used and stored; fetched without cookies or Referer, no redirect', async () => {
    const published = await publishPacks({ outDir: site, key, packs: { session: variant(0.3), lifetime: shipped('lifetime') }, now: new Date(T0) })
    expect(published.version).toBe(1)
    const result = await load(T0)
    expect(codes()).toEqual([])
    expect(result?.version).toBe(1)
    expect(result?.packs.session).toEqual(variant(0.3))
    expect(result?.packs.lifetime).toEqual(shipped('lifetime'))
    expect(requests()).toEqual(['/seglet/packs.manifest', '/seglet/session-v1.json', '/seglet/lifetime-v1.json'])
    for (const call of fetchMock.mock.calls) expect(call[1]).toEqual({ credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer', signal: expect.any(AbortSignal) })
    expect((cache.entries.get(signedPacksCacheKey(MANIFEST_URL)) as { version: number }).version).toBe(1)
    expect([...cache.entries.keys()].every((k) => k.startsWith('cache:'))).toBe(true)
  })

  it("a page decodes each signed pack's weights once, when it verifies them, and builds its networks from those very weights", async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3), lifetime: shipped('lifetime') }, now: new Date(T0) })
    const decode = vi.spyOn(decodeModule, 'decodePackWeights')
    const { createModelRuntime } = await import('../../src/model/runtime')
    // The first page fetches the packs; a later page that day reads them from the store and verifies them again.
    for (const now of [T0, T0 + 1000]) {
      decode.mockClear()
      const runtime = createModelRuntime()
      const signed = { packKey, expected: EXPECTED_SPECS, cache, report: (e: SegletError) => reported.push(e), now }
      const session = await runtime.getPack('session', { expected: EXPECTED_SPECS.session, signed })
      const lifetime = await runtime.getPack('lifetime', { expected: EXPECTED_SPECS.lifetime, signed })
      expect(session.pack).toEqual(variant(0.3))
      expect(decode).toHaveBeenCalledTimes(2)
      const decoded = decode.mock.results.map((r) => r.value as ReturnType<typeof decodeModule.decodePackWeights>)
      for (const [i, loaded] of [session, lifetime].entries()) {
        // On the CPU backend a tensor's data is the array it was made from.
        for (const layer of loaded.layers) expect(layer.bias.dataSync()).toBe(decoded[i].get(layer.name)!.bias)
      }
    }
    decode.mockRestore()
    expect(codes()).toEqual([])
  })

  it('checks at most once a day: the stored packs serve every page load in between, a new version is taken the next day', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    await load(T0)
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, now: new Date(T0 + 1000) })
    fetchMock.mockClear()
    const sameDay = await load(T0 + DAY - 1)
    expect(fetchMock).not.toHaveBeenCalled()
    expect(sameDay?.version).toBe(1)
    expect(sameDay?.packs.session).toEqual(variant(0.3))
    const nextDay = await load(T0 + DAY)
    expect(requests()).toEqual(['/seglet/packs.manifest', '/seglet/session-v2.json'])
    expect(nextDay?.version).toBe(2)
    expect(nextDay?.packs.session).toEqual(variant(0.4))
    // Same version the day after: the manifest only, no pack is fetched again.
    fetchMock.mockClear()
    expect((await load(T0 + 2 * DAY))?.version).toBe(2)
    expect(requests()).toEqual(['/seglet/packs.manifest'])
    expect(codes()).toEqual([])
  })

  it('a clock set back, or another pinned key, does not hold the next check off', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    await load(T0)
    fetchMock.mockClear()
    await load(T0 - 1000)
    expect(requests()).toEqual(['/seglet/packs.manifest'])
    fetchMock.mockClear()
    const other = await generatePackKeys(join(dir, 'other'))
    await load(T0, { packKey: `${packKey} ${other.packKey}` })
    expect(requests()).toEqual(['/seglet/packs.manifest'])
  })

  it('a tampered manifest byte is refused before parsing and reported once; the last good packs stay', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    await load(T0)
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, now: new Date(T0) })
    const bytes = readFileSync(manifestFile())
    const at = bytes.indexOf('"version": 2')
    bytes[at + 11] = '9'.charCodeAt(0)
    writeFileSync(manifestFile(), bytes)
    const result = await load(T0 + DAY)
    expect(codes()).toEqual(['pack_signature_invalid'])
    expect(result?.version).toBe(1)
    expect(result?.packs.session).toEqual(variant(0.3))
    // Within the day it is neither fetched nor reported again.
    fetchMock.mockClear()
    expect((await load(T0 + DAY + 1000))?.version).toBe(1)
    expect(fetchMock).not.toHaveBeenCalled()
    expect(codes()).toEqual(['pack_signature_invalid'])
  })

  it('a tampered pack byte is refused (its hash, signed in the manifest); the last good packs stay', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    await load(T0)
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, now: new Date(T0) })
    const file = join(site, 'session-v2.json')
    writeFileSync(file, readFileSync(file, 'utf8').replace('0.4', '0.9'))
    const result = await load(T0 + DAY)
    expect(codes()).toEqual(['pack_integrity'])
    expect(result?.packs.session).toEqual(variant(0.3))
    expect((cache.entries.get(signedPacksCacheKey(MANIFEST_URL)) as { version: number }).version).toBe(1)
  })

  it('a manifest signed with another key is refused: one the page does not pin, or one claiming a pinned key id', async () => {
    const intruder = await readPackSigningKey((await generatePackKeys(join(dir, 'intruder'))).privateKeyFile)
    await publishPacks({ outDir: site, key: intruder, packs: { session: variant(0.3) }, now: new Date(T0) })
    expect(await load(T0)).toBeUndefined()
    expect(codes()).toEqual(['pack_signature_key'])
    // The intruder writes the pinned key's id on its own signature.
    writeFileSync(manifestFile(), readFileSync(manifestFile(), 'utf8').replace(intruder.keyId, key.keyId))
    expect(await load(T0 + DAY)).toBeUndefined()
    expect(codes()).toEqual(['pack_signature_key', 'pack_signature_invalid'])
  })

  it('an unsigned manifest is refused', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    const text = readFileSync(manifestFile(), 'utf8')
    writeFileSync(manifestFile(), text.slice(text.indexOf('\n') + 1))
    expect(await load(T0)).toBeUndefined()
    expect(codes()).toEqual(['pack_signature_missing'])
  })

  it('an older version, validly signed, never replaces a newer one (rollback)', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    const v1 = readFileSync(manifestFile())
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, now: new Date(T0) })
    expect((await load(T0))?.version).toBe(2)
    writeFileSync(manifestFile(), v1)
    const result = await load(T0 + DAY)
    expect(codes()).toEqual(['pack_rollback'])
    expect(result?.version).toBe(2)
    expect(result?.packs.session).toEqual(variant(0.4))
  })

  it('a publish folder restored from an older backup: the next publish reuses a version in use, which is reported, not taken in silence', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    const backup = readFileSync(manifestFile())
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, now: new Date(T0) })
    expect((await load(T0))?.version).toBe(2)
    // The folder as the backup had it, then a new pack published: version 2 again, with other packs.
    writeFileSync(manifestFile(), backup)
    const republished = await publishPacks({ outDir: site, key, packs: { session: variant(0.5) }, now: new Date(T0 + DAY / 2) })
    expect(republished.version).toBe(2)
    const result = await load(T0 + DAY)
    expect(codes()).toEqual(['pack_rollback'])
    expect(reported[0]!.message).toMatch(/version 2, the version in use, with other contents/)
    expect(reported[0]!.message).toContain('--min-version')
    // The packs in use stay; the same manifest again is no news, and reports nothing.
    expect(result?.packs.session).toEqual(variant(0.4))
    reported.length = 0
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, now: new Date(T0) })
    writeFileSync(manifestFile(), backup)
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, minVersion: 3, now: new Date(T0) })
    expect((await load(T0 + 2 * DAY))?.version).toBe(3)
    expect(codes()).toEqual([])
    expect((await load(T0 + 3 * DAY))?.version).toBe(3)
    expect(codes()).toEqual([])
  })

  it('a stored record IndexedDB fails to read is not replaced by an older version, validly signed (rollback)', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    const v1 = readFileSync(manifestFile())
    await publishPacks({ outDir: site, key, packs: { session: variant(0.4) }, now: new Date(T0) })
    expect((await load(T0))?.version).toBe(2)
    writeFileSync(manifestFile(), v1)
    // The store fails to read the record (as reading a damaged value does): the version in use is not known this time.
    const getMeta = cache.getMeta
    cache.getMeta = async (k) => (k === signedPacksCacheKey(MANIFEST_URL) ? Promise.reject(new DOMException('Failed to read the value', 'UnknownError')) : getMeta(k))
    await load(T0 + DAY)
    cache.getMeta = getMeta
    expect((cache.entries.get(signedPacksCacheKey(MANIFEST_URL)) as { version: number }).version).toBe(2)
    // Read again, the stored version still holds the older one back.
    const result = await load(T0 + 2 * DAY)
    expect(codes()).toEqual(['pack_rollback'])
    expect(result?.packs.session).toEqual(variant(0.4))
  })

  it('an expired manifest is refused; packs already in use stay in use after it expires', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0), expiresInDays: 2 })
    expect((await load(T0))?.version).toBe(1)
    const later = await load(T0 + 3 * DAY)
    expect(codes()).toEqual(['pack_manifest_expired'])
    expect(later?.packs.session).toEqual(variant(0.3))
    // A browser that never had them does not take them.
    cache.entries.clear()
    expect(await load(T0 + 3 * DAY)).toBeUndefined()
    expect(codes()).toEqual(['pack_manifest_expired', 'pack_manifest_expired'])
  })

  it('a validly signed but malformed manifest, or a pack that does not match the SDK, is refused', async () => {
    const sign = (payload: string) => {
      const bytes = new TextEncoder().encode(payload)
      writeFileSync(manifestFile(), `${SIGNATURE_LINE_PREFIX}${key.keyId} ${signBytes(key, MANIFEST_CONTEXT, bytes)}\n${payload}`)
    }
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    const good = readFileSync(manifestFile(), 'utf8')
    const manifest = JSON.parse(good.slice(good.indexOf('\n') + 1))
    const cases: Array<[string, string]> = [
      ['not json', '{"format":'],
      ['wrong format', JSON.stringify({ ...manifest, format: 'other' })],
      ['version 0', JSON.stringify({ ...manifest, version: 0 })],
      ['version 1.5', JSON.stringify({ ...manifest, version: 1.5 })],
      ['no packs', JSON.stringify({ ...manifest, packs: {} })],
      ['bad integrity', JSON.stringify({ ...manifest, packs: { session: { ...manifest.packs.session, integrity: 'md5-x' } } })],
      ['pack too big', JSON.stringify({ ...manifest, packs: { session: { ...manifest.packs.session, bytes: 1e9 } } })],
    ]
    for (const [, payload] of cases) {
      sign(payload)
      cache.entries.clear()
      expect(await load(T0)).toBeUndefined()
    }
    expect(codes()).toEqual(cases.map(() => 'pack_manifest_invalid'))
    // A pack listed at the wrong size is cut off at the listed size, before it is hashed or parsed.
    reported = []
    sign(JSON.stringify({ ...manifest, packs: { session: { ...manifest.packs.session, bytes: 100 } } }))
    cache.entries.clear()
    expect(await load(T0)).toBeUndefined()
    expect(codes()).toEqual(['pack_too_large'])
    // A pack whose hash the manifest signs, but whose own signature is of other bytes.
    reported = []
    const otherSignature = signBytes(key, 'seglet model pack v1\n', new TextEncoder().encode('other bytes'))
    sign(JSON.stringify({ ...manifest, packs: { session: { ...manifest.packs.session, signature: otherSignature } } }))
    cache.entries.clear()
    expect(await load(T0)).toBeUndefined()
    expect(codes()).toEqual(['pack_signature_invalid'])
    // A pack on another origin.
    reported = []
    sign(JSON.stringify({ ...manifest, packs: { session: { ...manifest.packs.session, url: 'https://cdn.example/session.json' } } }))
    cache.entries.clear()
    expect(await load(T0)).toBeUndefined()
    expect(codes()).toEqual(['pack_origin'])
  })

  it('a pack whose weights decode to infinite values is refused, by publish-pack and by browsers; the last good packs stay', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    await load(T0)
    const broken = variant(0.4)
    broken.model.weightSpecs[0].quantization!.scale = 1e308
    const error = await publishPacks({ outDir: site, key, packs: { session: broken }, now: new Date(T0) }).then(() => undefined, (e: unknown) => e)
    expect(isSegletError(error) && error.code).toBe('collector_pack')
    expect((error as Error).message).toMatch(/pack_invalid/)
    expect((await readPublishedManifest(site))?.version).toBe(1)
    // Signed by another tool, as version 2: browsers refuse it all the same.
    const good = readFileSync(manifestFile(), 'utf8')
    const manifest = JSON.parse(good.slice(good.indexOf('\n') + 1))
    const bytes = new TextEncoder().encode(JSON.stringify(broken))
    writeFileSync(join(site, 'session-v2.json'), bytes)
    const session = {
      ...manifest.packs.session,
      url: manifest.packs.session.url.replace('-v1.', '-v2.'),
      bytes: bytes.byteLength,
      integrity: 'sha256-' + createHash('sha256').update(bytes).digest('base64'),
      signature: signBytes(key, PACK_CONTEXT, bytes),
    }
    const payload = JSON.stringify({ ...manifest, version: 2, packs: { ...manifest.packs, session } })
    writeFileSync(manifestFile(), `${SIGNATURE_LINE_PREFIX}${key.keyId} ${signBytes(key, MANIFEST_CONTEXT, new TextEncoder().encode(payload))}\n${payload}`)
    const result = await load(T0 + DAY)
    expect(codes()).toEqual(['pack_invalid'])
    expect(result?.version).toBe(1)
    expect(result?.packs.session).toEqual(variant(0.3))
  })

  it('a stored record that was changed is not used, and its packs are fetched again', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    await load(T0)
    const record = cache.entries.get(signedPacksCacheKey(MANIFEST_URL)) as { packs: { session: string } }
    record.packs.session = record.packs.session.replace('0.3', '0.99')
    // Not due: nothing verified to use, the caller falls back to its hash-pinned or shipped pack.
    expect(await load(T0 + 1000)).toBeUndefined()
    cache.entries.delete(packCheckCacheKey(MANIFEST_URL))
    expect((await load(T0 + 2000))?.packs.session).toEqual(variant(0.3))
    expect(codes()).toEqual([])
  })

  it('key rotation: pinning the old and new key, a manifest signed with the new key is taken; unpinning the old key drops its packs', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    await load(T0)
    const next = await generatePackKeys(join(dir, 'next'))
    const nextKey = await readPackSigningKey(next.privateKeyFile)
    await publishPacks({ outDir: site, key: nextKey, packs: { session: variant(0.4) }, now: new Date(T0), rotateKey: true })
    const both = `${packKey} ${next.packKey}`
    expect((await load(T0 + 1000, { packKey: both }))?.version).toBe(2)
    expect((await load(T0 + 2000, { packKey: next.packKey }))?.packs.session).toEqual(variant(0.4))
    expect(codes()).toEqual([])
  })

  it('reports a missing manifest (load failed) and a manifest URL on another origin', async () => {
    expect(await load(T0)).toBeUndefined()
    expect(codes()).toEqual(['pack_load_failed'])
    const result = await loadSignedPacks({ packKey, manifestUrl: 'https://cdn.example/packs.manifest', expected: EXPECTED_SPECS, cache, report: (e) => reported.push(e), now: T0 })
    expect(result).toBeUndefined()
    expect(codes()).toEqual(['pack_load_failed', 'pack_origin'])
  })

  it('reports a malformed pinned key (pack_key_invalid) and never throws', async () => {
    expect(await load(T0, { packKey: 'ed25519-short' })).toBeUndefined()
    expect(codes()).toEqual(['pack_key_invalid'])
    expect(fetchMock).not.toHaveBeenCalled()
  })
})

describe('publishPacks', () => {
  it('versions grow by one; a kind not given keeps its last pack; rolling back is publishing the old pack again', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3), lifetime: shipped('lifetime') } })
    const second = await publishPacks({ outDir: site, key, packs: { session: variant(0.4) } })
    expect(second.version).toBe(2)
    expect(second.manifest.packs.lifetime?.url).toBe('lifetime-v1.json')
    const third = await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } })
    expect(third.version).toBe(3)
    expect((await readPublishedManifest(site))?.version).toBe(3)
    const result = await load(T0)
    expect(result?.packs.session).toEqual(variant(0.3))
    expect(result?.packs.lifetime).toEqual(shipped('lifetime'))
  })

  it('removes the temporary files a publish killed half-way left, only its own and only old ones', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } })
    const ago = (file: string, hours: number) => utimesSync(join(site, file), new Date(Date.now() - hours * 3_600_000), new Date(Date.now() - hours * 3_600_000))
    // A publish killed (or a host cut off) while it wrote the manifest or a pack leaves a temporary file beside it.
    const left = ['packs.manifest.4242-0a1b2c3d.tmp', 'packs.manifest.17-ffffffff.tmp', 'session-v7.json.4242-0a1b2c3e.tmp', 'lifetime-v2.json.4242-0a1b2c3f.tmp']
    // One being written now, and files of others (the shop's, an editor's).
    const kept = ['packs.manifest.4343-0a1b2c41.tmp', 'notes.txt.tmp', 'packs.manifest.tmp', 'backup.4242-0a1b2c42.tmp', 'xpacks.manifest.4242-0a1b2c43.tmp', 'session-v7.json.tmp', 'session.json.4242-0a1b2c44.tmp']
    for (const file of [...left, ...kept]) writeFileSync(join(site, file), '-----BEGIN')
    for (const file of [...left, ...kept.slice(1)]) ago(file, 25)
    expect((await publishPacks({ outDir: site, key, packs: { session: variant(0.4) } })).version).toBe(2)
    for (const file of left) expect(existsSync(join(site, file)), file).toBe(false)
    for (const file of kept) expect(existsSync(join(site, file)), file).toBe(true)
  })

  it('refuses a pack browsers would refuse, an unreadable manifest, and nothing to publish', async () => {
    const refused = async (promise: Promise<unknown>) => {
      const error = await promise.then(() => undefined, (e: unknown) => e)
      expect(isSegletError(error) && error.code).toBe('collector_pack')
      return (error as Error).message
    }
    // A pack of the other kind: one line that says so and how to give it, not the spec check's list of its features.
    expect(await refused(publishPacks({ outDir: site, key, packs: { session: shipped('lifetime') } }))).toBe('the session pack is a lifetime pack (lifetime@1.0.0): give it with --lifetime')
    const lifetimeFile = fileURLToPath(new URL('../../src/models/lifetime.json', import.meta.url))
    expect(await refused(publishPacks({ outDir: site, key, packs: { session: lifetimeFile } }))).toBe(`the session pack ${lifetimeFile} is a lifetime pack (lifetime@1.0.0): give it with --lifetime`)
    const sessionFile = fileURLToPath(new URL('../../src/models/session.json', import.meta.url))
    expect(await refused(publishPacks({ outDir: site, key, packs: { lifetime: sessionFile } }))).toBe(`the lifetime pack ${sessionFile} is a session pack (session@1.0.0): give it with --session`)
    expect(await refused(publishPacks({ outDir: site, key, packs: { session: { ...shipped('session'), featureSpec: { ...shipped('session').featureSpec, version: 'session-0' } } } }))).toMatch(/pack_spec_mismatch/)
    expect(await refused(publishPacks({ outDir: site, key, packs: {} }))).toMatch(/no pack/)
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } })
    writeFileSync(manifestFile(), 'garbage')
    expect(await refused(publishPacks({ outDir: site, key, packs: { session: variant(0.3) } }))).toMatch(/not a readable pack manifest.*move it away.*--min-version/)
    // The way out it names: moved away, and published above any version browsers may have stored.
    writeFileSync(manifestFile() + '.broken', readFileSync(manifestFile()))
    rmSync(manifestFile())
    expect((await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, minVersion: 100 })).version).toBe(100)
  })

  it('refuses a pack whose decisions could never be reported: a version outside the pack-id characters, more than 16 segment labels', async () => {
    const refused = async (pack: ModelPack) => {
      const error = await publishPacks({ outDir: site, key, packs: { session: pack } }).then(() => undefined, (e: unknown) => e)
      expect(isSegletError(error) && error.code).toBe('collector_pack')
      return (error as Error).message
    }
    expect(await refused({ ...variant(0.3), version: '2.0.0 beta' })).toMatch(/"session@2\.0\.0 beta" cannot be carried by private reports/)
    const many = variant(0.3)
    const head = Object.values(many.heads).find((h) => h.kind === 'segment') as { labels: string[] }
    head.labels = Array.from({ length: 17 }, (_, i) => `segment-${i}`)
    // A network of 17 segment units, as the browsers' pack check would accept it.
    const check = vi.spyOn(checkModule, 'checkPack').mockImplementation((value) => value as ModelPack)
    expect(await refused(many)).toMatch(/17 segment labels: private reports carry at most 16/)
    check.mockRestore()
    expect(existsSync(manifestFile())).toBe(false)
  })

  it('refuses to keep a published pack whose decisions could never be reported (one published before publish-pack checked)', async () => {
    // Version 1, as an earlier publish-pack wrote it: a lifetime pack whose id reports cannot carry.
    const old = { ...shipped('lifetime'), version: '1.0.0 beta' }
    const bytes = new TextEncoder().encode(JSON.stringify(old))
    mkdirSync(site, { recursive: true })
    writeFileSync(join(site, 'lifetime-v1.json'), bytes)
    const entry = { url: 'lifetime-v1.json', integrity: 'sha256-' + createHash('sha256').update(bytes).digest('base64'), bytes: bytes.byteLength, signature: signBytes(key, PACK_CONTEXT, bytes) }
    const payload = JSON.stringify({ format: 'seglet-pack-manifest', formatVersion: 1, version: 1, published: new Date(T0).toISOString(), expires: new Date(T0 + 90 * DAY).toISOString(), packs: { lifetime: entry } })
    writeFileSync(manifestFile(), `${SIGNATURE_LINE_PREFIX}${key.keyId} ${signBytes(key, MANIFEST_CONTEXT, new TextEncoder().encode(payload))}\n${payload}`)
    expect((await readPublishedManifest(site))?.version).toBe(1)
    const error = await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } }).then(() => undefined, (e: unknown) => e)
    expect(isSegletError(error) && error.code).toBe('collector_pack')
    expect((error as Error).message).toMatch(/last published lifetime pack .*lifetime-v1\.json.*"lifetime@1\.0\.0 beta" cannot be carried by private reports.*give a lifetime pack/)
    expect((await readPublishedManifest(site))?.version).toBe(1)
    // Given a lifetime pack, it publishes.
    expect((await publishPacks({ outDir: site, key, packs: { session: variant(0.3), lifetime: shipped('lifetime') } })).version).toBe(2)
  })

  it("refuses packs whose ids together (session…+lifetime…, as reports carry them) are longer than 64 characters", async () => {
    const refused = async (packs: { session?: ModelPack; lifetime?: ModelPack }) => {
      const error = await publishPacks({ outDir: site, key, packs }).then(() => undefined, (e: unknown) => e)
      expect(isSegletError(error) && error.code, JSON.stringify(Object.values(packs).map((p) => p?.version))).toBe('collector_pack')
      return (error as Error).message
    }
    // Each id alone within 64 characters, both together not.
    const long = { ...variant(0.3), version: '1.0.0-' + 'a'.repeat(30) }
    const longLifetime = { ...shipped('lifetime'), version: '1.0.0-' + 'b'.repeat(30) }
    expect(await refused({ session: long, lifetime: longLifetime })).toMatch(/"session@1\.0\.0-a+\+lifetime@1\.0\.0-b+" \(90 characters\).*at most 64/)
    // A kind the manifest does not list: pages run the shipped pack of it (lifetime@1.0.0).
    expect(await refused({ session: { ...variant(0.3), version: 'x'.repeat(42) } })).toMatch(/65 characters, with the shipped lifetime pack/)
    expect(existsSync(manifestFile())).toBe(false)
    // Pages that hash-pin a lifetime pack of their own report under its id, which only listing it lets the check see:
    // refused with the shipped one assumed, the pair they report under publishes, and a pair too long is refused.
    const sessionOfPages = { ...variant(0.3), version: 'y'.repeat(45) }
    expect(await refused({ session: sessionOfPages })).toMatch(/list it in the manifest too \(publish-pack --lifetime FILE\)/)
    const shortLifetime = { ...shipped('lifetime'), version: '2' }
    expect(`${(await publishPacks({ outDir: site, key, packs: { session: sessionOfPages, lifetime: shortLifetime } })).version}`).toBe('1')
    rmSync(site, { recursive: true, force: true })
    expect(await refused({ session: variant(0.3), lifetime: { ...shipped('lifetime'), version: 'z'.repeat(50) } })).toMatch(/characters\), cannot be carried/)
    expect((await publishPacks({ outDir: site, key, packs: { session: { ...variant(0.3), version: 'x'.repeat(41) } } })).version).toBe(1)
    // The kept session pack, with a new lifetime pack whose id together with it is too long.
    expect(await refused({ lifetime: { ...shipped('lifetime'), version: '1.0.0-b' } })).toMatch(/66 characters/)
    expect((await readPublishedManifest(site))?.version).toBe(1)
  })

  it('renews a manifest within 30 days of its expiry, or a third of its lifetime when that is shorter: not every day for a short lifetime', async () => {
    const renewedAt = async (days: number, lifetimeDays: number) => {
      rmSync(site, { recursive: true, force: true })
      await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, expiresInDays: lifetimeDays, now: new Date(T0) })
      return (await renewManifest({ outDir: site, key, now: new Date(T0 + days * DAY) }))?.version
    }
    // 90 days (the default): renewed with 30 days left, not before.
    expect(await renewedAt(59, 90)).toBeUndefined()
    expect(await renewedAt(60, 90)).toBe(2)
    // 30 days: renewed with 10 days left; the day after a renewal, nothing to do.
    expect(await renewedAt(1, 30)).toBeUndefined()
    expect(await renewedAt(19, 30)).toBeUndefined()
    expect(await renewedAt(20, 30)).toBe(2)
    expect(await renewManifest({ outDir: site, key, now: new Date(T0 + 21 * DAY) })).toBeUndefined()
    // 3 days: renewed with 1 day left.
    expect(await renewedAt(1, 3)).toBeUndefined()
    expect(await renewedAt(2, 3)).toBe(2)
  })

  it('renews a manifest of a few days a day before its end, so a daily retrain that runs a little early or late does not let it lapse', async () => {
    const renewedAt = async (days: number, lifetimeDays: number) => {
      rmSync(site, { recursive: true, force: true })
      await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, expiresInDays: lifetimeDays, now: new Date(T0) })
      return (await renewManifest({ outDir: site, key, now: new Date(T0 + days * DAY) }))?.version
    }
    // 2 days: the next day's run renews it; the one after would find it expired.
    expect(await renewedAt(1, 2)).toBe(2)
    // 3 days: the run of its second day, ten minutes earlier than the publish the day it was made, renews it.
    expect(await renewedAt(2 - 10 / 1440, 3)).toBe(2)
    // Longer ones keep their third: 30 days is not renewed with 11 days left.
    expect(await renewedAt(19, 30)).toBeUndefined()
  })

  it('publishes one at a time: two at once (a scheduled retrain and a publish by hand) get versions 2 and 3, and the manifest signs what is served', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } })
    const results = await Promise.all([
      publishPacks({ outDir: site, key, packs: { session: variant(0.4) } }),
      publishPacks({ outDir: site, key, packs: { session: variant(0.5) } }),
    ])
    expect(results.map((r) => r.version).sort()).toEqual([2, 3])
    const manifest = (await readPublishedManifest(site))!
    expect(manifest.version).toBe(3)
    for (const version of [2, 3]) {
      const served = readFileSync(join(site, `session-v${version}.json`))
      const published = results.find((r) => r.version === version)!.manifest.packs.session!
      expect('sha256-' + createHash('sha256').update(served).digest('base64')).toBe(published.integrity)
    }
    expect(existsSync(join(site, 'packs.lock'))).toBe(false)
  })

  it('takes over the lock a publish killed half-way left, at once when its process is gone from this machine', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } })
    // A publish-pack (or a scheduled retrain) killed while it held the lock: its process is gone.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!
    writeFileSync(join(site, 'packs.lock'), `${gone} ${machine()} 0a1b2c3d\n`)
    const started = Date.now()
    expect((await publishPacks({ outDir: site, key, packs: { session: variant(0.4) } })).version).toBe(2)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(existsSync(join(site, 'packs.lock'))).toBe(false)
  }, 60_000)

  it('takes over a lock nobody touched for a while (a publish killed on another host, or by an earlier version)', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } })
    const lock = join(site, 'packs.lock')
    for (const round of [0, 1, 2]) {
      writeFileSync(lock, `4242 ${new Date(Date.now() - 120_000).toISOString()}\n`)
      const ago = new Date(Date.now() - 120_000)
      utimesSync(lock, ago, ago)
      // Five publishers find it at once: one takes it over, and they publish one after the other.
      const results = await Promise.all([0.4, 0.5, 0.6, 0.7, 0.8].map((t) => publishPacks({ outDir: site, key, packs: { session: variant(t) } })))
      const first = 2 + round * 5
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([first, first + 1, first + 2, first + 3, first + 4])
      expect((await readPublishedManifest(site))?.version).toBe(first + 4)
      expect(readdirSync(site).filter((name) => name.startsWith('packs.lock'))).toEqual([])
    }
  }, 60_000)

  it('takes over the lock even when a publish killed while it took it over left its marker behind', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } })
    const lock = join(site, 'packs.lock')
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!
    // A marker of a publish of this machine that is gone, and one of another host nobody touched for a while.
    for (const [round, taker] of [`${gone} ${machine()} 0a1b2c3d`, '77 other-host 0a1b2c3e'].entries()) {
      writeFileSync(lock, `${gone} ${machine()} 0a1b2c3f\n`)
      const info = statSync(lock)
      const marker = `${lock}.${info.ino}-${Math.floor(info.mtimeMs)}.takeover`
      writeFileSync(marker, `${taker}\n`)
      const ago = new Date(Date.now() - 120_000)
      utimesSync(marker, ago, ago)
      const started = Date.now()
      expect((await publishPacks({ outDir: site, key, packs: { session: variant(0.4) } })).version).toBe(2 + round)
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(readdirSync(site).filter((name) => name.startsWith('packs.lock'))).toEqual([])
    }
  }, 60_000)

  it('waits for a lock a running publisher holds, however long its publish takes', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) } })
    const lock = join(site, 'packs.lock')
    // A live process of this machine that touches its lock, and one of another host that touched it lately.
    // And one of a container that shares this host name but not its processes (host networking): not provably gone.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!
    for (const holder of [`${process.ppid} ${machine()} 0a1b2c3d`, `77 other-host 0a1b2c3e`, `${gone} ${hostname()}/pid:[1] 0a1b2c3f`]) {
      writeFileSync(lock, `${holder}\n`)
      let done = false
      const publishing = publishPacks({ outDir: site, key, packs: { session: variant(0.4) } }).finally(() => (done = true))
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      expect(done).toBe(false)
      expect(readFileSync(lock, 'utf8')).toBe(`${holder}\n`)
      rmSync(lock)
      await publishing
    }
    expect((await readPublishedManifest(site))?.version).toBe(4)
  }, 60_000)

  it('refuses a pack file saved with a byte-order mark, which browsers would refuse, and publishes it without', async () => {
    const text = readFileSync(new URL('../../src/models/session.json', import.meta.url))
    const withBom = join(dir, 'session-bom.json')
    writeFileSync(withBom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]))
    const error = await publishPacks({ outDir: site, key, packs: { session: withBom } }).then(() => undefined, (e: unknown) => e)
    expect(isSegletError(error) && error.code).toBe('collector_pack')
    expect((error as Error).message).toBe(`the session pack ${withBom} starts with a byte-order mark, which browsers refuse: save it as UTF-8 without one`)
    const plain = join(dir, 'session.json')
    writeFileSync(plain, text)
    await publishPacks({ outDir: site, key, packs: { session: plain } })
    const result = await loadSignedPacks({ packKey, expected: EXPECTED_SPECS, report: (e) => reported.push(e), cache })
    expect(reported).toEqual([])
    expect(result?.packs.session).toBeDefined()
  })
})

describe('the collector serves what publish-pack wrote', () => {
  it('at /seglet/packs.manifest and /seglet/<kind>-v<n>.json, and nothing else of the folder', async () => {
    await publishPacks({ outDir: site, key, packs: { session: variant(0.3) }, now: new Date(T0) })
    writeFileSync(join(site, 'secret.txt'), 'not for the web')
    const db = await openDatabase('memory:')
    try {
      await migrate(db)
      const collector = createCollector(db, createReportEstimator({ pageKeys: [] }), { packsDir: site })
      const manifest = await collector.app.request('/seglet/packs.manifest')
      expect(manifest.status).toBe(200)
      expect(manifest.headers.get('set-cookie')).toBeNull()
      expect(new Uint8Array(await manifest.arrayBuffer())).toEqual(new Uint8Array(readFileSync(manifestFile())))
      for (const path of ['/seglet/secret.txt', '/seglet/session-v2.json', '/seglet/..%2Fkeys%2Fpack-signing.key']) {
        expect((await collector.app.request(path)).status).toBe(404)
      }
      // The browser's code, fetching through the collector.
      fetchMock.mockImplementation((url: string) => collector.app.request(new URL(url).pathname))
      expect((await load(T0))?.packs.session).toEqual(variant(0.3))
      expect(codes()).toEqual([])
      await collector.close()
    } finally {
      await db.close()
    }
    // The embedded database (PostgreSQL in WebAssembly) takes a while to start on a busy machine.
  }, 300_000)
})

describe('keys', () => {
  it('keygen writes the private key with mode 0600, refuses to replace it, and the key must stay private to be used', async () => {
    const keys = join(dir, 'keys', 'pack-signing.key')
    expect(statSync(keys).mode & 0o777).toBe(0o600)
    const error = await generatePackKeys(join(dir, 'keys')).catch((e: unknown) => e)
    expect(isSegletError(error) && error.code).toBe('collector_pack')
    chmodSync(keys, 0o644)
    await expect(readPackSigningKey(keys)).rejects.toThrow(/chmod 600/)
    await expect(readPackSigningKey(join(dir, 'missing.key'))).rejects.toThrow(/keygen/)
  })

  it('keygen says in one line why it cannot write the keys, instead of a stack trace', async () => {
    writeFileSync(join(dir, 'file'), '')
    const blocked = join(dir, 'blocked')
    mkdirSync(join(blocked, 'pack-signing.pub'), { recursive: true })
    // Plain words, the path named once: not the system's "ENOTDIR: not a directory, mkdir '…'" repeating it.
    for (const [keys, file, problem] of [[join(dir, 'file', 'keys'), 'pack-signing.key', 'a file on this path is not a folder'], [blocked, 'pack-signing.pub', 'a folder, not a file']]) {
      const lines: string[] = []
      expect(await runPackCommand(['keygen', '--dir', keys!], (l) => lines.push(l), (l) => lines.push(l)), keys).toBe(1)
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^seglet collector keygen: cannot write ${join(keys!, file!)}: ${problem}( \\(|$)`))])
    }
  })

  it('the keygen and publish-pack commands print the tag to paste and what they published', async () => {
    const lines: string[] = []
    expect(await runPackCommand(['keygen', '--dir', join(dir, 'cli')], (l) => lines.push(l), (l) => lines.push(l))).toBe(0)
    const tag = lines.find((l) => l.includes('data-pack-key='))!.trim()
    expect(tag).toMatch(/^data-pack-key="ed25519-[A-Za-z0-9+/]{43}="$/)
    const sessionFile = join(dir, 'session.json')
    writeFileSync(sessionFile, JSON.stringify(variant(0.3)))
    lines.length = 0
    const args = ['publish-pack', '--key', join(dir, 'cli', 'pack-signing.key'), '--out', site, '--session', sessionFile]
    expect(await runPackCommand(args, (l) => lines.push(l), (l) => lines.push(l))).toBe(0)
    expect(lines[0]).toMatch(/^Published version 1 /)
    expect(await runPackCommand(['publish-pack', '--bogus'], () => {}, () => {})).toBe(2)
    const said: string[] = []
    expect(await runPackCommand(['publish-pack', '--sesion', sessionFile], () => {}, (l) => said.push(l))).toBe(2)
    // One line, as the collector's other commands say it, not the usage of both commands after it.
    expect(said).toEqual(["seglet collector publish-pack: Unknown option '--sesion' — did you mean '--session'? (see --help)"])
    expect(await runPackCommand([...args, '--expires-days', '0'], () => {}, () => {})).toBe(2)
    const pinned = tag.slice('data-pack-key="'.length, -1)
    expect((await load(T0, { packKey: pinned }))?.packs.session).toEqual(variant(0.3))
  })
})
