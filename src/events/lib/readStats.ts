import { MAX_PRICE } from '../limits'
import type { PageStats } from '../types'
import { amount } from './fieldReaders'
import { readObject } from './readObject'
import type { Fields } from './types'
import { readFields, type FieldReader } from './readFields'

const rate = amount(1, false)
/** The statistics' fields, in the order they are checked. */
const STATS: Record<string, FieldReader> = {
  bounceRate: rate,
  exitRate: rate,
  pageValue: amount(MAX_PRICE, false),
}

/** Reads optional page statistics: rates in 0..1, page value in 0..`MAX_PRICE`. Empty stats count as absent. */
export function readStats(source: Fields, key: string, at: string): PageStats | undefined {
  const value = source[key]
  if (value === undefined || value === null) return undefined
  const stats = readFields(readObject(value, at, key), STATS, `${at}${key}.`)
  return Object.keys(stats).length ? (stats as PageStats) : undefined
}
