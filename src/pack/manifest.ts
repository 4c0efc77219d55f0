import { ModelPackError } from '../errors'
import { MAX_PACK_BYTES } from '../model/loadPackFromUrl'
import type { ModelPack } from './types'
import { MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION } from './signedFormat'

/** One pack a manifest publishes. */
export interface PackManifestEntry {
  /** Where the pack file is, relative to the manifest (same origin only). */
  url: string
  /** `sha256-<base64>` of the exact pack file. */
  integrity: string
  /** Size of the pack file in bytes: a longer body is refused while it streams. */
  bytes: number
  /** Ed25519 signature (base64) of `PACK_CONTEXT` + the pack file's bytes, by the key that signed the manifest. */
  signature: string
}

/** A pack manifest: which packs are current, under a version number that only ever grows. */
export interface PackManifest {
  format: typeof MANIFEST_FORMAT
  formatVersion: typeof MANIFEST_FORMAT_VERSION
  /** Whole number ≥ 1, higher with each publication: a browser never goes back to a lower one. */
  version: number
  /** When it was published (ISO 8601). */
  published: string
  /** After this (ISO 8601) browsers refuse the manifest and keep what they have: publish again before. */
  expires?: string
  /** The packs, by kind. */
  packs: Partial<Record<ModelPack['kind'], PackManifestEntry>>
}

const KINDS: ReadonlyArray<ModelPack['kind']> = ['session', 'lifetime']
const INTEGRITY = /^sha256-[A-Za-z0-9+/]{43}=$/
const SIGNATURE = /^[A-Za-z0-9+/]{86}==$/

/**
 * Reads a manifest's JSON (already verified: see `verifySigned()`) and checks every field. Throws a
 * `ModelPackError`: `pack_manifest_invalid` for anything malformed, `pack_manifest_expired` once `expires`
 * has passed at `now`.
 *
 * @example
 * const manifest = parseManifest(payload, 'pack manifest /seglet/packs.manifest', Date.now())
 */
export function parseManifest(payload: Uint8Array | string, what: string, now: number): PackManifest {
  const invalid = (why: string): never => {
    throw new ModelPackError('pack_manifest_invalid', `The ${what} is malformed: ${why}. It was not used.`)
  }
  let value: Record<string, unknown> | undefined
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder('utf-8', { fatal: true }).decode(payload))
  } catch (error) {
    invalid(`not JSON (${(error as Error).message})`)
  }
  if (!isObject(value)) return invalid('not a JSON object')
  if (value.format !== MANIFEST_FORMAT) invalid(`"format" must be "${MANIFEST_FORMAT}"`)
  if (value.formatVersion !== MANIFEST_FORMAT_VERSION) invalid(`"formatVersion" ${JSON.stringify(value.formatVersion)} is not ${MANIFEST_FORMAT_VERSION}, the one this SDK reads`)
  const { version, published, expires, packs } = value
  if (!Number.isSafeInteger(version) || (version as number) < 1) invalid('"version" must be a whole number from 1')
  if (typeof published !== 'string' || Number.isNaN(Date.parse(published))) invalid('"published" must be an ISO 8601 date')
  if (expires !== undefined && (typeof expires !== 'string' || Number.isNaN(Date.parse(expires)))) invalid('"expires" must be an ISO 8601 date')
  if (!isObject(packs)) return invalid('"packs" must be an object')
  const entries: PackManifest['packs'] = {}
  for (const kind of KINDS) {
    const entry = packs[kind]
    if (entry === undefined) continue
    if (!isObject(entry)) return invalid(`packs.${kind} must be an object`)
    const { url, integrity, bytes, signature } = entry
    if (typeof url !== 'string' || url.length < 1 || url.length > 2048) invalid(`packs.${kind}.url must be a URL`)
    if (typeof integrity !== 'string' || !INTEGRITY.test(integrity)) invalid(`packs.${kind}.integrity must be "sha256-<base64>"`)
    if (!Number.isSafeInteger(bytes) || (bytes as number) < 1 || (bytes as number) > MAX_PACK_BYTES) invalid(`packs.${kind}.bytes must be a whole number from 1 to ${MAX_PACK_BYTES}`)
    if (typeof signature !== 'string' || !SIGNATURE.test(signature)) invalid(`packs.${kind}.signature must be a base64 Ed25519 signature`)
    entries[kind] = { url: url as string, integrity: integrity as string, bytes: bytes as number, signature: signature as string }
  }
  if (Object.keys(entries).length === 0) invalid('"packs" lists neither a session nor a lifetime pack')
  if (expires !== undefined && Date.parse(expires as string) <= now) {
    throw new ModelPackError('pack_manifest_expired', `The ${what} (version ${String(version)}) expired on ${String(expires)}. It was not used; publish the packs again to renew it.`)
  }
  return { format: MANIFEST_FORMAT, formatVersion: MANIFEST_FORMAT_VERSION, version: version as number, published: published as string, expires: expires as string | undefined, packs: entries }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
