import { afterEach, describe, expect, it, vi } from 'vitest'
import { createIdFactory } from './createIdFactory'

afterEach(() => vi.unstubAllGlobals())

describe('createIdFactory', () => {
  it('prefixes a counter with 64 random bits from Web Crypto', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues')
    const next = createIdFactory()
    expect(spy).toHaveBeenCalledTimes(1)
    const [a, b] = [next(), next()]
    expect(a).toMatch(/^[0-9a-f]{16}-0$/)
    expect(b).toBe(a.slice(0, 17) + '1')
    expect(createIdFactory()().slice(0, 16)).not.toBe(a.slice(0, 16))
    spy.mockRestore()
  })

  it.each([
    ['missing', undefined],
    ['throwing', { getRandomValues: () => { throw new Error('not allowed here') } }],
  ])('falls back to Math.random() when Web Crypto is %s', (_, stub) => {
    vi.stubGlobal('crypto', stub)
    const prefixes = new Set(Array.from({ length: 50 }, () => createIdFactory()()))
    expect(prefixes.size).toBe(50)
    for (const id of prefixes) expect(id).toMatch(/^[0-9a-f]{16}-0$/)
  })
})
