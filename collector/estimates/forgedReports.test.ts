// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { ParsedReport } from '../../src/reports/types'
import { addUp } from '../ingest/createIngest'
import { createIngest } from '../ingest/createIngest'
import { migrate } from '../storage/migrate'
import { readSums } from '../storage/readSums'
import type { SumRow } from '../storage/types'
import { DATABASE_TARGETS } from '../testing/databases'
import { forgedStrategies } from '../testing/forgedReports'
import { reportBodies, TEST_CONTEXT, TEST_PAGE_KEYS } from '../testing/reports'
import { createReportEstimator } from './createReportEstimator'
import { pageKeyListId } from './pageKeyListId'

const DAY = '2026-11-29'
const QUERY = { from: '2026-11-01', to: '2026-11-30', epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS } }
const FORGED = 1000
const HONEST = 20_000

interface Cell {
  value: number | null
  forgedBound: number | null
}

/** Every estimate of two insights documents, paired by where it sits. */
function pairs(before: unknown, after: unknown, path = '', out: [string, Cell, Cell][] = []): [string, Cell, Cell][] {
  if (before && typeof before === 'object' && 'forgedBound' in before) {
    out.push([path, before as Cell, after as Cell])
    return out
  }
  if (before && typeof before === 'object') {
    for (const [key, value] of Object.entries(before)) pairs(value, (after as Record<string, unknown>)?.[key], `${path}.${key}`, out)
  }
  return out
}

/** Checks that no estimate moved by more than its documented bound for FORGED forged reports. */
function expectWithinBounds(before: unknown, after: unknown) {
  let checked = 0
  for (const [path, b, a] of pairs(before, after)) {
    if (b.value === null || a.value === null || b.forgedBound === null) continue
    const moved = Math.abs(a.value - b.value)
    if (moved > b.forgedBound * (1 + 1e-9) + 1e-12) throw new Error(`${path} moved ${moved}, bound ${b.forgedBound}`)
    checked++
  }
  return checked
}

const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS, forgedReports: FORGED })
const rowsOf = (bodies: string[]): SumRow[] =>
  addUp(estimator, bodies.map((body) => {
    const report = estimator.parse(body) as ParsedReport
    return { report, group: estimator.groupOf(report) }
  }))

describe('1,000 forged reports', () => {
  const honest = rowsOf(reportBodies(HONEST, { day: DAY, seed: 21 }))
  const before = estimator.insights(honest, QUERY)
  const strategies = forgedStrategies(TEST_CONTEXT, DAY, 2, 'product/mug')

  it.each(Object.keys(strategies))('%s: each estimate moves by no more than its bound', (name) => {
    const forged = strategies[name]!(FORGED)
    const after = estimator.insights([...honest, ...rowsOf(forged)], QUERY)
    expect(after.reports).toBe(HONEST + FORGED)
    expect(expectWithinBounds(before.insights, after.insights)).toBeGreaterThan(20)
  })

  it('the attacks do move estimates (the check is not vacuous)', () => {
    const forged = strategies['every report claims segment 1']!(FORGED)
    const after = estimator.insights([...honest, ...rowsOf(forged)], QUERY) as any
    const share = (d: any) => d.insights.segments.find((s: any) => s.leaf === 0).share.value
    expect(share(after) - share(before)).toBeGreaterThan(0.05)
  })
})

describe.each(DATABASE_TARGETS)('forged reports through ingest and storage on $name', (target) => {
  it('a mix of every attack stays within the bounds', async () => {
    const db = await target.open()
    try {
      await migrate(db)
      const ingest = createIngest(db, estimator, { now: () => Date.parse('2026-11-30T12:00:00Z') })
      const honestBodies = reportBodies(HONEST, { day: DAY, seed: 21 })
      await Promise.all(honestBodies.map((body, i) => ingest.submit(`h${i}`, body)))
      await ingest.flush()
      const stored = await readSums(db, QUERY.from, QUERY.to)
      const base = estimator.insights(stored, QUERY)
      expect(base.reports).toBe(HONEST)
      const attacks = Object.values(forgedStrategies(TEST_CONTEXT, DAY, 2, 'product/mug'))
      const forged = attacks.flatMap((attack) => attack(Math.ceil(FORGED / attacks.length))).slice(0, FORGED)
      const outcomes = await Promise.all(forged.map((body, i) => ingest.submit(`f${i}`, body)))
      expect(outcomes.every((o) => o.status === 202)).toBe(true)
      await ingest.flush()
      const after = estimator.insights(await readSums(db, QUERY.from, QUERY.to), QUERY)
      expect(after.reports).toBe(HONEST + FORGED)
      expect(expectWithinBounds(base.insights, after.insights)).toBeGreaterThan(20)
    } finally {
      await db.close()
    }
  }, 400_000)
})
