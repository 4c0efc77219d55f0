import { LIFETIME_FEATURES } from '../features/lifetimeFeatures'
import { SESSION_FEATURES } from '../features/sessionFeatures'
import type { FeatureDefinition } from '../features/types'
import { flag, timeOn, viewed } from '../features/wording'
import { formatNumber } from '../lib/formatNumber'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

let byName: Map<string, FeatureDefinition<never>> | undefined

/**
 * One feature in plain words, for the explanation and the transparency panel: the `describe` of its record
 * in the feature tables (src/features), else words from the shape of its name.
 *
 * @example
 * describeFeature('product_pages', 8)      // '8 shopping pages viewed'
 * describeFeature('product_seconds', 360)  // '6 min on shopping pages'
 * describeFeature('returning', 1)          // 'returning visitor'
 * describeFeature('frequency', 3)          // '3 past orders'
 * describeFeature('month_nov', 1)          // 'visiting in November'
 * describeFeature('unknown_thing', 2.5)    // 'unknown thing: 2.5'
 */
export function describeFeature(name: string, value: number): string {
  byName ??= new Map([...SESSION_FEATURES, ...LIFETIME_FEATURES].map((f) => [f.name, f as FeatureDefinition<never>]))
  const feature = byName.get(name)
  if (feature && Number.isFinite(value)) return feature.describe(value)
  const month = monthOf(name)
  if (month && Number.isFinite(value)) return flag(`visiting in ${month}`, `not visiting in ${month}`)(value)
  const readable = name.replace(/_/g, ' ')
  if (Number.isFinite(value)) {
    const pages = /^(.+)_pages$/.exec(name)
    if (pages) return viewed(`${pages[1].replace(/_/g, ' ')} page`)(value)
    const seconds = /^(.+)_seconds$/.exec(name)
    if (seconds) return timeOn(seconds[1].replace(/_/g, ' '))(value)
  }
  return `${readable}: ${formatNumber(value)}`
}

/** `month_nov`, `month_november`, `month_11` → 'November'; anything else → null. */
function monthOf(name: string): string | null {
  const m = /^month_(.+)$/.exec(name)
  if (!m) return null
  const key = m[1].toLowerCase()
  const byNumber = /^\d{1,2}$/.test(key) ? MONTHS[Number(key) - 1] : undefined
  return byNumber ?? MONTHS.find((month) => month.toLowerCase().startsWith(key) && key.length >= 3) ?? null
}
