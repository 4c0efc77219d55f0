// A loop, not Array.from(…, map): Prototype.js and MooTools replace Array.from with one that ignores the map function.
const HEX: string[] = []
for (let i = 0; i < 256; i++) HEX[i] = i.toString(16).padStart(2, '0')

/** Lowercase hex of the bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]]
  return s
}

/** Bytes of a lowercase hex string already checked against /^[0-9a-f]*$/ with an even length. */
export function fromHex(hex: string, out: Uint8Array): Uint8Array {
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16)
  return out
}
