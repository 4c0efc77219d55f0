/**
 * The body of `response`, refused with `tooLarge()` as soon as it is known to be over `maxBytes`: from its
 * `Content-Length`, or while it streams (a server may send no length, or a false one). What was read is
 * dropped and the rest of the body cancelled. `progressed` is called after each chunk of the body.
 *
 * @example
 * const bytes = await readCappedBody(response, 1024 * 1024, () => new ModelPackError('pack_too_large', '…'))
 */
export async function readCappedBody(response: Response, maxBytes: number, tooLarge: () => Error, progressed?: () => void): Promise<ArrayBuffer> {
  const refuse = () => {
    void response.body?.cancel().catch(() => {})
    return tooLarge()
  }
  if (Number(response.headers?.get('content-length')) > maxBytes) throw refuse()
  if (!response.body) {
    const bytes = await response.arrayBuffer()
    if (bytes.byteLength > maxBytes) throw tooLarge()
    return bytes
  }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    progressed?.()
    size += value.byteLength
    if (size > maxBytes) {
      void reader.cancel().catch(() => {})
      throw tooLarge()
    }
    // Index assignment, not push(): a page that replaced Array.prototype.push cannot break the read.
    chunks[chunks.length] = value
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes.buffer
}
