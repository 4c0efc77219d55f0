// @vitest-environment node
import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { makePack } from './__fixtures__/makePack'
import { CACHE_META_PREFIX } from '../store/constants'
import { loadPackFromUrl, MAX_PACK_BYTES, packCacheKey } from './loadPackFromUrl'
import type { PackCache } from './loadPackFromUrl'

const PAGE = 'https://shop.example/products/boots'
const URL_ = 'https://shop.example/seglet/session.json'
const pack = makePack()
const body = JSON.stringify(pack)
const sri = (bytes: string | Uint8Array) => 'sha256-' + createHash('sha256').update(bytes).digest('base64')
const integrity = sri(body)
const expected = { kind: 'session' as const, version: 'test-1', names: ['a', 'b', 'c'] }

function memoryCache(): PackCache & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>()
  return { entries, getMeta: async (key) => entries.get(key), setMeta: async (key, value) => void entries.set(key, value) }
}

let fetchMock: ReturnType<typeof vi.fn>
const serve = (text: string, status = 200) => fetchMock.mockImplementation(async () => new Response(text, { status }))

beforeEach(() => {
  vi.stubGlobal('location', new URL(PAGE))
  fetchMock = vi.fn()
  vi.stubGlobal('fetch', fetchMock)
  serve(body)
})
afterEach(() => vi.unstubAllGlobals())

