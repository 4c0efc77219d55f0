import { ModelPackError, SegletError } from '../errors'
import { bytesToBase64 } from '../lib/bytesToBase64'
import { fetchFileBytes } from '../lib/fetchFileBytes'
import type { TextCache } from '../lib/loadVerifiedText'
import { sameOriginUrl } from '../lib/sameOriginUrl'
import { base64ToArrayBuffer } from './base64'
import { checkPack } from './checkPack'
import { decodePackWeights } from './decodePackWeights'
import type { DenseWeights, ExpectedFeatureSpec, ModelPack } from './types'
import { CACHE_META_PREFIX } from '../store/constants'
import type { PackManifest, PackManifestEntry } from './manifest'
import { parseManifest } from './manifest'
import type { PinnedKey } from './packKeys'
import { getSubtle, importPackKeys } from './packKeys'
import { DEFAULT_PACK_MANIFEST_URL, MANIFEST_CONTEXT, MANIFEST_FORMAT_VERSION, MAX_MANIFEST_BYTES, PACK_CHECK_INTERVAL_MS, PACK_CONTEXT } from './signedFormat'
import { verifySignature, verifySigned } from './verifySignature'

type PackKind = ModelPack['kind']

/** Options of {@link loadSignedPacks}. */
export interface LoadSignedPacksOptions {
  /** The public key(s) the page pins: `ed25519-<base64>`, several separated by spaces. Required. */
  packKey: string
  /**
   * Where the signed manifest is, on the page's own origin.
   * @default DEFAULT_PACK_MANIFEST_URL ('/seglet/packs.manifest')
   */
  manifestUrl?: string
  /** The feature spec the SDK computes for each kind it uses; only these kinds are loaded. */
  expected: Partial<Record<PackKind, ExpectedFeatureSpec>>
  /** Keeps the last good packs and the time of the last check (the store's `getMeta`/`setMeta`). */
  cache: TextCache
  /** Where a failed check is reported (the `onError` of the running Seglet). Never throws into the page. */
  report: (error: SegletError) => void
  /**
   * The current time, in ms.
   * @default Date.now()
   */
  now?: number
}

/** The packs of the last good manifest. */
export interface SignedPacks {
  /** The manifest's version. */
  version: number
  /** Its packs, verified and checked against the SDK's features. */
  packs: Partial<Record<PackKind, ModelPack>>
  /** Each pack's weights, decoded once from the verified bytes when it was checked: its tensors are built from these. */
  weights: Partial<Record<PackKind, ReadonlyMap<string, DenseWeights>>>
}

/** What is stored of the last good manifest: the signed files as they were fetched, verified again on read. */
interface StoredSignedPacks {
  version: number
  manifest: string
  packs: Partial<Record<PackKind, string>>
}

/** When this browser last checked for a new manifest, and with which pinned key(s). */
interface PackCheck {
  checkedAt: number
  /** The pinned keys, sorted, one space apart. */
  packKey: string
}

/** Cache key of the last good manifest and packs of a manifest URL. */
export const signedPacksCacheKey = (href: string): string => `${CACHE_META_PREFIX}signed-packs@${MANIFEST_FORMAT_VERSION}:${href}`

/** Cache key of the time of the last check of a manifest URL. */
export const packCheckCacheKey = (href: string): string => `${CACHE_META_PREFIX}signed-packs-check:${href}`

/**
 * The shop's signed packs, updated at most once a day, never worse than the last good ones. Reads the last
 * good manifest and packs from the store (verified again against the pinned keys) and, when the last check is a
 * day old (or the pinned keys changed), fetches the manifest from the page's own origin: its signature is
 * checked before any of it is parsed, then its version (never lower than the last good one), its expiry, and
 * each listed pack (size, SHA-256, its own signature, the pack format, the SDK's feature spec). A newer
 * version that passes everything replaces the stored one; any failure is reported once through `report`
 * and the last good packs stay in use. Resolves to `undefined` when there are none (use the hash-pinned or
 * shipped packs then). Never rejects.
 *
 * Failures reported: `pack_key_invalid`, `pack_signature_unsupported`, `pack_origin`, `pack_load_failed`,
 * `pack_too_large`, `pack_signature_missing`, `pack_signature_key`, `pack_signature_invalid`,
 * `pack_manifest_invalid`, `pack_manifest_expired`, `pack_rollback`, `pack_integrity`, `pack_invalid`,
 * `pack_spec_mismatch`.
 *
 * @example
 * const signed = await loadSignedPacks({ packKey, expected: { session: SESSION_SPEC }, cache: store, report })
 * const pack = signed?.packs.session ?? SHIPPED_PACKS.session
 */
