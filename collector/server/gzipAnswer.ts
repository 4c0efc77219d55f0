import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { isCurrent } from './isCurrent'

const gzipAsync = promisify(gzip)

/** Answers smaller than this many bytes are sent as they are: gzip would save less than its own header costs. */
export const GZIP_MIN_BYTES = 1_024

/** Content types sent gzipped to a client that takes it: text (JSON, HTML, JavaScript, CSS), not images. */
const COMPRESSIBLE = /^(?:application\/json|text\/(?:html|javascript|css))\b/i

/** True when an `Accept-Encoding` header takes gzip: named (or `*`) with a q-value above 0 (RFC 9110, 12.5.3). */
export function acceptsGzip(acceptEncoding: string | undefined | null): boolean {
  if (!acceptEncoding) return false
  let star: boolean | undefined
  for (const entry of acceptEncoding.toLowerCase().split(',')) {
    const [coding = '', ...parameters] = entry.split(';').map((part) => part.trim())
    const q = parameters.find((parameter) => parameter.startsWith('q='))
    const taken = q === undefined || Number(q.slice(2)) > 0
    if (coding === 'gzip' || coding === 'x-gzip') return taken
    if (coding === '*') star = taken
  }
  return star === true
}

/**
 * The answer a client that sent `acceptEncoding` (and `ifNoneMatch`) gets for `answer`: a `200` text answer of at
 * least {@link GZIP_MIN_BYTES} gzipped (`Content-Encoding: gzip`, its `ETag` made weak: the bytes differ, the content
 * does not, so a revalidation naming either form still matches). Every answer of a compressible type says
 * `Vary: Accept-Encoding`, so a shared cache does not give one client's form to another. A `200` whose `ETag`, as it
 * would be sent, `ifNoneMatch` names is answered `304` with no body and the headers the `200` would have had (its
 * `Vary`, its `ETag` in the same form, `Cache-Control`; RFC 9110, 15.4.5), so a cache that keeps the gzipped form
 * can refresh it from the `304`. `HEAD` (`head`) gets the headers `GET` would, without compressing anything.
 *
 * @example
 * c.res = await gzipAnswer(c.res, c.req.header('accept-encoding'), c.req.method === 'HEAD', c.req.header('if-none-match'))
 */
export async function gzipAnswer(answer: Response, acceptEncoding: string | undefined, head: boolean, ifNoneMatch?: string): Promise<Response> {
  const compressible = COMPRESSIBLE.test(answer.headers.get('content-type') ?? '')
  if (compressible) answer.headers.append('vary', 'accept-encoding')
  if (answer.status !== 200) return answer
  // Read before its headers are: reading the body may give the answer new headers. Changed in place: Hono puts the
  // headers of the answer it had onto the one that replaces it.
  const body = compressible && !answer.headers.has('content-encoding') && acceptsGzip(acceptEncoding) ? new Uint8Array(await answer.arrayBuffer()) : undefined
  const headers = answer.headers
  const zipped = body !== undefined && body.byteLength >= GZIP_MIN_BYTES
  if (zipped) {
    headers.set('content-encoding', 'gzip')
    headers.delete('content-length')
    const etag = headers.get('etag')
    if (etag?.startsWith('"')) headers.set('etag', `W/${etag}`)
  }
  if (isCurrent(ifNoneMatch, headers.get('etag'))) {
    for (const name of ['content-type', 'content-length', 'content-encoding']) headers.delete(name)
    if (!answer.bodyUsed) await answer.body?.cancel()
    return new Response(null, { status: 304, headers })
  }
  if (body === undefined) return answer
  if (!zipped) return new Response(body, { status: 200, headers })
  return new Response(head ? null : await gzipAsync(body), { status: 200, headers })
}
