import { ModelPackError } from '../errors'
import { base64ToArrayBuffer } from './base64'
import type { PinnedKey } from './packKeys'
import { getSubtle } from './packKeys'
import { SIGNATURE_LINE, SIGNATURE_LINE_PREFIX, signedMessage } from './signedFormat'

/** A signed file taken apart: who signed it, the signature, and the exact bytes it covers. */
export interface SignedFile {
  keyId: string
  signature: Uint8Array<ArrayBuffer>
  payload: Uint8Array
}

/** Longest signature line: the prefix, a 16-digit key id, a space and 88 base64 characters. */
const MAX_LINE = SIGNATURE_LINE_PREFIX.length + 16 + 1 + 88

/**
 * Takes a signed file apart without reading past its first line: the signature line, then the payload.
 * Throws a `ModelPackError`: `pack_signature_missing` when the file does not start with a signature line
 * (an unsigned file), `pack_signature_invalid` when the line is malformed.
 *
 * @example
 * const { keyId, signature, payload } = splitSigned(bytes, 'pack manifest /seglet/packs.manifest')
 */
export function splitSigned(bytes: Uint8Array, what: string): SignedFile {
  const end = bytes.subarray(0, MAX_LINE + 2).indexOf(10)
  const prefix = new TextDecoder().decode(bytes.subarray(0, SIGNATURE_LINE_PREFIX.length))
  if (prefix !== SIGNATURE_LINE_PREFIX) {
    throw new ModelPackError('pack_signature_missing', `The ${what} is not signed: it does not start with "${SIGNATURE_LINE_PREFIX}…". It was not used.`)
  }
  const line = end < 0 ? '' : new TextDecoder().decode(bytes.subarray(0, end)).replace(/\r$/, '')
  const [, keyId, signature] = SIGNATURE_LINE.exec(line) ?? []
  if (!keyId) {
    throw new ModelPackError('pack_signature_invalid', `The ${what} has a malformed signature line. It was not used.`)
  }
  return { keyId, signature: new Uint8Array(base64ToArrayBuffer(signature)), payload: bytes.subarray(end + 1) }
}

/**
 * Checks an Ed25519 `signature` of `context` + `bytes` against `key`. Throws a `ModelPackError`
 * (`pack_signature_invalid`) when it does not verify: the bytes were changed, or another key signed them.
 *
 * @example
 * await verifySignature(key, signature, packBytes, PACK_CONTEXT, 'model pack /seglet/session-v3.json')
 */
export async function verifySignature(key: PinnedKey, signature: Uint8Array<ArrayBuffer>, bytes: Uint8Array, context: string, what: string): Promise<void> {
  let valid: boolean
  try {
    valid = await getSubtle().verify({ name: 'Ed25519' }, key.key, signature, signedMessage(context, bytes) as Uint8Array<ArrayBuffer>)
  } catch (error) {
    throw new ModelPackError('pack_signature_unsupported', `The ${what} signature cannot be checked here: ${(error as Error)?.message ?? String(error)}.`, error)
  }
  if (!valid) {
    throw new ModelPackError('pack_signature_invalid', `The ${what} does not match its signature by key ${key.id}: it was changed after signing. It was not used.`)
  }
}

/**
 * Verifies a signed file against the keys the page pins and returns the bytes it covers, before anything
 * parses them. Throws a `ModelPackError`: `pack_signature_missing` (unsigned), `pack_signature_key` (signed
 * with a key the page does not pin), `pack_signature_invalid` (malformed, changed after signing).
 *
 * @example
 * const { payload, key } = await verifySigned(bytes, keys, MANIFEST_CONTEXT, 'pack manifest /seglet/packs.manifest')
 */
export async function verifySigned(bytes: Uint8Array, keys: readonly PinnedKey[], context: string, what: string): Promise<{ payload: Uint8Array; key: PinnedKey }> {
  const { keyId, signature, payload } = splitSigned(bytes, what)
  const key = keys.find((k) => k.id === keyId)
  if (!key) {
    throw new ModelPackError(
      'pack_signature_key',
      `The ${what} is signed with key ${keyId}, which this page does not pin (it pins ${keys.map((k) => k.id).join(', ')}). It was not used.`,
    )
  }
  await verifySignature(key, signature, payload, context, what)
  return { payload, key }
}
