import { createHash } from 'node:crypto'
import { MAX_PACK_ID_LENGTH } from '../src/reports/schema'
import { DataError } from './dataError'
import type { OptionValues } from './options'
import { DEFAULT_SEED, LIFETIME_CONFIG, SESSION_CONFIG, type PackConfig } from './packConfig'

/** The version of the packs built from the public data sets, as shipped in `src/models`. */
export const PUBLIC_PACK_VERSION = '1.0.0'

/**
 * Longest pack version a run writes: reports carry `session@<v>+rYYYYMMDD+lifetime@<v>` (a retrained session
 * pack beside its lifetime pack) in at most MAX_PACK_ID_LENGTH characters.
 */
export const MAX_PACK_VERSION_LENGTH = (MAX_PACK_ID_LENGTH - 'session@+r20261130+lifetime@'.length) >> 1

// Semantic versioning without build metadata: `+` ends the network's version, as the collector reads it, and
// `+rYYYYMMDD` is what a retrain adds.
const IDENTIFIER = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)'
const SEMVER = new RegExp(`^(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-${IDENTIFIER}(?:\\.${IDENTIFIER})*)?$`)

/**
 * The version of a pack trained on a shop's own data: `1.0.0-` and 8 hex characters of a SHA-256 over what it
 * was trained from (each file's hash, the seed and the settings), so the same files and options give the same
 * version, and browsers running it report under a pack id of its own, never the shipped pack's.
 *
 * @example
 * dataPackVersion([file.sha256, 'seed 42']) // '1.0.0-3fa2c91b'
 */
export function dataPackVersion(parts: readonly string[]): string {
  const hex = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8)
  // Eight digits are a number in semantic versioning, which has no leading zeros.
  return `${PUBLIC_PACK_VERSION}-${/^\d+$/.test(hex) ? String(Number(hex)) : hex}`
}

/**
 * The version of a pack trained on the public data sets: the shipped packs' `1.0.0` only for the run that
 * reproduces them (the default seed and hyper-parameters, no `--quick`, `--config` or `--inner-holdout` that
 * changes them); any other network gets a `dataPackVersion` of its own, over the data set's hash and those
 * settings, so browsers serving an experimental pack never report under the shipped packs' id.
 *
 * @example
 * publicPackVersion('session', file.sha256, { seed: 7, config: SESSION_CONFIG }) // '1.0.0-<8 hex>'
 */
export function publicPackVersion(kind: 'session' | 'lifetime', sha256: string, settings: { seed: number; config: PackConfig; innerHoldout?: number }): string {
  if (isShippedNetwork(kind, settings)) return PUBLIC_PACK_VERSION
  return dataPackVersion([kind, 'public', sha256, JSON.stringify({ seed: settings.seed, config: settings.config, innerHoldout: settings.innerHoldout ?? null })])
}

/**
 * Whether a pack trained on the public data sets with these settings is the shipped network: the default seed and
 * hyper-parameters, no inner holdout.
 */
export function isShippedNetwork(kind: 'session' | 'lifetime', settings: { seed: number; config: PackConfig; innerHoldout?: number }): boolean {
  const shipped: PackConfig = kind === 'session' ? SESSION_CONFIG : LIFETIME_CONFIG
  const keys = new Set([...Object.keys(shipped), ...Object.keys(settings.config)]) as Set<keyof PackConfig>
  const sameConfig = [...keys].every((key) => settings.config[key] === shipped[key])
  return settings.seed === DEFAULT_SEED && sameConfig && settings.innerHoldout === undefined
}

/**
 * `--pack-version`, `undefined` when absent. A version that is not `MAJOR.MINOR.PATCH[-pre-release]`, carries
 * `+` build metadata, would make a report's pack id longer than reports allow, or is the shipped packs' own
 * version for a pack trained on a shop's data or for an experimental network (`experimental`: another seed or
 * hyper-parameters, `--quick`, `--inner-holdout`) throws a one-line `DataError`.
 */
export function packVersionOption(values: OptionValues, shopData: boolean, experimental = false): string | undefined {
  const raw = values['pack-version']
  if (raw === undefined) return undefined
  const v = String(raw)
  if (v.includes('+')) throw new DataError(`--pack-version ${JSON.stringify(v)}: no "+" (the collector reads the version before "+" as the network, and a retrain adds +rYYYYMMDD)`)
  if (!SEMVER.test(v)) throw new DataError(`--pack-version ${JSON.stringify(v)} is not a version like 2.0.0 or 1.0.0-acme.3 (MAJOR.MINOR.PATCH, optionally -pre-release)`)
  if (v.length > MAX_PACK_VERSION_LENGTH) throw new DataError(`--pack-version ${JSON.stringify(v)} is longer than ${MAX_PACK_VERSION_LENGTH} characters: reports carry session@<version>+rYYYYMMDD+lifetime@<version> in at most ${MAX_PACK_ID_LENGTH}`)
  if (shopData && v === PUBLIC_PACK_VERSION) throw new DataError(`--pack-version ${v} is the version of the packs shipped with Seglet: a pack trained on a shop's own data needs another, or its reports add up with theirs`)
  if (experimental && v === PUBLIC_PACK_VERSION) throw new DataError(`--pack-version ${v} is the version of the packs shipped with Seglet: a pack of another seed or hyper-parameters (--seed, --config, --quick, --inner-holdout) needs another, or its reports add up with theirs`)
  return v
}
