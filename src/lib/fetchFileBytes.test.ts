import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SegletError } from '../errors'
import { fetchFileBytes } from './fetchFileBytes'

const fail = (kind: string, message: string, cause?: unknown) => new SegletError(`pack_${kind}` as never, message, { cause })

/** A server whose response and body chunks the test releases one by one; the request honours its abort signal. */
function stubServer() {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let respond!: () => void
  const requests: RequestInit[] = []
  vi.stubGlobal('fetch', (_href: string, init: RequestInit) => {
    requests.push(init)
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        const reason = init.signal!.reason
        reject(reason)
        try { controller?.error(reason) } catch { /* closed */ }
      }
      init.signal!.addEventListener('abort', onAbort)
      respond = () => resolve(new Response(new ReadableStream<Uint8Array>({ start: (c) => { controller = c } })))
    })
  })
  return {
    requests,
    respond: () => respond(),
    chunk: (n: number) => controller.enqueue(new Uint8Array(n)),
    end: () => controller.close(),
  }
}

/** Advances the clock by `ms`, letting the promise callbacks of each step run. */
async function wait(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
}

const STALL_MS = 30_000
describe('fetchFileBytes: a request without progress is given up', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('fails as load_failed when the server never answers, after STALL_MS and not before', async () => {
    stubServer()
    const settled = vi.fn()
    const result = fetchFileBytes('https://shop.example/p.json', 'model pack', 1000, fail).then(settled, (e) => { settled(e); throw e })
    result.catch(() => {})
    await wait(STALL_MS - 1)
    expect(settled).not.toHaveBeenCalled()
    await wait(1)
    await expect(result).rejects.toMatchObject({ code: 'pack_load_failed', message: expect.stringContaining(`no data for ${STALL_MS / 1000} s`) })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('fails as load_failed when the body stops coming, counting from its last chunk', async () => {
    const server = stubServer()
    const settled = vi.fn()
    const result = fetchFileBytes('https://shop.example/p.json', 'model pack', 1000, fail).then(settled, (e) => { settled(e); throw e })
    result.catch(() => {})
    await wait(STALL_MS - 1000)
    server.respond()
    await wait(STALL_MS - 1000)
    server.chunk(10)
    await wait(STALL_MS - 1)
    expect(settled).not.toHaveBeenCalled()
    await wait(1)
    await expect(result).rejects.toMatchObject({ code: 'pack_load_failed' })
  })

  it('keeps a slow but steady download, however long it takes in all', async () => {
    const server = stubServer()
    const result = fetchFileBytes('https://shop.example/p.json', 'model pack', 1000, fail)
    await wait(STALL_MS - 1)
    server.respond()
    for (let i = 0; i < 10; i++) {
      await wait(STALL_MS - 1)
      server.chunk(50)
    }
    await wait(STALL_MS - 1)
    server.end()
    expect((await result).byteLength).toBe(500)
    // No timer is left behind to abort anything later.
    expect(vi.getTimerCount()).toBe(0)
  })

  it('still refuses an oversized body as too_large, not as a stall', async () => {
    const server = stubServer()
    const result = fetchFileBytes('https://shop.example/p.json', 'model pack', 100, fail)
    result.catch(() => {})
    server.respond()
    await wait(10)
    server.chunk(101)
    await expect(result).rejects.toMatchObject({ code: 'pack_too_large' })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('fetchFileBytes: what a request carries', () => {
  afterEach(() => vi.unstubAllGlobals())

  it.each(['same-origin', 'omit'] as const)('sends no Referer, so the page address never goes with it (credentials %s)', async (credentials) => {
    const requests: RequestInit[] = []
    vi.stubGlobal('fetch', async (_href: string, init: RequestInit) => {
      requests.push(init)
      return new Response(new Uint8Array(3))
    })
    const bytes = await fetchFileBytes('https://shop.example/seglet/packs.manifest', 'pack manifest', 1000, fail, credentials)
    expect(bytes.byteLength).toBe(3)
    expect(requests).toEqual([expect.objectContaining({ credentials, referrerPolicy: 'no-referrer', redirect: 'error' })])
  })
})
