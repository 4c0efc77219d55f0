/**
 * Reads a request body of at most `maxBytes` as UTF-8 text. Returns 'too_large' as soon as the declared
 * Content-Length or the bytes actually received pass the limit, before anything is parsed, so an oversized or
 * endless body costs at most `maxBytes` of memory.
 */
export async function readBody(request: Request, maxBytes: number): Promise<string | 'too_large' | 'unreadable'> {
  const declared = request.headers.get('content-length')
  if (declared !== null && !(Number(declared) <= maxBytes)) return 'too_large'
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel().catch(() => {})
        return 'too_large'
      }
      chunks.push(value)
    }
  } catch {
    return 'unreadable'
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    return 'unreadable'
  }
}
