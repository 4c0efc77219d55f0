/**
 * The signed-pack format, shared by the browser (which verifies) and the collector (which signs): how a
 * pinned key is written, the signature line of a signed file, and what each signature covers.
 *
 * A signed manifest is one text file: a signature line, then the manifest JSON, byte for byte as signed:
 *
 * ```
 * seglet-signature ed25519 <key id: 16 hex digits> <signature: base64 of 64 bytes>
 * {"format":"seglet-pack-manifest","formatVersion":1,"version":7,…}
 * ```
 *
 * The signature line is read without parsing the rest, so the browser verifies the manifest before it
 * parses any of it. Packs stay plain JSON files; the manifest carries each pack's SHA-256 and its own
 * Ed25519 signature.
 */

/** Prefix of a pinned public key: `ed25519-` and the base64 of the 32-byte raw Ed25519 public key. */
export const PACK_KEY_PREFIX = 'ed25519-'

/** Most keys a page may pin at once (space-separated): the current one and the next, during a rotation. */
export const MAX_PACK_KEYS = 4

/** Start of the first line of a signed manifest. */
export const SIGNATURE_LINE_PREFIX = 'seglet-signature ed25519 '

/** The signature line, in full: key id (first 8 bytes of the key's SHA-256, hex) and the base64 signature. */
export const SIGNATURE_LINE = /^seglet-signature ed25519 ([0-9a-f]{16}) ([A-Za-z0-9+/]{86}==)$/

/**
 * What a manifest signature covers: this context, then the manifest bytes. A separate context per kind of
 * file, so a signature made for one can never pass for the other.
 */
export const MANIFEST_CONTEXT = 'seglet pack manifest v1\n'

/** What a pack signature covers: this context, then the pack file's bytes. */
export const PACK_CONTEXT = 'seglet model pack v1\n'

/** `format` of a pack manifest. */
export const MANIFEST_FORMAT = 'seglet-pack-manifest'

/** `formatVersion` of the manifests this SDK reads and the collector writes. */
export const MANIFEST_FORMAT_VERSION = 1

/**
 * Where the browser looks for the signed manifest when `model.packManifestUrl` is not set: a path on the
 * page's own origin.
 */
export const DEFAULT_PACK_MANIFEST_URL = '/seglet/packs.manifest'

/** Largest manifest file the browser reads, in bytes. A manifest lists two packs: well under 2 KB. */
export const MAX_MANIFEST_BYTES = 16 * 1024

/** Least time between two checks for a new manifest by one browser, in ms: a day. */
export const PACK_CHECK_INTERVAL_MS = 86_400_000

/** `context` then `bytes`: the message a signature covers. */
export function signedMessage(context: string, bytes: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(context)
  const message = new Uint8Array(head.length + bytes.length)
  message.set(head)
  message.set(bytes, head.length)
  return message
}
