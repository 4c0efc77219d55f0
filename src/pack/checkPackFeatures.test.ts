// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { expectedFeatures, PUBLIC_SESSION_FEATURE_NAMES, SESSION_FEATURE_NAMES } from '../features/featureNames'
import { loadPack } from '../model/loadPack'
import { makePack } from '../model/__fixtures__/makePack'
import { SHIPPED_PACKS } from '../model/shippedPacks'
import { checkPack } from './checkPack'
import type { ExpectedFeatureSpec, ModelPack } from './types'

const pack = makePack({ names: ['pages', 'seconds', 'bounce_rate'] })
const expected: ExpectedFeatureSpec = { kind: 'session', version: 'test-1', names: ['pages', 'seconds', 'bounce_rate', 'exit_rate'] }

describe('checkPack: the features a pack reads', () => {
  it('accepts a pack that reads some of the SDK features, in its own order', () => {
    expect(() => checkPack(pack, expected)).not.toThrow()
    expect(() => checkPack(makePack({ names: ['exit_rate', 'pages', 'seconds'] }), expected)).not.toThrow()
  })

  it.each([
    ['another kind', { kind: 'lifetime' as const }, 'pack kind is "session", expected "lifetime"'],
    ['another feature version', { version: 'test-2' }, 'feature version is "test-1", the SDK computes "test-2"'],
    ['an unknown feature', { names: ['pages', 'seconds'] }, 'unknown features: bounce_rate'],
    ['a renamed feature', { names: ['pages', 'duration', 'bounce_rate'] }, 'unknown features: seconds'],
    ['another transform', { transforms: ['identity', 'log1p', 'identity'] as const }, 'features with another transform: seconds (the SDK uses log1p)'],
  ])('refuses %s, listing the differences', (_, change, message) => {
    expect(() => checkPack(pack, { ...expected, ...change })).toThrow(
      expect.objectContaining({ name: 'ModelPackError', code: 'pack_spec_mismatch', message: expect.stringContaining(message) }),
    )
  })

  it('refuses a pack that reads a feature twice', () => {
    expect(() => checkPack(makePack({ names: ['pages', 'seconds', 'pages'] }), expected)).toThrow(
      expect.objectContaining({ code: 'pack_spec_mismatch', message: expect.stringContaining('features read twice: pages') }),
    )
  })

  it('checks the shape before the features: a broken pack is pack_invalid whatever its features', () => {
    const broken: ModelPack = structuredClone(pack)
    broken.model.layers = []
    expect(() => checkPack(broken, { ...expected, version: 'other' })).toThrow(expect.objectContaining({ code: 'pack_invalid' }))
  })

  it('is applied by loadPack when the expected spec is given', () => {
    expect(() => loadPack(pack, { expected: { ...expected, version: 'test-2' } })).toThrow(expect.objectContaining({ code: 'pack_spec_mismatch' }))
    expect(() => loadPack(pack, { expected })).not.toThrow()
  })

  it('accepts the shipped packs against the SDK feature table; the session pack reads the public-data features', () => {
    expect(checkPack(SHIPPED_PACKS.session, expectedFeatures('session')).featureSpec.names).toEqual(PUBLIC_SESSION_FEATURE_NAMES)
    expect(() => checkPack(SHIPPED_PACKS.lifetime, expectedFeatures('lifetime'))).not.toThrow()
    // The table holds behaviour features the shipped pack does not read; a pack trained on them is accepted too.
    expect(SESSION_FEATURE_NAMES.length).toBeGreaterThan(PUBLIC_SESSION_FEATURE_NAMES.length)
  })
})
