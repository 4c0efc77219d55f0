// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { isSegletError } from '../errors'
import type { Decider } from '../core/createDecider'
import { rebrandDecider } from './loadScriptParts'

// The model file's own copy of the error classes (a separate build).
class ForeignSegletError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
    this.name = 'ModelPackError'
  }
}

const deciderRejecting = (error: unknown): Decider => ({
  decide: vi.fn(() => Promise.reject(error)),
  explain: () => [],
  reset: vi.fn(),
  showPanel: vi.fn(),
  hidePanel: vi.fn(),
  destroy: vi.fn(),
})

describe('rebrandDecider', () => {
  it('rebuilds what decide() rejects with as this bundle’s classes, code and name kept', async () => {
    const inner = deciderRejecting(new ForeignSegletError('pack_integrity', 'bad hash'))
    const decider = rebrandDecider(inner)
    const error = await decider.decide(undefined, []).catch((e: unknown) => e)
    expect(isSegletError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'pack_integrity', name: 'ModelPackError', message: 'bad hash' })
    expect(inner.decide).toHaveBeenCalledWith(undefined, [])
  })

  it('passes other failures and the other methods through', async () => {
    const failure = new TypeError('x is undefined')
    const inner = deciderRejecting(failure)
    const decider = rebrandDecider(inner)
    expect(await decider.decide().catch((e: unknown) => e)).toBe(failure)
    decider.showPanel()
    decider.reset()
    expect(inner.showPanel).toHaveBeenCalledTimes(1)
    expect(inner.reset).toHaveBeenCalledTimes(1)
    expect(decider.explain()).toEqual([])
  })
})
