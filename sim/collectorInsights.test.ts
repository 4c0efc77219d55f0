// @vitest-environment node
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createReportEstimator } from '../collector/estimates/createReportEstimator'
import { packContexts } from '../collector/estimates/packLeafNames'
import { addDays } from '../collector/lib/addDays'
import { createCollector } from '../collector/server/createCollector'
import { migrate } from '../collector/storage/migrate'
import { DATABASE_TARGETS } from '../collector/testing/databases'
import { addReport, createInsightSums, estimateInsights } from '../src/reports/estimate'
import { parseReport } from '../src/reports/parseReport'
import { DEFAULT_DATA_DIR, SHOPPERS_FILE } from '../training/data'
import { createRng } from '../training/rng'
import { simulateReports } from './insights'
import { loadPopulation } from './population'
import { createShop, SHOP_SEED } from './shop'

const file = join(DEFAULT_DATA_DIR, SHOPPERS_FILE)
const present = existsSync(file)
if (!present) console.warn(`sim/collectorInsights.test.ts: ${file} is missing, these tests are skipped (see ../shared/data/README.md)`)

const NOW = Date.parse('2026-11-30T12:00:00Z')
const LAST_DAY = '2026-11-29'
const PER_DAY = 400

describe.skipIf(!present).each(DATABASE_TARGETS)('simulated shoppers through the collector on $name', (target) => {
  it('insights.json holds the estimates of the very reports the browsers sent, for the window and for each day', async () => {
    const population = loadPopulation(file)
    const shop = createShop(createRng(SHOP_SEED))
    const db = await target.open()
    await migrate(db)
    const collector = createCollector(db, createReportEstimator({ pageKeys: shop.keys, packs: population.packs }), {
      epsilon: 2,
      packs: population.packs,
      knownPacks: packContexts(population.packs),
      now: () => NOW,
    })
    // Seven days of sessions, each day's reports made by the SDK's encoder; the fifth day has none.
    const byDay = new Map<string, string[]>()
    for (let d = 0; d < 7; d++) {
      const day = addDays(LAST_DAY, -d)
      const bodies: string[] = []
      if (d !== 4) simulateReports(population, shop, { devices: PER_DAY, epsilon: 2, seed: 31 + d, dayOf: () => day }, (body) => bodies.push(JSON.stringify(body)))
      byDay.set(day, bodies)
    }
    const all = [...byDay.values()].flat()
    const outcomes = await Promise.all(all.map((text, i) => collector.ingest.submit(`browser ${i}`, text)))
    expect(outcomes.filter((o) => o.status !== 202)).toEqual([])
    const doc = (await (await collector.app.request('/seglet/insights.json')).json()) as {
      reports: number
      insights: unknown
      daily: { day: string; reports: number; segments: unknown[] }[]
      sevenDays: { to: string; reports: number; segments: unknown }[]
    }
    await collector.close()
    await db.close()

    const context = { packId: population.packId, segmentLeaves: population.segmentLabels.length, valueLeaves: population.valueLabels.length }
    const estimatesOf = (bodies: readonly string[], keys: string[]) => {
      const sums = createInsightSums(context, 2, keys)
      for (const body of bodies) addReport(sums, parseReport(body))
      return JSON.parse(JSON.stringify(estimateInsights(sums), (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))
    }
    expect(doc.reports).toBe(6 * PER_DAY)
    expect(doc.insights).toEqual(estimatesOf(all, shop.keys))
    for (const day of doc.daily) {
      const bodies = byDay.get(day.day) ?? []
      expect(day.reports, day.day).toBe(bodies.length)
      expect(day.segments, day.day).toEqual(bodies.length > 0 ? estimatesOf(bodies, []).segments : [])
    }
    const week = doc.sevenDays.find((p) => p.to === LAST_DAY)!
    expect(week.reports).toBe(6 * PER_DAY)
    expect(week.segments).toEqual(estimatesOf(all, []).segments)
  }, 120_000)
})
