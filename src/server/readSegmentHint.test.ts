// @vitest-environment node
import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { isSegletError } from 'seglet'
import { parseSegmentHint, readSegmentHint, toIntentBand } from './index'

const HINT = { segmentId: 'high-intent-all-round-deep-browser', intentBand: 'high' }

function incoming(headers: Record<string, string>): IncomingMessage {
  const message = new IncomingMessage(new Socket())
  message.headers = headers
  return message
}

describe('readSegmentHint()', () => {
  it.each([
    ['a Fetch Request', new Request('http://127.0.0.1/', { headers: { cookie: 'a=1; seglet_hint=high-intent-all-round-deep-browser.high; b=2' } })],
    ['a Headers object', new Headers({ Cookie: 'seglet_hint=high-intent-all-round-deep-browser.high' })],
    ['a Node IncomingMessage', incoming({ cookie: 'x=y;seglet_hint=high-intent-all-round-deep-browser.high' })],
    ['a plain headers object', { Cookie: 'seglet_hint=high-intent-all-round-deep-browser.high' }],
    ['a headers object with several cookie lines', { cookie: ['a=1', 'seglet_hint=high-intent-all-round-deep-browser.high'] }],
    ['an object with headers', { headers: { cookie: ' seglet_hint = high-intent-all-round-deep-browser.high ' } }],
    ['the Cookie header', 'seglet_hint=high-intent-all-round-deep-browser.high'],
  ])('reads it from %s', (_, source) => {
    expect(readSegmentHint(source as Parameters<typeof readSegmentHint>[0])).toEqual(HINT)
  })

  it.each([
    ['no cookie header', new Request('http://127.0.0.1/')],
    ['no hint', 'a=1; b=2'],
    ['an empty header', ''],
    ['an empty value', 'seglet_hint='],
    ['an unknown band', 'seglet_hint=casual-browser.max'],
    ['no band', 'seglet_hint=casual-browser'],
    ['an upper-case band', 'seglet_hint=casual-browser.HIGH'],
    ['extra fields', 'seglet_hint=casual-browser.high.1'],
    ['an event smuggled in', 'seglet_hint={"type":"purchase"}.high'],
    ['a dot in the id', 'seglet_hint=casual.browser.low'],
    ['a space in the id', 'seglet_hint=casual%20browser.low'],
    ['an id over 64 characters', `seglet_hint=${'a'.repeat(65)}.low`],
    ['a quoted value', 'seglet_hint="casual-browser.low"'],
    ['two different hints', 'seglet_hint=casual-browser.low; seglet_hint=account-engaged-browser.high'],
    ['a similar name', 'xseglet_hint=casual-browser.low; seglet_hint_x=casual-browser.low'],
  ])('is null for %s', (_, source) => {
    expect(readSegmentHint(source)).toBeNull()
  })

  it('reads it from repeated cookie fields that a runtime joined with ", " (the Fetch spec\'s Headers.get())', () => {
    const joined = (cookie: string) => ({ get: (name: string) => (name === 'cookie' ? cookie : null) })
    expect(readSegmentHint(joined('a=1, seglet_hint=casual-browser.low'))).toEqual({ segmentId: 'casual-browser', intentBand: 'low' })
    expect(readSegmentHint({ headers: joined('seglet_hint=casual-browser.low, a=1; b=2') })).toEqual({ segmentId: 'casual-browser', intentBand: 'low' })
    expect(readSegmentHint('a=1; b=2, seglet_hint=casual-browser.low')).toEqual({ segmentId: 'casual-browser', intentBand: 'low' })
    // Still strict: two different hints, however joined, give none.
    expect(readSegmentHint(joined('seglet_hint=casual-browser.low, seglet_hint=account-engaged-browser.high'))).toBeNull()
  })

  it("reads it from a framework's cookie store: Next.js cookies(), SvelteKit's event.cookies, Astro.cookies", () => {
    type Cookie = { name: string; value: string }
    const jar = (...cookies: Cookie[]) => cookies
    // Next.js: get(name) → { name, value } | undefined, getAll(name?) → the cookies of that name (all without one).
    const next = (cookies: Cookie[]) => ({
      get: (name: string) => cookies.find((c) => c.name === name),
      getAll: (name?: string) => cookies.filter((c) => name === undefined || c.name === name),
      has: (name: string) => cookies.some((c) => c.name === name),
      get size() { return cookies.length },
    })
    // SvelteKit: get(name) → string | undefined, getAll() → every cookie as { name, value }.
    const svelte = (cookies: Cookie[]) => ({
      get: (name: string) => cookies.find((c) => c.name === name)?.value,
      getAll: () => cookies,
    })
    // Astro: get(name) → { value } | undefined, no getAll().
    const astro = (cookies: Cookie[]) => ({
      get: (name: string) => {
        const found = cookies.find((c) => c.name === name)
        return found && { value: found.value, json: () => JSON.parse(found.value) }
      },
      has: (name: string) => cookies.some((c) => c.name === name),
    })
    const hint = { name: 'seglet_hint', value: 'casual-browser.low' }
    const other = { name: 'a', value: '1' }
    for (const store of [next, svelte, astro]) {
      expect(readSegmentHint(store(jar(other, hint)))).toEqual({ segmentId: 'casual-browser', intentBand: 'low' })
      expect(readSegmentHint(store(jar(other)))).toBeNull()
      expect(readSegmentHint(store(jar({ name: 'seglet_hint', value: 'casual-browser.max' })))).toBeNull()
    }
    // Still strict: two different hints in one store give none.
    expect(readSegmentHint(next(jar(hint, { name: 'seglet_hint', value: 'account-engaged-browser.high' })))).toBeNull()
    expect(readSegmentHint(svelte(jar(hint, { name: 'seglet_hint', value: 'account-engaged-browser.high' })))).toBeNull()
    // A URLSearchParams is still read as a map of headers.
    expect(readSegmentHint(new URLSearchParams({ cookie: 'seglet_hint=casual-browser.low' }))).toEqual({ segmentId: 'casual-browser', intentBand: 'low' })
  })

  it('accepts the same hint twice and a 64-character id', () => {
    expect(readSegmentHint('seglet_hint=casual-browser.low; seglet_hint=casual-browser.low')).toEqual({ segmentId: 'casual-browser', intentBand: 'low' })
    expect(readSegmentHint(`seglet_hint=${'a'.repeat(64)}.medium`)?.segmentId).toHaveLength(64)
  })

  // Promise: Next.js 15's headers() without `await`, which would otherwise read as a headers object without a cookie.
  // Arrays: Node's `rawHeaders` or header pairs, which would otherwise read as headers without a cookie too.
  it.each([
    [undefined],
    [null],
    [42],
    [true],
    [Promise.resolve(new Headers({ cookie: 'seglet_hint=casual-browser.low' }))],
    [['Cookie', 'seglet_hint=casual-browser.low']],
    [[['cookie', 'seglet_hint=casual-browser.low']]],
    [{ headers: ['Cookie', 'seglet_hint=casual-browser.low'] }],
    // Framework objects that are none of the sources either, and would read as headers without a cookie: Hono's
    // `c.req` (its Request is `c.req.raw`), a SvelteKit or Astro request event (theirs is `event.request`).
    [{ raw: new Request('http://127.0.0.1/', { headers: { cookie: 'seglet_hint=casual-browser.low' } }), path: '/', header: (name: string) => name }],
    [{ request: new Request('http://127.0.0.1/', { headers: { cookie: 'seglet_hint=casual-browser.low' } }), url: new URL('http://127.0.0.1/'), locals: {} }],
  ])('throws an OptionsError for %s', (source) => {
    let error: unknown
    try {
      readSegmentHint(source as never)
    } catch (e) {
      error = e
    }
    expect(isSegletError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'invalid_option', name: 'OptionsError' })
  })
})

