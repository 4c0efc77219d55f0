import { MAX_PRICE } from '../limits'
import type { PageStats } from '../types'
import { readNumber } from './readNumber'
import { readObject } from './readObject'
import type { Fields } from './types'

/** Reads optional page statistics: rates in 0..1, page value in 0..`MAX_PRICE`. Empty stats count as absent. */
export function readStats(source: Fields, key: string, at: string): PageStats | undefined {
  const value = source[key]
  if (value === undefined || value === null) return undefined
  const stats = readObject(value, at, key)
  const statsAt = `${at}${key}.`
  const out: PageStats = {}
  const bounceRate = readNumber(stats, 'bounceRate', statsAt, 0, 1, false)
  const exitRate = readNumber(stats, 'exitRate', statsAt, 0, 1, false)
  const pageValue = readNumber(stats, 'pageValue', statsAt, 0, MAX_PRICE, false)
  if (bounceRate !== undefined) out.bounceRate = bounceRate
  if (exitRate !== undefined) out.exitRate = exitRate
  if (pageValue !== undefined) out.pageValue = pageValue
  return bounceRate === undefined && exitRate === undefined && pageValue === undefined ? undefined : out
}