export async function loadSignedPacks(options: LoadSignedPacksOptions): Promise<SignedPacks | undefined> {
  const { packKey, manifestUrl = DEFAULT_PACK_MANIFEST_URL, expected, cache, report, now = Date.now() } = options
  const href = sameOriginUrl(manifestUrl)
  if (!href) {
    report(new ModelPackError('pack_origin', `The pack manifest URL ${JSON.stringify(manifestUrl)} is not on this page's origin; Seglet only loads files from the shop's own origin.`))
    return undefined
  }
  // A stored record the store fails to read (a damaged value) is never written over: it holds the version in use, below
  // which no manifest is taken. This page checks the manifest, as no packs are known to it.
  let unread: boolean | undefined
  const [stored, check] = await Promise.all([read<StoredSignedPacks>(cache, signedPacksCacheKey(href), () => (unread = true)), read<PackCheck>(cache, packCheckCacheKey(href))])
  const age = check ? now - check.checkedAt : NaN
  // The same keys in another order or spacing (two templates of one shop) are the same check.
  const pinned = String(packKey).trim().split(/\s+/).sort().join(' ')
  // A clock set back (age < 0) does not hold the next check off.
  const due = unread || check?.packKey !== pinned || !(age >= 0 && age < PACK_CHECK_INTERVAL_MS)
  const markChecked = () => cache.setMeta(packCheckCacheKey(href), { checkedAt: now, packKey: pinned } satisfies PackCheck).catch(() => undefined)

  let keys: PinnedKey[]
  try {
    keys = await importPackKeys(packKey)
  } catch (error) {
    const failure = toPackError(error)
    // A browser without Ed25519 says so once a day, not on every page.
    if (failure.code !== 'pack_signature_unsupported' || due) report(failure)
    if (due) await markChecked()
    return undefined
  }
  let unpinned = false
  const good = stored ? await openStored(stored, keys, expected, href).catch((error) => void (unpinned = error?.code === 'pack_signature_key')) : undefined
  if (!due) return good
  await markChecked()
  try {
    // The floor is the stored version while its key is pinned (its packs may no longer match this SDK). A key
    // the page no longer pins, retired or leaked, holds nothing back: a leaked key may have signed any version.
    const floor = good?.version ?? (!unpinned && Number.isSafeInteger(stored?.version) ? stored!.version : 0)
    const fresh = await fetchSignedPacks(href, keys, expected, now, floor, good ? stored!.manifest : undefined)
    if (!fresh) return good
    // A full or failing store only costs the next page load a request.
    if (!unread) await cache.setMeta(signedPacksCacheKey(href), fresh.record).catch(() => undefined)
    return fresh.packs
  } catch (error) {
    report(toPackError(error))
    return good
  }
}

/**
 * Fetches and verifies the manifest and its packs; `undefined` when it is the manifest in use (`inUse`, its text, at
 * version `floor`).
 */
async function fetchSignedPacks(
  href: string,
  keys: readonly PinnedKey[],
  expected: LoadSignedPacksOptions['expected'],
  now: number,
  floor: number,
  inUse: string | undefined,
): Promise<{ packs: SignedPacks; record: StoredSignedPacks } | undefined> {
  const what = `pack manifest ${href}`
  const fail = (kind: 'load_failed' | 'too_large', message: string, cause?: unknown) => new ModelPackError(`pack_${kind}`, message, cause)
  // Public files: no cookie goes with the daily check. fetchFileBytes() names the file by its URL itself.
  const bytes = new Uint8Array(await fetchFileBytes(href, 'pack manifest', MAX_MANIFEST_BYTES, fail, 'omit'))
  const { manifest, key } = await openManifest(bytes, keys, what, now)
  if (manifest.version < floor) {
    throw new ModelPackError('pack_rollback', `The ${what} has version ${manifest.version}, older than version ${floor} in use. It was not used.`)
  }
  if (manifest.version === floor && inUse !== undefined) {
    if (new TextDecoder().decode(bytes) === inUse) return undefined
    // A version is published once: another manifest under it comes from a publish folder restored from a backup or
    // started again, whose next versions browsers that stored a later one would otherwise pass over in silence.
    throw new ModelPackError(
      'pack_rollback',
      `The ${what} has version ${floor}, the version in use, with other contents: its publish folder was restored or started again. It was not used; publish with --min-version above ${floor}.`,
    )
  }
  const packs: SignedPacks['packs'] = {}
  const weights: SignedPacks['weights'] = {}
  const texts: StoredSignedPacks['packs'] = {}
  for (const [kind, entry] of entriesOf(manifest, expected)) {
    const packHref = sameOriginUrl(new URL(entry.url, href).href)
    if (!packHref) {
      throw new ModelPackError('pack_origin', `The ${what} lists a ${kind} pack on another origin (${entry.url}). It was not used.`)
    }
    const packWhat = `${kind} pack ${packHref} (manifest version ${manifest.version})`
    const packBytes = new Uint8Array(await fetchFileBytes(packHref, `${kind} pack`, entry.bytes, fail, 'omit'))
    const opened = await openPack(packBytes, entry, key, expected[kind]!, packWhat)
    packs[kind] = opened.pack
    weights[kind] = opened.weights
    texts[kind] = opened.text
  }
  return {
    packs: { version: manifest.version, packs, weights },
    record: { version: manifest.version, manifest: new TextDecoder().decode(bytes), packs: texts },
  }
}

