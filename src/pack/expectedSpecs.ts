import { LIFETIME_FEATURE_NAMES, LIFETIME_FEATURE_SPEC_VERSION, SESSION_FEATURE_NAMES, SESSION_FEATURE_SPEC_VERSION } from '../features/featureNames'
import type { ExpectedFeatureSpec } from '../model/checkPackSpec'
import type { ModelPack } from '../model/pack'

/**
 * The feature spec this SDK computes for each kind of pack: a pack must match it to be used in the browser,
 * and to be published by the collector.
 */
export const EXPECTED_SPECS: Readonly<Record<ModelPack['kind'], ExpectedFeatureSpec>> = {
  session: { kind: 'session', version: SESSION_FEATURE_SPEC_VERSION, names: SESSION_FEATURE_NAMES },
  lifetime: { kind: 'lifetime', version: LIFETIME_FEATURE_SPEC_VERSION, names: LIFETIME_FEATURE_NAMES },
}
