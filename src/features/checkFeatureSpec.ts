import type { FeatureSpec } from '../model/pack'
import {
  LIFETIME_FEATURE_NAMES,
  LIFETIME_FEATURE_SPEC_VERSION,
  SESSION_FEATURE_NAMES,
  SESSION_FEATURE_SPEC_VERSION,
} from './featureNames'

/** Result of `checkFeatureSpec()`: `ok`, or why the pack cannot be used with this SDK's features. */
export type FeatureSpecCheck = { ok: true } | { ok: false; reason: string }

/**
 * Checks that a pack's feature spec was trained on this SDK's feature definition (same version, same names in
 * the same order, consistent array lengths). The model runtime refuses a pack that fails.
 *
 * @example
 * const check = checkFeatureSpec(pack.featureSpec, pack.kind)
 * if (!check.ok) throw new ModelPackError('pack_spec_mismatch', check.reason)
 */
export function checkFeatureSpec(spec: FeatureSpec, kind: 'session' | 'lifetime'): FeatureSpecCheck {
  const version = kind === 'session' ? SESSION_FEATURE_SPEC_VERSION : LIFETIME_FEATURE_SPEC_VERSION
  const names: readonly string[] = kind === 'session' ? SESSION_FEATURE_NAMES : LIFETIME_FEATURE_NAMES
  if (!spec || typeof spec !== 'object') return { ok: false, reason: 'featureSpec is missing' }
  if (spec.version !== version) {
    return { ok: false, reason: `featureSpec version "${spec.version}" does not match the SDK's "${version}" for ${kind} packs` }
  }
  if (!Array.isArray(spec.names) || spec.names.length !== names.length) {
    return { ok: false, reason: `featureSpec has ${spec.names?.length ?? 0} names, the SDK computes ${names.length}` }
  }
  for (let i = 0; i < names.length; i++) {
    if (spec.names[i] !== names[i]) {
      return { ok: false, reason: `featureSpec name ${i} is "${spec.names[i]}", the SDK computes "${names[i]}"` }
    }
  }
  for (const key of ['transforms', 'mean', 'std'] as const) {
    if (!Array.isArray(spec[key]) || spec[key].length !== names.length) {
      return { ok: false, reason: `featureSpec.${key} must have ${names.length} entries` }
    }
  }
  if (spec.transforms.some((t) => t !== 'identity' && t !== 'log1p')) {
    return { ok: false, reason: 'featureSpec.transforms may only be "identity" or "log1p"' }
  }
  if ([...spec.mean, ...spec.std].some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    return { ok: false, reason: 'featureSpec.mean and featureSpec.std must be finite numbers' }
  }
  return { ok: true }
}
