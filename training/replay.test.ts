// @vitest-environment node
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeFeatures } from '../src/features/computeFeatures'
import { PUBLIC_SESSION_FEATURE_NAMES, SESSION_FEATURE_NAMES } from '../src/features/featureNames'
import { sessionVector } from '../src/features/vectors'
import { DEFAULT_DATA_DIR, readDataFile, SHOPPERS_FILE } from './data'
import { parseShoppers, rowToAggregate, rowToEvents, type ShoppersRow } from './loadShoppers'

const path = join(DEFAULT_DATA_DIR, SHOPPERS_FILE)
const have = existsSync(path)
if (!have) console.warn(`skipping the replay test: ${path} is missing (see ../shared/data/README.md)`)

/** Page statistics are means over page views, so they may differ from the CSV value in the last bit. */
const STATS = new Set(['bounce_rate', 'exit_rate', 'page_value'])

function replayMismatches(row: ShoppersRow, withStats: boolean): string[] {
  const events = rowToEvents(row, { withStats })
  const replayed = computeFeatures(events, events[events.length - 1].ts + 1000).sessionRaw
  const expected = sessionVector(rowToAggregate(row, { withStats }))
  const out: string[] = []
  // The features the public data carries (what the shipped pack reads) must replay exactly; the behaviour
  // features are not in the CSV (the row's replay has no cart, search or clock to compare with).
  PUBLIC_SESSION_FEATURE_NAMES.forEach((name) => {
    const i = SESSION_FEATURE_NAMES.indexOf(name)
    const ok = STATS.has(name) ? Math.abs(replayed[i] - expected[i]) <= 1e-12 * Math.max(1, Math.abs(expected[i])) : replayed[i] === expected[i]
    if (!ok) out.push(`row ${row.index} ${name}: replayed ${replayed[i]} vs CSV ${expected[i]}`)
  })
  return out
}

// Each replay folds all 12,330 rows (about 20 s on an idle 2-core machine): room for a busy one.
const REPLAY_TIMEOUT_MS = 180_000

describe.skipIf(!have)('replaying UCI rows as Seglet events gives the training vector', () => {
  const rows = have ? parseShoppers(readDataFile(path).text) : []

  it('for every one of the 12,330 rows, with page statistics', () => {
    const mismatches = rows.flatMap((row) => replayMismatches(row, true))
    expect(mismatches.slice(0, 10)).toEqual([])
  }, REPLAY_TIMEOUT_MS)

  it('for every row without page statistics', () => {
    const mismatches = rows.flatMap((row) => replayMismatches(row, false))
    expect(mismatches.slice(0, 10)).toEqual([])
  }, REPLAY_TIMEOUT_MS)

  it('events look like what capture stores', () => {
    const row = rows.find((r) => r.visitorType === 'Returning_Visitor' && r.administrative > 0 && r.productRelated > 1)!
    const events = rowToEvents(row)
    expect(events[0]).toMatchObject({ type: 'page_view', pageType: 'home' }) // the earlier session
    expect(events.filter((e) => e.type === 'page_view')).toHaveLength(1 + row.administrative + row.informational + row.productRelated)
    const ms = events.filter((e) => e.type === 'engagement' && e.pageType === 'product').reduce((s, e) => s + (e as { visibleMs: number }).visibleMs, 0)
    expect(ms).toBe(Math.round(row.productRelatedDuration * 1000))
    for (const e of events) {
      expect(e.id).toMatch(/^[0-9a-z]+$/)
      if (e.type === 'engagement') expect(e.visibleMs).toBeLessThanOrEqual(86_400_000)
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
  })
})
