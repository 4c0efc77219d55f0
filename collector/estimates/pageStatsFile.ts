import { createHash } from 'node:crypto'
import type { PageStatsContent, PageStatsRow } from './types'

/** The page-statistics table the SDK loads (`capture: { pageStatsUrl, pageStatsIntegrity }`). */
export interface PageStatsTable {
  format: 'seglet-page-stats'
  version: 1
  generated: string
  day: string
  epsilon: number
  reports: number
  pages: Record<string, PageStatsRow>
  /** The page keys the page-value question asks about. */
  valuePages: string[]
}

/** The table serialised, and its Subresource-Integrity-style `sha256-<base64>` digest. */
export interface PageStatsFile {
  table: PageStatsTable
  text: string
  integrity: string
}

/**
 * Serialises the page-statistics table as the SDK expects it, with the integrity the shop puts in
 * `pageStatsIntegrity`. Keys are sorted, so the same statistics always give the same bytes and digest.
 */
export function pageStatsFile(
  day: string,
  stats: PageStatsContent,
): PageStatsFile {
  const pages: Record<string, PageStatsRow> = {}
  for (const key of Object.keys(stats.pages).sort()) pages[key] = stats.pages[key]!
  const table: PageStatsTable = {
    format: 'seglet-page-stats',
    version: 1,
    generated: 'written by the Seglet collector — do not edit',
    day,
    epsilon: stats.epsilon,
    reports: stats.reports,
    pages,
    valuePages: [...stats.valuePages],
  }
  const text = `${JSON.stringify(table, null, 1)}\n`
  return { table, text, integrity: `sha256-${createHash('sha256').update(text).digest('base64')}` }
}
