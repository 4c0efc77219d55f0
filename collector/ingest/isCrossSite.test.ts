// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { isCrossSite } from './isCrossSite'

const check = (headers: Record<string, string>, allowed: string[] = []) => isCrossSite((name) => headers[name] ?? null, allowed)

describe('isCrossSite', () => {
  it.each([
    ['a same-origin fetch behind a proxy (Host differs)', { 'sec-fetch-site': 'same-origin', origin: 'https://shop.example', host: '127.0.0.1:8787' }, false],
    ['a beacon without Origin or Sec-Fetch-Site', { host: 'shop.example' }, false],
    ['an older browser on the same host', { origin: 'https://shop.example', host: 'shop.example' }, false],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', host: 'shop.example' }, true],
    ['a same-site subdomain', { 'sec-fetch-site': 'same-site', origin: 'https://blog.shop.example', host: 'shop.example' }, true],
    ['another Origin without Sec-Fetch-Site', { origin: 'https://evil.example', host: 'shop.example' }, true],
    ['an opaque origin', { origin: 'null', host: 'shop.example' }, true],
  ])('%s', (_name, headers, expected) => {
    expect(check(headers)).toBe(expected)
  })

  it('accepts the shop origins it is told about', () => {
    expect(check({ origin: 'https://shop.example', host: '10.0.0.5:8787' }, ['https://shop.example'])).toBe(false)
  })
})
