/**
 * Reads a request body of at most `maxBytes` as UTF-8 text from `chunks` (the Node.js request itself, or a web
 * Request's body). Returns 'too_large' as soon as the declared Content-Length or the bytes actually received
 * pass the limit, before anything is parsed, so an oversized or endless body costs at most `maxBytes` of memory;
 * 'unreadable' when it stops before its end, 'not_utf8' when it came whole but is not UTF-8.
 */
export async function readBody(
  chunks: AsyncIterable<Uint8Array> | null,
  contentLength: string | null,
  maxBytes: number,
): Promise<string | 'too_large' | 'unreadable' | 'not_utf8'> {
  if (contentLength !== null && !(Number(contentLength) <= maxBytes)) return 'too_large'
  if (!chunks) return ''
  const parts: Uint8Array[] = []
  let size = 0
  try {
    for await (const chunk of chunks) {
      size += chunk.byteLength
      // Leaving the loop early ends the iteration, which destroys the stream: the rest is never read.
      if (size > maxBytes) return 'too_large'
      parts.push(chunk)
    }
  } catch {
    return 'unreadable'
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts))
  } catch {
    // Came whole, but is not UTF-8 (UTF-16, Latin-1): the sender is told so, not that it was cut off.
    return 'not_utf8'
  }
}
