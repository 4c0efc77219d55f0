// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { makePack } from './__fixtures__/makePack'
import { checkPackSpec } from './checkPackSpec'
import { loadPack } from './loadPack'

const pack = makePack({ names: ['pages', 'seconds', 'bounce_rate'] })
const expected = { kind: 'session' as const, version: 'test-1', names: ['pages', 'seconds', 'bounce_rate'] }

describe('checkPackSpec', () => {
  it('accepts a pack with the SDK feature spec', () => {
    expect(() => checkPackSpec(pack, expected)).not.toThrow()
  })

  it.each([
    ['another kind', { kind: 'lifetime' as const }, 'pack kind is "session", expected "lifetime"'],
    ['another feature version', { version: 'test-2' }, 'feature version is "test-1", the SDK computes "test-2"'],
    ['a missing feature', { names: ['pages', 'seconds', 'bounce_rate', 'exit_rate'] }, 'missing features: exit_rate'],
    ['an unknown feature', { names: ['pages', 'seconds'] }, 'unknown features: bounce_rate'],
    ['a renamed feature', { names: ['pages', 'duration', 'bounce_rate'] }, 'missing features: duration; unknown features: seconds'],
    ['another order', { names: ['seconds', 'pages', 'bounce_rate'] }, 'features in another order: seconds, pages'],
  ])('refuses %s, listing the differences', (_, change, message) => {
    expect(() => checkPackSpec(pack, { ...expected, ...change })).toThrow(
      expect.objectContaining({ name: 'ModelPackError', code: 'pack_spec_mismatch', message: expect.stringContaining(message) }),
    )
  })

  it('is applied by loadPack when the expected spec is given', () => {
    expect(() => loadPack(pack, { expected: { ...expected, version: 'test-2' } })).toThrow(expect.objectContaining({ code: 'pack_spec_mismatch' }))
    expect(() => loadPack(pack, { expected })).not.toThrow()
  })
})