describe('readSegmentHint() given a promise', () => {
  it("says to await it (Next.js 15's cookies() and headers() return one)", () => {
    for (const source of [Promise.resolve(new Headers({ cookie: 'seglet_hint=casual-browser.low' })), Promise.resolve({ get: () => undefined })]) {
      expect(() => readSegmentHint(source as never)).toThrow(/await/)
    }
  })
})

describe('readSegmentHint() given no Cookie header', () => {
  // Node's `req.headers.cookie` is `undefined`, and `Headers.get('cookie')` is `null`, on a request without cookies
  // (a first visit): the error says so, not only what sources there are.
  it('says that the request has no Cookie header and how to pass one', () => {
    for (const source of [new Request('http://127.0.0.1/').headers.get('cookie'), ({ headers: {} } as { headers: { cookie?: string } }).headers.cookie]) {
      expect(() => readSegmentHint(source as never)).toThrow(/got (null|undefined): a request without cookies has no Cookie header; pass the request or its headers, or the header as `\?\? ''`/)
    }
  })
})

describe('parseSegmentHint() and toIntentBand()', () => {
  it('parses only <id>.<band>', () => {
    expect(parseSegmentHint('casual-browser.medium')).toEqual({ segmentId: 'casual-browser', intentBand: 'medium' })
    expect(parseSegmentHint('casual_browser-2.low')).toEqual({ segmentId: 'casual_browser-2', intentBand: 'low' })
    expect(parseSegmentHint('.low')).toBeNull()
    expect(parseSegmentHint('casual-browser.medium\n')).toBeNull()
  })

  it("gives null for an id that names what every object has: a visitor's own cookie must not pick a server's Object.prototype", () => {
    // A server that picks its content by id (`BANNERS[hint.segmentId] ?? BANNERS.default`) would get a prototype's
    // member for these, not its default, from a cookie any visitor can set for himself.
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      expect(readSegmentHint(`seglet_hint=${id}.high`), id).toBeNull()
      expect(parseSegmentHint(`${id}.low`), id).toBeNull()
    }
    expect(readSegmentHint('seglet_hint=proto.high')).toEqual({ segmentId: 'proto', intentBand: 'high' })
  })

  it.each([
    [0.4884, 0.4884, 'high'],
    [0.9, 0.4884, 'high'],
    [0.4883, 0.4884, 'medium'],
    [0.2442, 0.4884, 'medium'],
    [0.2441, 0.4884, 'low'],
    [0, 0.4884, 'low'],
    [Number.NaN, 0.5, 'low'],
    [0, 0, 'high'],
  ])('intent %f with threshold %f is %s', (intent, threshold, band) => {
    expect(toIntentBand(intent, threshold)).toBe(band)
  })
})
