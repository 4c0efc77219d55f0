import { describe, expect, it, vi } from 'vitest'
import { isSegletError } from '../errors'
import { loadPart } from './loadPart'

describe('loadPart', () => {
  it('imports a part once, however often and however concurrently it is asked for', async () => {
    const load = vi.fn(() => Promise.resolve({ part: 1 }))
    const get = loadPart('bridges', load)
    const [a, b] = await Promise.all([get(), get()])
    expect(await get()).toBe(a)
    expect(b).toBe(a)
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('rejects a failed import with model_failed, naming the part, and tries again on the next call', async () => {
    const load = vi.fn().mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module')).mockResolvedValue({ part: 2 })
    const get = loadPart('blocks', load)
    const error = await get().catch((e: unknown) => e)
    expect(isSegletError(error) && error.code).toBe('model_failed')
    expect(String((error as Error).message)).toMatch(/blocks part could not be loaded: TypeError: Failed to fetch/)
    expect(await get()).toEqual({ part: 2 })
    expect(load).toHaveBeenCalledTimes(2)
  })
})