/** The stored manifest and packs, verified again as if just fetched (expiry aside: they stay in use). */
async function openStored(stored: StoredSignedPacks, keys: readonly PinnedKey[], expected: LoadSignedPacksOptions['expected'], href: string): Promise<SignedPacks> {
  const encoder = new TextEncoder()
  const { manifest, key } = await openManifest(encoder.encode(stored.manifest), keys, `stored pack manifest ${href}`, -Infinity)
  const packs: SignedPacks['packs'] = {}
  const weights: SignedPacks['weights'] = {}
  for (const [kind, entry] of entriesOf(manifest, expected)) {
    const opened = await openPack(encoder.encode(stored.packs[kind]), entry, key, expected[kind]!, `stored ${kind} pack`)
    packs[kind] = opened.pack
    weights[kind] = opened.weights
  }
  return { version: manifest.version, packs, weights }
}

/** The manifest's signature, then its fields. */
async function openManifest(bytes: Uint8Array, keys: readonly PinnedKey[], what: string, now: number): Promise<{ manifest: PackManifest; key: PinnedKey }> {
  const { payload, key } = await verifySigned(bytes, keys, MANIFEST_CONTEXT, what)
  return { manifest: parseManifest(payload, what, now), key }
}

/** A pack's hash and signature, then its format and features. */
async function openPack(
  bytes: Uint8Array,
  entry: PackManifestEntry,
  key: PinnedKey,
  expected: ExpectedFeatureSpec,
  what: string,
): Promise<{ pack: ModelPack; weights: Map<string, DenseWeights>; text: string }> {
  const digest = 'sha256-' + bytesToBase64(await getSubtle().digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  if (digest !== entry.integrity) {
    throw new ModelPackError('pack_integrity', `The ${what} does not match the hash its manifest signs: expected ${entry.integrity}, got ${digest}. It was not used.`)
  }
  await verifySignature(key, new Uint8Array(base64ToArrayBuffer(entry.signature)), bytes, PACK_CONTEXT, what)
  let text: string
  let value: unknown
  try {
    // The BOM is kept, so the stored text re-encodes to the very bytes that were signed.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
    value = JSON.parse(text)
  } catch (error) {
    throw new ModelPackError('pack_invalid', `Invalid ${what}: not JSON text (${(error as Error).message}).`, error)
  }
  const pack = checkPack(value, expected)
  // Refused here, as the runtime would refuse it, so it never replaces the last good pack; the runtime
  // builds the pack from these weights rather than decoding them again.
  return { pack, weights: decodePackWeights(pack), text }
}

function entriesOf(manifest: PackManifest, expected: LoadSignedPacksOptions['expected']): Array<[PackKind, PackManifestEntry]> {
  return (Object.keys(expected) as PackKind[]).filter((kind) => manifest.packs[kind]).map((kind) => [kind, manifest.packs[kind]!])
}

/** The stored object under `key`, else `undefined`; a read that fails calls `unread`. */
async function read<T>(cache: TextCache, key: string, unread?: () => void): Promise<T | undefined> {
  try {
    const value = await cache.getMeta(key)
    return typeof value === 'object' && value !== null ? (value as T) : undefined
  } catch {
    unread?.()
    return undefined
  }
}

function toPackError(error: unknown): SegletError {
  return error instanceof SegletError ? error : new ModelPackError('pack_load_failed', `Signed packs could not be checked: ${String(error)}`, error)
}
