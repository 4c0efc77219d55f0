// @vitest-environment node
import { gunzipSync } from 'node:zlib'
import { expect, it } from 'vitest'
import { acceptsGzip, gzipAnswer, GZIP_MIN_BYTES } from './gzipAnswer'

it.each([
  [undefined, false],
  ['', false],
  ['gzip', true],
  ['gzip, deflate, br, zstd', true],
  ['br;q=1.0, gzip;q=0.8', true],
  ['GZIP', true],
  ['x-gzip', true],
  ['gzip;q=0', false],
  ['gzip;q=0.000', false],
  ['identity', false],
  ['*', true],
  ['*;q=0', false],
  ['gzip;q=0, *', false],
  ['br, *;q=0.1', true],
])('takes gzip from Accept-Encoding %j: %s', (header, taken) => {
  expect(acceptsGzip(header)).toBe(taken)
})

const json = (text: string, etag?: string) => new Response(text, { status: 200, headers: { 'content-type': 'application/json', ...(etag && { etag }) } })
const big = JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => ({ day: i, value: i / 7 })) })

it('gzips a text answer over the threshold for a client that takes it, with a weak ETag and Vary', async () => {
  const answer = await gzipAnswer(json(big, '"sha256-x"'), 'gzip, br', false)
  expect(answer.headers.get('content-encoding')).toBe('gzip')
  expect(answer.headers.get('vary')).toBe('accept-encoding')
  expect(answer.headers.get('etag')).toBe('W/"sha256-x"')
  const bytes = Buffer.from(await answer.arrayBuffer())
  expect(bytes.byteLength).toBeLessThan(big.length / 3)
  expect(gunzipSync(bytes).toString()).toBe(big)
})

it('gives HEAD the headers GET gets, with no body', async () => {
  const answer = await gzipAnswer(json(big, '"sha256-x"'), 'gzip', true)
  expect([answer.headers.get('content-encoding'), answer.headers.get('etag'), answer.headers.get('vary'), answer.body]).toEqual(['gzip', 'W/"sha256-x"', 'accept-encoding', null])
})

it('sends as they are small answers, other types, other statuses, and answers to a client that takes no gzip', async () => {
  const cases: Array<[Response, string | undefined]> = [
    [json('x'.repeat(GZIP_MIN_BYTES - 1), '"a"'), 'gzip'],
    [json(big, '"a"'), undefined],
    [json(big, '"a"'), 'gzip;q=0'],
    [new Response(big, { status: 500, headers: { 'content-type': 'application/json' } }), 'gzip'],
  ]
  for (const [response, accept] of cases) {
    const status = response.status
    const answer = await gzipAnswer(response, accept, false)
    expect(answer.headers.get('content-encoding')).toBeNull()
    expect(answer.headers.get('vary')).toBe('accept-encoding')
    expect(answer.status).toBe(status)
    if (status === 200) expect(answer.headers.get('etag')).toBe('"a"')
  }
  const image = await gzipAnswer(new Response(big, { headers: { 'content-type': 'image/png' } }), 'gzip', false)
  expect([image.headers.get('content-encoding'), image.headers.get('vary')]).toEqual([null, null])
  expect(await image.text()).toBe(big)
})

it('answers a revalidation 304 with the Vary and the ETag form the 200 would have had, and no body', async () => {
  const cases: Array<[Response, string | undefined, string, string | null]> = [
    [json(big, '"sha256-x"'), 'gzip', 'W/"sha256-x"', 'W/"sha256-x"'],
    [json(big, '"sha256-x"'), 'gzip', '"sha256-x"', 'W/"sha256-x"'],
    [json(big, '"sha256-x"'), undefined, 'W/"sha256-x"', '"sha256-x"'],
    [json('{}', '"sha256-y"'), 'gzip', '"sha256-y"', '"sha256-y"'],
    [new Response('signed', { headers: { 'content-type': 'text/plain', etag: '"m"' } }), 'gzip', '"m"', '"m"'],
  ]
  for (const [response, accept, ifNoneMatch, etag] of cases) {
    const vary = response.headers.get('content-type') === 'application/json' ? 'accept-encoding' : null
    const answer = await gzipAnswer(response, accept, false, ifNoneMatch)
    expect([answer.status, answer.headers.get('etag'), answer.headers.get('vary'), answer.headers.get('content-encoding'), answer.body]).toEqual([304, etag, vary, null, null])
  }
  const changed = await gzipAnswer(json(big, '"sha256-x"'), 'gzip', false, '"sha256-old"')
  expect([changed.status, changed.headers.get('content-encoding')]).toEqual([200, 'gzip'])
})
