import { ModelPackError } from '../errors'
import type { ModelPack } from './pack'

/** The feature spec the SDK computes for one pack kind (from `src/features`). */
export interface ExpectedFeatureSpec {
  kind: ModelPack['kind']
  /** `FEATURE_SPEC_VERSION` of src/features for that kind. */
  version: string
  /** Feature names in input order (`SESSION_FEATURE_NAMES`, `LIFETIME_FEATURE_NAMES`). */
  names: readonly string[]
}

/**
 * Refuses a pack whose feature spec does not match what the SDK's feature code produces: another kind,
 * another feature version, or other feature names or order. Pure; throws
 * `ModelPackError('pack_spec_mismatch')` whose message lists the differences.
 *
 * @example
 * checkPackSpec(pack, { kind: 'session', version: SESSION_FEATURE_VERSION, names: SESSION_FEATURE_NAMES })
 */
export function checkPackSpec(pack: ModelPack, expected: ExpectedFeatureSpec): void {
  const problems: string[] = []
  if (pack.kind !== expected.kind) problems.push(`pack kind is "${pack.kind}", expected "${expected.kind}"`)
  if (pack.featureSpec.version !== expected.version) {
    problems.push(`feature version is "${pack.featureSpec.version}", the SDK computes "${expected.version}"`)
  }
  const actual = pack.featureSpec.names
  const missing = expected.names.filter((name) => !actual.includes(name))
  const unknown = actual.filter((name) => !expected.names.includes(name))
  if (missing.length) problems.push(`missing features: ${missing.join(', ')}`)
  if (unknown.length) problems.push(`unknown features: ${unknown.join(', ')}`)
  if (!missing.length && !unknown.length) {
    const moved = expected.names.filter((name, i) => actual[i] !== name)
    if (moved.length) problems.push(`features in another order: ${moved.join(', ')}`)
  }
  if (problems.length) {
    throw new ModelPackError(
      'pack_spec_mismatch',
      `Model pack "${pack.kind}@${pack.version}" does not match this SDK's features: ${problems.join('; ')}.`,
    )
  }
}
