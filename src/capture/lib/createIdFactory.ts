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
  // All zero only when crypto did not fill them (a 2^-64 chance otherwise). Stored as whole 32-bit numbers.
  if (!(words[0] | words[1])) words.forEach((_, i) => (words[i] = Math.random() * 0x100000000))
  let prefix = ''
  for (const word of words) prefix += word.toString(16).padStart(8, '0')
  prefix += '-'
  let counter = 0
  return () => prefix + (counter++).toString(36)
}
