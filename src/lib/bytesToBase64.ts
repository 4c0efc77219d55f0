/**
 * Standard base64 of `bytes` (as in `sha256-<base64>` integrity hashes and Ed25519 signatures), with `btoa`,
 * so the browser bundle needs no `Buffer` shim.
 *
 * @example
 * bytesToBase64(new Uint8Array([0, 255])) // 'AP8='
 */
export function bytesToBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let binary = ''
  for (let i = 0; i < view.length; i++) binary += String.fromCharCode(view[i])
  return btoa(binary)
}
