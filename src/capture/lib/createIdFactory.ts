/**
 * Returns a generator of event ids: a random 64-bit prefix (16 hex chars, from `crypto.getRandomValues` when
 * available) chosen once per capture, then a counter. Two tabs never share a prefix in practice, and one tab
 * never repeats a counter, so ids are unique across tabs without any coordination.
 */
export function createIdFactory(): () => string {
  const words = new Uint32Array(2)
  try {
    crypto.getRandomValues(words)
  } catch {
    // No Web Crypto (a ReferenceError), or an embedded browser's that throws: Math.random() below.
  }
  let prefix = ''
  // A zero word is one crypto did not fill (a 2^-32 chance otherwise): Math.random() instead, as a whole 32-bit number.
  for (const word of words) prefix += (word || (Math.random() * 2 ** 32) >>> 0).toString(16).padStart(8, '0')
  let counter = 0
  return () => prefix + '-' + (counter++).toString(36)
}
