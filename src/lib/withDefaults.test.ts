import { describe, expect, it } from 'vitest'
import { withDefaults } from './withDefaults'

describe('withDefaults', () => {
  it('fills in what the options leave undefined or null, and keeps what they give', () => {
    const options: { a?: number; b?: string | null; c?: boolean; extra?: string } = { a: 0, b: null, c: false, extra: 'kept' }
    expect(withDefaults(options, { a: 1, b: 'x', c: true, d: 5 })).toEqual({ a: 0, b: 'x', c: false, d: 5, extra: 'kept' })
    expect(withDefaults({}, { a: 1 })).toEqual({ a: 1 })
  })

  it('returns a new object: neither the options nor the defaults change', () => {
    const options = { a: undefined as number | undefined }
    const defaults = { a: 1, b: 2 }
    const result = withDefaults(options, defaults)
    expect(result).not.toBe(options)
    expect(options).toEqual({ a: undefined })
    expect(defaults).toEqual({ a: 1, b: 2 })
  })
})
