/**
 * Returns a generator of event ids: a random 64-bit prefix (16 hex chars, from `crypto.getRandomValues` when
 * available) chosen once per capture, then a counter. Two tabs never share a prefix in practice, and one tab
 * never repeats a counter, so ids are unique across tabs without any coordination.
 */
export function createIdFactory(): () => string {
  const words = new Uint32Array(2)
  let random = false
  try {
    const crypto = (globalThis as { crypto?: Crypto }).crypto
    if (crypto && typeof crypto.getRandomValues === 'function') {
      crypto.getRandomValues(words)
      random = true
    }
  } catch {
    // Some embedded browsers expose a crypto object that throws; fall back below.
  }
  if (!random) {
    words[0] = Math.floor(Math.random() * 0x100000000)
    words[1] = Math.floor(Math.random() * 0x100000000)
  }
  const prefix = words[0].toString(16).padStart(8, '0') + words[1].toString(16).padStart(8, '0') + '-'
  let counter = 0
  return () => prefix + (counter++).toString(36)
}
