/**
 * Decodes base64 (as pack weights are stored) into a fresh `ArrayBuffer`. Uses `atob`, available in browsers
 * and Node ≥ 16, so the browser bundle needs no `Buffer` shim.
 *
 * @example
 * base64ToArrayBuffer('AACAPw==') // ArrayBuffer of float32 1.0
 */
export function base64ToArrayBuffer(base64: string): ArrayBuffer {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes.buffer
}

/**
 * Encodes bytes as base64 with `btoa`, in chunks so large weight blobs do not overflow the argument list.
 *
 * @example
 * bytesToBase64(new Uint8Array(new Float32Array([1]).buffer)) // 'AACAPw=='
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}
