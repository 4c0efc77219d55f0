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

/** A framework's cookie store: Next.js `cookies()`, SvelteKit's `event.cookies`, `Astro.cookies`. */
interface CookieStore {
  get(name: string): { value: string } | string | undefined
}

/** What `readSegmentHint()` reads the `Cookie` header from. */
export type SegmentHintSource = { headers: HeaderGetter | HeaderRecord } | HeaderGetter | CookieStore | HeaderRecord | string

/**
 * Reads the segment hint that Seglet keeps in the shopper's browser when the shop opted in
 * (`personalize: { segmentHint: true }`) and consent is granted. Server-side and strict: the `seglet_hint`
 * cookie must hold exactly `<segment id>.<low|medium|high>`; anything else, a missing cookie or two
 * different `seglet_hint` cookies give `null`. Render the default content for `null`.
 *
 * Accepts a Fetch `Request` (Hono, Next.js route handlers, Remix, workers), a Node `IncomingMessage`
 * (Express, Fastify's `request.raw`, `node:http`), a `Headers` object, a plain headers object, a framework's
 * cookie store (Next.js `await cookies()`, SvelteKit's `event.cookies`, `Astro.cookies`), or the `Cookie`
 * header itself.
 *
 * @throws OptionsError (code `invalid_option`) when `source` is none of these; for a promise (Next.js 15's
 *   `cookies()` or `headers()` without `await`) its message says to await it, and for `undefined` or `null` (the
 *   Cookie header of a request without cookies: `req.headers.cookie ?? ''` passes it) that there is no header.
 * @example
 * import { readSegmentHint } from 'seglet/server'
 * const hint = readSegmentHint(request) // { segmentId: 'high-intent-all-round-deep-browser', intentBand: 'high' } or null
 * const banner = hint?.intentBand === 'high' ? 'Free shipping today' : ''
 */
export function readSegmentHint(source: SegmentHintSource): SegmentHint | null {
  const values = readCookieStore(source) ?? readHintValues(readCookieHeader(source))
  if (values === undefined) {
    // Next.js 15's cookies() and headers() return a promise: the fix is one word. Node's `req.headers.cookie` and
    // `Headers.get('cookie')` are `undefined` and `null` on a request without cookies (a first visit).
    const promise = typeof (source as { then?: unknown } | null)?.then === 'function'
    throw new OptionsError(
      `readSegmentHint() expects a Request, an IncomingMessage, a headers object, a cookie store or a Cookie header string${
        promise
          ? ', got a promise: await it first (readSegmentHint(await cookies()))'
          : source == null
            ? `, got ${source}: a request without cookies has no Cookie header; pass the request or its headers, or the header as \`?? ''\``
            : ''
      }`,
      'source',
    )
  }
  let value: string | undefined
  for (const found of values) {
    // Two different values (another path or domain set one too): nothing to trust.
    if (value !== undefined && value !== found) return null
    value = found
  }
  return value === undefined ? null : parseSegmentHint(value)
}

/** The values of every `seglet_hint` cookie in a `Cookie` header. */
function readHintValues(header: string | undefined): string[] | undefined {
  if (header === undefined) return undefined
  const values: string[] = []
  // Split on ',' too: a runtime that follows the Fetch spec joins repeated `Cookie` fields (HTTP/2 sends one per
  // cookie) with ', '. The hint's value never holds a comma; another cookie's value that does is only cut in pieces.
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf('=')
    if (eq >= 0 && part.slice(0, eq).trim() === SEGMENT_HINT_COOKIE) values.push(part.slice(eq + 1).trim())
  }
  return values
}

/**
 * The `seglet_hint` values of a framework's cookie store — Next.js `cookies()`, SvelteKit's `event.cookies`,
 * `Astro.cookies` — whose `get(name)` gives `{ name, value }` or whose `getAll()` lists them; `undefined` for
 * anything else (a `Headers` or `URLSearchParams` gives strings), which is then read as headers. Without this a
 * store read as headers has no `cookie` entry, and every shopper's hint would be `null`.
 */
function readCookieStore(source: unknown): string[] | undefined {
  if (source === null || typeof source !== 'object' || typeof (source as { then?: unknown }).then === 'function') return undefined
  const store = source as { get?: unknown; getAll?: unknown }
  if (typeof store.getAll === 'function') {
    const all: unknown = (store.getAll as (name: string) => unknown).call(store, SEGMENT_HINT_COOKIE)
    if (Array.isArray(all) && all.some(isCookie)) {
      return all.filter((c) => isCookie(c) && c.name === SEGMENT_HINT_COOKIE).map((c) => (c as { value: string }).value)
    }
  }
  if (typeof store.get === 'function') {
    const one: unknown = (store.get as (name: string) => unknown).call(store, SEGMENT_HINT_COOKIE)
    if (one !== null && typeof one === 'object' && typeof (one as { value?: unknown }).value === 'string') return [(one as { value: string }).value]
  }
  return undefined
}

function isCookie(c: unknown): c is { name: string; value: string } {
  return c !== null && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string' && typeof (c as { value?: unknown }).value === 'string'
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
