import type { OptionValues } from './options'
import { specialDayCloseness } from '../src/features/specialDayCloseness'
import type { FeatureOptions, SpecialDayRule } from '../src/features/types'
import { validateOptions } from '../src/options/validateOptions'
import { DataError } from './dataError'

/**
 * The shop's `features` options (`sessionGapMs`, `specialDays`) from `--session-gap-ms <ms>` and
 * `--special-days '<JSON array of SpecialDayRule>'`, the values the shop gives the browser, checked by the
 * browser's own option table: sessions from a shop's events must split, and be close to special days, as its
 * shoppers' browsers compute them. Neither flag: the browser's defaults (`{}`).
 *
 * @example
 * featureOptions({ 'session-gap-ms': '600000' }) // { sessionGapMs: 600000 }
 */
export function featureOptions(args: OptionValues): FeatureOptions {
  const flag = (name: string): string | undefined => {
    const value = args[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw new DataError(`--${name} needs a value`)
    return value
  }
  const gap = flag('session-gap-ms')
  const days = flag('special-days')
  const options: { sessionGapMs?: number; specialDays?: SpecialDayRule[] } = {}
  if (gap !== undefined) options.sessionGapMs = gap.trim() === '' ? NaN : Number(gap)
  if (days !== undefined) {
    try {
      options.specialDays = JSON.parse(days)
    } catch (error) {
      throw new DataError(`--special-days: not JSON (${(error as Error).message}); give the browser's features.specialDays, e.g. '[{"name":"Black Friday","month":11,"weekday":5,"nth":4}]'`)
    }
  }
  // The browser's own check of each option (its limits live in src/options, once).
  for (const [flagName, key] of [['session-gap-ms', 'sessionGapMs'], ['special-days', 'specialDays']] as const) {
    try {
      validateOptions({ features: { [key]: options[key] } })
    } catch (error) {
      throw new DataError(`--${flagName}: ${(error as Error).message}`)
    }
  }
  // The browser takes any array; a rule its feature code cannot read makes every session's closeness NaN.
  options.specialDays?.forEach((rule, i) => {
    let closeness = NaN
    try {
      closeness = specialDayCloseness(0, [rule])
    } catch {
      // not a rule object at all
    }
    if (!Number.isFinite(closeness)) {
      throw new DataError(`--special-days: rule ${i + 1} (${JSON.stringify(rule)}) is not a SpecialDayRule the feature code can read (month, and day or weekday with nth)`)
    }
  })
  return options
}

/** `sessions end after 10 min without an event; special days: Black Friday` for provenance, or `''` with the defaults. */
export function describeFeatureOptions(options: FeatureOptions): string {
  const parts: string[] = []
  if (options.sessionGapMs !== undefined) parts.push(`sessions end after ${options.sessionGapMs / 60_000} min without an event`)
  if (options.specialDays !== undefined) parts.push(`special days: ${options.specialDays.map((d) => d.name).join(', ') || 'none'}`)
  return parts.join('; ')
}
