import { expectedFeatures } from '../features/featureNames'
import type { ExpectedFeatureSpec, ModelPack } from './types'

/**
 * The feature spec this SDK computes for each kind of pack, from the feature table: a pack must match it to
 * be used in the browser, and to be published by the collector.
 */
export const EXPECTED_SPECS: Readonly<Record<ModelPack['kind'], ExpectedFeatureSpec>> = {
  session: expectedFeatures('session'),
  lifetime: expectedFeatures('lifetime'),
}