describe('loadPackFromUrl', () => {
  it('loads a pack whose bytes match the integrity hash, same-origin with credentials', async () => {
    const loaded = await loadPackFromUrl('/seglet/session.json', { integrity, expected })
    expect(loaded).toEqual(pack)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(fetchMock).toHaveBeenCalledWith(URL_, { credentials: 'same-origin', redirect: 'error', referrerPolicy: 'no-referrer', signal: expect.any(AbortSignal) })
  })

  it('caches the verified pack and serves the next load without a request', async () => {
    const cache = memoryCache()
    await loadPackFromUrl(URL_, { integrity, expected, cache })
    expect(cache.entries.get(packCacheKey('session'))).toEqual({ integrity, text: body })
    fetchMock.mockClear()
    expect(await loadPackFromUrl(URL_, { integrity, expected, cache })).toEqual(pack)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('caches a pack saved with a byte-order mark so the next load makes no request either', async () => {
    const cache = memoryCache()
    const withBom = '\uFEFF' + body
    serve(withBom)
    expect(await loadPackFromUrl(URL_, { integrity: sri(withBom), expected, cache })).toEqual(pack)
    expect(await loadPackFromUrl(URL_, { integrity: sri(withBom), expected, cache })).toEqual(pack)
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('fetches again when the cached entry is for another integrity hash or was altered', async () => {
    const cache = memoryCache()
    await cache.setMeta(packCacheKey(URL_), { integrity: sri('older'), text: 'older' })
    await loadPackFromUrl(URL_, { integrity, cache })
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await cache.setMeta(packCacheKey(URL_), { integrity, text: body.replace('"threshold":0.5', '"threshold":0.1') })
    expect(await loadPackFromUrl(URL_, { integrity, cache })).toEqual(pack)
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })

  it('keeps one cached pack of each kind, whatever URL each new pack is published at', async () => {
    const cache = memoryCache()
    const lifetime = { kind: 'lifetime' as const, version: 'test-1', names: ['a', 'b', 'c'] }
    for (let version = 1; version <= 10; version++) {
      for (const spec of [expected, lifetime]) {
        const text = JSON.stringify({ ...makePack({ kind: spec.kind }), version: `${version}.0.0` })
        serve(text)
        // A version in the file name or the query string, as asset pipelines and Shopify's `asset_url` add.
        const url = `/seglet/${spec.kind}-pack.${version}.json?v=${version}`
        await loadPackFromUrl(url, { integrity: sri(text), expected: spec, cache })
        expect(await loadPackFromUrl(url, { integrity: sri(text), expected: spec, cache })).toMatchObject({ kind: spec.kind })
      }
      expect(fetchMock).toHaveBeenCalledTimes(2 * version)
    }
    expect(cache.entries.size).toBe(2)
  })

  it('refuses bytes that do not match the hash before parsing them, and caches nothing', async () => {
    const cache = memoryCache()
    serve('not even JSON')
    await expect(loadPackFromUrl(URL_, { integrity, cache })).rejects.toMatchObject({
      name: 'ModelPackError',
      code: 'pack_integrity',
      message: expect.stringContaining(`expected ${integrity}, got ${sri('not even JSON')}`),
    })
    expect(cache.entries.size).toBe(0)
  })

  it('supports sha384 and sha512', async () => {
    for (const algorithm of ['sha384', 'sha512']) {
      const hash = `${algorithm}-${createHash(algorithm).update(body).digest('base64')}`
      await expect(loadPackFromUrl(URL_, { integrity: hash })).resolves.toEqual(pack)
    }
  })

  it.each([
    'https://cdn.example/seglet/session.json',
    '//cdn.example/session.json',
    'http://shop.example/seglet/session.json',
    'https://shop.example:8443/session.json',
    'data:application/json,{}',
  ])('refuses %s (another origin) before any request', async (url) => {
    const cache = memoryCache()
    const getMeta = vi.spyOn(cache, 'getMeta')
    await expect(loadPackFromUrl(url, { integrity, cache })).rejects.toMatchObject({ code: 'pack_origin', message: expect.stringContaining('https://shop.example') })
    expect(fetchMock).not.toHaveBeenCalled()
    expect(getMeta).not.toHaveBeenCalled()
  })

  it('refuses every URL where there is no page origin (SSR)', async () => {
    vi.stubGlobal('location', undefined)
    await expect(loadPackFromUrl('/session.json', { integrity })).rejects.toMatchObject({ code: 'pack_origin' })
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it.each([undefined, '', 'md5-abc', 'sha256:abc', 'sha256-'])('refuses the integrity option %j', async (value) => {
    await expect(loadPackFromUrl(URL_, { integrity: value as string })).rejects.toMatchObject({ code: 'invalid_option', field: 'integrity' })
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('reports an HTTP error or a network failure as pack_load_failed', async () => {
    serve('gone', 404)
    await expect(loadPackFromUrl(URL_, { integrity })).rejects.toMatchObject({ code: 'pack_load_failed', message: expect.stringContaining('HTTP 404') })
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    await expect(loadPackFromUrl(URL_, { integrity })).rejects.toMatchObject({ code: 'pack_load_failed', message: expect.stringContaining('Failed to fetch') })
  })

  it('refuses a verified file that is not a valid pack, or does not match the features, and caches nothing', async () => {
    const cache = memoryCache()
    serve('{"format":"seglet-model-pack"')
    await expect(loadPackFromUrl(URL_, { integrity: sri('{"format":"seglet-model-pack"'), cache })).rejects.toMatchObject({ code: 'pack_invalid' })
    serve(body)
    await expect(loadPackFromUrl(URL_, { integrity, cache, expected: { ...expected, names: ['a', 'b'] } })).rejects.toMatchObject({
      code: 'pack_spec_mismatch',
      message: expect.stringContaining('unknown features: c'),
    })
    expect(cache.entries.size).toBe(0)
  })

  it('still loads when the cache fails', async () => {
    const cache: PackCache = { getMeta: () => Promise.reject(new Error('broken')), setMeta: () => Promise.reject(new Error('full')) }
    await expect(loadPackFromUrl(URL_, { integrity, cache })).resolves.toEqual(pack)
  })

  describe('size cap', () => {
    /** A response streamed in 64 KB chunks, `total` bytes in all, that records how much of it was read. */
    const streamed = (total: number, headers: Record<string, string> = {}) => {
      const read = { bytes: 0, cancelled: false }
      const chunk = new Uint8Array(65_536).fill(32)
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (read.bytes >= total) return controller.close()
          read.bytes += chunk.length
          controller.enqueue(chunk)
        },
        cancel() {
          read.cancelled = true
        },
      })
      fetchMock.mockImplementation(async () => new Response(stream, { headers }))
      return read
    }

    it('has a documented default of 1 MB', () => {
      expect(MAX_PACK_BYTES).toBe(1024 * 1024)
    })

    it('refuses a pack whose Content-Length is over the cap without reading its body', async () => {
      const read = streamed(50 * 1024 * 1024, { 'content-length': String(50 * 1024 * 1024) })
      const cache = memoryCache()
      await expect(loadPackFromUrl(URL_, { integrity, cache })).rejects.toMatchObject({
        name: 'ModelPackError',
        code: 'pack_too_large',
        message: expect.stringContaining(String(MAX_PACK_BYTES)),
      })
      expect(read.bytes).toBeLessThanOrEqual(2 * 65_536) // at most what the stream buffered ahead
      expect(cache.entries.size).toBe(0)
    })

    it('stops reading a body without Content-Length as soon as it passes the cap', async () => {
      const read = streamed(50 * 1024 * 1024)
      await expect(loadPackFromUrl(URL_, { integrity })).rejects.toMatchObject({ code: 'pack_too_large' })
      expect(read.bytes).toBeLessThan(MAX_PACK_BYTES + 3 * 65_536)
      expect(read.cancelled).toBe(true)
    })

    it('takes a lower or higher cap per call, and loads a pack within it', async () => {
      await expect(loadPackFromUrl(URL_, { integrity, maxBytes: body.length - 1 })).rejects.toMatchObject({ code: 'pack_too_large' })
      serve(body)
      await expect(loadPackFromUrl(URL_, { integrity, maxBytes: body.length })).resolves.toEqual(pack)
      await expect(loadPackFromUrl(URL_, { integrity, maxBytes: 0 })).rejects.toMatchObject({ code: 'invalid_option', field: 'maxBytes' })
    })
  })

  it('keeps the pack under a cache key, which the store leaves out of the shopper\'s export', () => {
    expect(packCacheKey(URL_).startsWith(CACHE_META_PREFIX)).toBe(true)
  })
})
