/**
 * Decodes base64 (as `tf.io.encodeWeights` output is stored in a pack) into a fresh `ArrayBuffer`.
 * Uses `atob`, available in browsers and Node ≥ 16, so the browser bundle needs no `Buffer` shim.
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
