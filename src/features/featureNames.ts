import type { ExpectedFeatureSpec, FeatureTransform } from '../pack/types'
import { LIFETIME_FEATURES } from './lifetimeFeatures'
import { SESSION_FEATURES } from './sessionFeatures'

/**
 * Version of the session feature definition: what each name means. Adding a feature to the table keeps it
 * (packs name the features they read); change it when an existing name changes meaning.
 */
export const SESSION_FEATURE_SPEC_VERSION = 'session-1'

/** Version of the lifetime feature definition. */
export const LIFETIME_FEATURE_SPEC_VERSION = 'lifetime-1'

/** Every session feature name, in table order (`SESSION_FEATURES`). */
export const SESSION_FEATURE_NAMES: readonly string[] = SESSION_FEATURES.map((f) => f.name)

/** Transform of each session feature, in table order. */
export const SESSION_FEATURE_TRANSFORMS: readonly FeatureTransform[] = SESSION_FEATURES.map((f) => f.transform)

/** The session features the public training data (UCI Online Shoppers) carries: what the shipped pack reads. */
export const PUBLIC_SESSION_FEATURE_NAMES: readonly string[] = SESSION_FEATURES.filter((f) => f.publicData).map((f) => f.name)

/** Every lifetime feature name, in table order (`LIFETIME_FEATURES`). */
export const LIFETIME_FEATURE_NAMES: readonly string[] = LIFETIME_FEATURES.map((f) => f.name)

/** Transform of each lifetime feature, in table order. */
export const LIFETIME_FEATURE_TRANSFORMS: readonly FeatureTransform[] = LIFETIME_FEATURES.map((f) => f.transform)

export type SessionFeatureName = (typeof SESSION_FEATURES)[number]['name']
export type LifetimeFeatureName = (typeof LIFETIME_FEATURES)[number]['name']

const EXPECTED: Record<ExpectedFeatureSpec['kind'], ExpectedFeatureSpec> = {
  session: { kind: 'session', version: SESSION_FEATURE_SPEC_VERSION, names: SESSION_FEATURE_NAMES, transforms: SESSION_FEATURE_TRANSFORMS },
  lifetime: { kind: 'lifetime', version: LIFETIME_FEATURE_SPEC_VERSION, names: LIFETIME_FEATURE_NAMES, transforms: LIFETIME_FEATURE_TRANSFORMS },
}

/**
 * What `checkPack()` checks a pack of one kind against: the SDK's feature table for it.
 *
 * @example
 * const pack = checkPack(JSON.parse(text), expectedFeatures('session'))
 */
export function expectedFeatures(kind: ExpectedFeatureSpec['kind']): ExpectedFeatureSpec {
  return EXPECTED[kind]
}
