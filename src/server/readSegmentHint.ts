import { OptionsError } from 'seglet'
import { SEGMENT_HINT_COOKIE } from '../personalize/constants'
import type { SegmentHint } from '../personalize/hintTypes'
import { parseSegmentHint } from '../personalize/parseSegmentHint'

/** Anything with a `get(name)` method: a Fetch `Headers` (and `Request.headers`), a `URLSearchParams`-like map. */
interface HeaderGetter {
  get(name: string): string | null | undefined
}

/** A headers record as Node's `IncomingMessage.headers` (lower-case names) or a framework's plain object. */
type HeaderRecord = Record<string, string | string[] | undefined>

/** What `readSegmentHint()` reads the `Cookie` header from. */
export type SegmentHintSource = { headers: HeaderGetter | HeaderRecord } | HeaderGetter | HeaderRecord | string

/**
 * Reads the segment hint that Seglet keeps in the shopper's browser when the shop opted in
 * (`personalize: { segmentHint: true }`) and consent is granted. Server-side and strict: the `seglet_hint`
 * cookie must hold exactly `<segment id>.<low|medium|high>`; anything else, a missing cookie or two
 * different `seglet_hint` cookies give `null`. Render the default content for `null`.
 *
 * Accepts a Fetch `Request` (Hono, Next.js route handlers, Remix, workers), a Node `IncomingMessage`
 * (Express, Fastify's `request.raw`, `node:http`), a `Headers` object, a plain headers object, or the
 * `Cookie` header itself.
 *
 * @throws OptionsError (code `invalid_option`) when `source` is none of these.
 * @example
 * import { readSegmentHint } from 'seglet/server'
 * const hint = readSegmentHint(request) // { segmentId: 'high-intent-all-round-deep-browser', intentBand: 'high' } or null
 * const banner = hint?.intentBand === 'high' ? 'Free shipping today' : ''
 */
export function readSegmentHint(source: SegmentHintSource): SegmentHint | null {
  const header = readCookieHeader(source)
  if (header === undefined) {
    throw new OptionsError('readSegmentHint() expects a Request, an IncomingMessage, a headers object or a Cookie header string', 'source')
  }
  let value: string | undefined
  // Split on ',' too: a runtime that follows the Fetch spec joins repeated `Cookie` fields (HTTP/2 sends one per
  // cookie) with ', '. The hint's value never holds a comma; another cookie's value that does is only cut in pieces.
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim() !== SEGMENT_HINT_COOKIE) continue
    const found = part.slice(eq + 1).trim()
    // Two different values (another path or domain set one too): nothing to trust.
    if (value !== undefined && value !== found) return null
    value = found
  }
  return value === undefined ? null : parseSegmentHint(value)
}

/** The `Cookie` header of `source` ('' when it has none), or `undefined` when `source` is not readable. */
function readCookieHeader(source: unknown): string | undefined {
  if (typeof source === 'string') return source
  if (source === null || typeof source !== 'object') return undefined
  // A promise (Next.js 15's headers() without `await`) has no headers of its own: it would read as none.
  if (typeof (source as PromiseLike<unknown>).then === 'function') return undefined
  const { headers } = source as { headers?: unknown }
  const target = headers !== null && typeof headers === 'object' ? headers : source
  // Node's `rawHeaders` or header pairs have no `cookie` key: they would read as headers without a cookie.
  if (Array.isArray(target)) return undefined
  if (typeof (target as HeaderGetter).get === 'function') return (target as HeaderGetter).get('cookie') ?? ''
  let cookie: unknown
  let foreign = false
  for (const [name, value] of Object.entries(target)) {
    if (name.toLowerCase() === 'cookie') cookie = value
    // A header is a string or a list of them: an object or a function means this is another framework object
    // (Hono's `c.req`, a SvelteKit request event), which would read as headers without a cookie.
    else if (typeof value === 'function' || (value !== null && typeof value === 'object' && !Array.isArray(value))) foreign = true
  }
  if (cookie === undefined && foreign) return undefined
  if (Array.isArray(cookie)) return cookie.filter((v) => typeof v === 'string').join('; ')
  return typeof cookie === 'string' ? cookie : ''
}
