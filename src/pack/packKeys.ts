import { ModelPackError } from '../errors'
import { base64ToArrayBuffer } from './base64'
import { MAX_PACK_KEYS, PACK_KEY_PREFIX } from './signedFormat'

/** A public key the page pins, ready to verify with. */
export interface PinnedKey {
  /** First 8 bytes of the raw key's SHA-256, hex: how a signed file names the key that signed it. */
  id: string
  /** The key as the page wrote it (`ed25519-<base64>`). */
  text: string
  key: CryptoKey
}

const KEY_TEXT = /^ed25519-[A-Za-z0-9+/]{43}=$/

/**
 * The raw 32-byte Ed25519 public keys of a `packKey` option: one key or several separated by spaces
 * (`"ed25519-<base64> ed25519-<base64>"`, the current key and the next during a rotation). Throws a
 * `ModelPackError` (`pack_key_invalid`) for anything else.
 *
 * @example
 * parsePackKeys('ed25519-11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=') // [Uint8Array(32)]
 */
export function parsePackKeys(text: unknown): Uint8Array[] {
  const parts = typeof text === 'string' ? text.trim().split(/\s+/) : []
  if (parts.length === 0 || parts[0] === '' || parts.length > MAX_PACK_KEYS) {
    throw new ModelPackError(
      'pack_key_invalid',
      `The pack key must be 1 to ${MAX_PACK_KEYS} public keys like "${PACK_KEY_PREFIX}<base64 of 32 bytes>" separated by spaces; got ${JSON.stringify(text)}. Run "npm run collector -- keygen" to make one.`,
    )
  }
  return parts.map((part) => {
    if (!KEY_TEXT.test(part)) {
      throw new ModelPackError(
        'pack_key_invalid',
        `The pack key ${JSON.stringify(part.slice(0, 80))} is not an Ed25519 public key: expected "${PACK_KEY_PREFIX}" and the base64 of 32 bytes (44 characters).`,
      )
    }
    return new Uint8Array(base64ToArrayBuffer(part.slice(PACK_KEY_PREFIX.length)))
  })
}

/**
 * The key id of a raw public key: the first 8 bytes of its SHA-256, hex. A signed manifest names the key
 * that signed it with this id, so a page can tell "signed with a key I do not pin" from "tampered".
 *
 * @example
 * await packKeyId(raw) // '3f2a9c0d14b7e6a1'
 */
export async function packKeyId(raw: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await getSubtle().digest('SHA-256', raw as Uint8Array<ArrayBuffer>))
  let hex = ''
  for (let i = 0; i < 8; i++) hex += hash[i].toString(16).padStart(2, '0')
  return hex
}

/**
 * The pinned keys of a `packKey` option, imported for Web Crypto's Ed25519. Throws a `ModelPackError`:
 * `pack_key_invalid` for a malformed key, `pack_signature_unsupported` when this browser's Web Crypto has
 * no Ed25519 (or no `crypto.subtle` at all: the page is not served over HTTPS).
 *
 * @example
 * const keys = await importPackKeys(options.packKey)
 */
export async function importPackKeys(text: unknown): Promise<PinnedKey[]> {
  const raws = parsePackKeys(text)
  const subtle = getSubtle()
  const texts = (text as string).trim().split(/\s+/)
  return Promise.all(
    raws.map(async (raw, i) => {
      let key: CryptoKey
      try {
        key = await subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
      } catch (error) {
        throw new ModelPackError(
          (error as Error)?.name === 'NotSupportedError' ? 'pack_signature_unsupported' : 'pack_key_invalid',
          `The pack key ${texts[i]} cannot be used: ${(error as Error)?.message ?? String(error)}. New packs are not checked for; the last good pack stays in use.`,
          error,
        )
      }
      return { id: await packKeyId(raw), text: texts[i], key }
    }),
  )
}

/** `crypto.subtle`, or a `pack_signature_unsupported` error where there is none (pages not served over HTTPS). */
export function getSubtle(): SubtleCrypto {
  const subtle = typeof crypto !== 'undefined' ? crypto.subtle : undefined
  if (!subtle) {
    throw new ModelPackError('pack_signature_unsupported', 'Signed packs cannot be checked: crypto.subtle is unavailable (the page is not served over HTTPS).')
  }
  return subtle
}
