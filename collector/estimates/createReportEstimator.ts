import { addReport, createInsightSums, estimateInsights, type InsightSums, type Insights } from '../../src/reports/estimate'
import { parseReport } from '../../src/reports/parseReport'
import type { ParsedReport } from '../../src/reports/types'
import type { PackContext } from '../ingest/createIngest'
import { addDays } from '../lib/addDays'
import { compareIds } from '../lib/compareIds'
import type { ReportGroup, SumRow } from '../storage/types'
import { sumsParts } from './sumsShape'
import { chooseValuePages, DEFAULT_VALUE_PAGES } from './chooseValuePages'
import { cellsToSums } from './cellsToSums'
import { countersToSums } from './countersToSums'
import { packLeafIds, packLeafNames } from './packLeafNames'
import { projectPageRates } from './projectPageRates'
import { projectTraffic } from './projectTraffic'
import { REPORTS_COUNTER, sumsToCounters } from './sumsToCounters'
import { toJsonSafe } from './toJsonSafe'
import type { Estimator, InsightsDocument, InsightsQuery, PageStatsRow } from './types'

/** Options of `createReportEstimator`. */
export interface ReportEstimatorOptions {
  /**
   * Candidate page keys page answers are decoded against (the keys the shop's pages declare).
   * @default []
   */
  pageKeys?: readonly string[]
  /**
   * How many of the most viewed candidate pages the page-value question asks about (the table's `valuePages`).
   * @default DEFAULT_VALUE_PAGES (24)
   */
  valuePages?: number
  /**
   * Fewest reports of a question before its cells are shown.
   * @default DEFAULT_MIN_REPORTS of the report module (100)
   */
  minReports?: number
  /**
   * Fewest estimated sessions or views behind a rate before it is shown.
   * @default DEFAULT_MIN_COUNT of the report module (20)
   */
  minCount?: number
  /**
   * How many forged reports each estimate's `forgedBound` is computed for.
   * @default 1
   */
  forgedReports?: number
  /**
   * Model packs (parsed JSON) whose segment-leaf names the insights carry, matched by the pack id of the
   * reports (`session@1.0.0+lifetime@1.0.0`).
   * @default []
   */
  packs?: readonly unknown[]
}

type GroupKey = string
const groupKey = (g: Omit<ReportGroup, 'day'>): GroupKey => JSON.stringify([g.packId, g.epsilon, g.segmentLeaves, g.valueLeaves])

/**
 * The estimates stage over the report module's own parser, sums and estimators: it only moves sums between
 * their stored form (counters per day) and the module's `InsightSums`, and lays the estimates out for the
 * insights document and the page-statistics table. Pure: no database or HTTP object reaches it.
 *
 * @example
 * const estimator = createReportEstimator({ pageKeys: ['home', 'product/mug'] })
 * const document = estimator.insights(await readSums(db, from, to), { from, to, epsilon: 2 })
 */
export function createReportEstimator(options: ReportEstimatorOptions = {}): Estimator<ParsedReport> {
  const pageKeys = [...(options.pageKeys ?? [])]
  const valuePageCount = options.valuePages ?? DEFAULT_VALUE_PAGES
  const ownLeaves = { name: packLeafNames(options.packs ?? []), id: packLeafIds(options.packs ?? []) }
  /**
   * Names (or ids) of the session and value-segment leaves of a report pack id, null where the pack is not known: from
   * the estimator's packs and the query's (those published while the collector runs), the latter first.
   */
  const namesOf = (packId: string, leaves: number, part: 0 | 1, queryPacks: readonly unknown[] = [], field: 'name' | 'id' = 'name') => {
    const published = (field === 'name' ? packLeafNames : packLeafIds)(queryPacks)
    // `session@<v>[+rYYYYMMDD]+lifetime@<v>`: a retrained session pack's version has a `+` of its own.
    const at = packId.lastIndexOf('+lifetime@')
    const id = at < 0 ? packId.split('+')[part] ?? '' : part === 0 ? packId.slice(0, at) : packId.slice(at + 1)
    // A retrain keeps the segment tree: a retrained pack the collector was not given has its network's names.
    const lookUp = (key: string | undefined) => (key === undefined ? undefined : published.get(key) ?? ownLeaves[field].get(key))
    const names = lookUp(id) ?? lookUp(id.split('+')[0])
    return names && names.length === leaves ? names : null
  }
  const estimateOptions = { minReports: options.minReports, minCount: options.minCount, forgedReports: options.forgedReports ?? 1 }
  // Checks the candidate list once (length, duplicates, two keys sharing a hash) with the module's own rules.
  createInsightSums({ packId: 'check', segmentLeaves: 1, valueLeaves: 1 }, 1, pageKeys)

  /**
   * The rows of the main group at ε: the known pack (shipped, published, listed) with the most reports (a shop rolls
   * packs out gradually; of two with as many, the one published last, then the greatest pack id, its versions read
   * as numbers); a pack id none
   * lists only while no known pack has reports, or a flood of reports under a made-up pack id (the rate limit lets
   * each address send 60 a minute) would replace a small shop's estimates.
   */
  const mainGroup = (rows: readonly SumRow[], epsilon: number, knownPacks: readonly PackContext[] = []) => {
    const groups = new Map<GroupKey, { group: Omit<ReportGroup, 'day'>; rows: SumRow[]; reports: number }>()
    for (const row of rows) {
      const key = groupKey(row)
      let entry = groups.get(key)
      if (!entry) {
        const { packId, epsilon: eps, segmentLeaves, valueLeaves } = row
        groups.set(key, (entry = { group: { packId, epsilon: eps, segmentLeaves, valueLeaves }, rows: [], reports: 0 }))
      }
      entry.rows.push(row)
      if (row.counter === REPORTS_COUNTER) entry.reports += row.value
    }
    // The pack id with its leaf counts: reports under a known pack id with other leaf counts are no browser's.
    // By its last place in `knownPacks`: the shipped packs first, the published ones after, the manifest's last.
    const known = new Map(knownPacks.map((p, i) => [groupKey({ ...p, epsilon }), i]))
    // As many reports: the known pack listed last (the one the shop published most recently: a pack trained on its own
    // data, `1.0.0-<hash>`, over the shipped `1.0.0` it replaces), then the greatest pack id, its versions read as
    // numbers (`1.0.10` after `1.0.9`; a retrain's `+r<day>` after the pack it retrains, a later retrain after an
    // earlier one), not whichever the database returned first, which can change between estimates.
    const byId = (a: GroupKey, b: GroupKey) => compareIds(b, a)
    const place = (g: { group: Omit<ReportGroup, 'day'> }) => known.get(groupKey(g.group)) ?? -1
    const all = [...groups.values()].sort((a, b) => b.reports - a.reports || place(b) - place(a) || byId(a.group.packId, b.group.packId) || byId(groupKey(a.group), groupKey(b.group)))
    const main = all.find((g) => g.group.epsilon === epsilon && g.reports > 0 && known.has(groupKey(g.group))) ?? all.find((g) => g.group.epsilon === epsilon)
    // A known pack at ε: the figures move to it once it has the most reports (the dashboard says so).
    const candidate = (g: (typeof all)[number]) => g.group.epsilon === epsilon && known.has(groupKey(g.group))
    const rest = all.filter((g) => g !== main)
    return { main, others: rest.map((g) => ({ ...g.group, reports: g.reports, known: candidate(g) })), candidates: rest.filter((g) => candidate(g) && g.reports > 0) }
  }

  const estimate = (group: Omit<ReportGroup, 'day'>, rows: readonly SumRow[], keys: readonly string[], query: InsightsQuery) => {
    const { sums, partial } = countersToSums(group, rows, keys, query.pageKeyLists)
    return { insights: estimateInsights(sums, estimateOptions), partial, sums }
  }

  const insights = (rows: readonly SumRow[], query: InsightsQuery): InsightsDocument => {
    const { main, others, candidates } = mainGroup(rows, query.epsilon, query.knownPacks)
    const base = { format: 'seglet-insights' as const, version: 1 as const, from: query.from, to: query.to, epsilon: query.epsilon, pageKeys: pageKeys.length }
    if (!main) {
      // Before any views are estimated the table lists the first candidates for page value, as pageStats() writes.
      const valuePages = pageKeys.slice(0, valuePageCount)
      return { ...base, reports: 0, context: null, insights: null, valuePages, daily: [], sevenDays: [], traffic: [], otherGroups: others, partialPageKeys: [] }
    }
    const { insights: all, partial } = estimate(main.group, main.rows, pageKeys, query)
    const daily: { day: string; reports: number; otherPackReports: number; segments: Insights['segments'] }[] = []
    // The rows of each day, gathered in one pass: filtering them for each day of a long window took minutes.
    const byDay = new Map<string, SumRow[]>()
    for (const row of main.rows) {
      const list = byDay.get(row.day)
      if (list) list.push(row)
      else byDay.set(row.day, [row])
    }
    // Each day's reports of the other known packs at ε (a retrained pack browsers moved to): not in that day's shares.
    const otherByDay = new Map<string, number>()
    for (const g of candidates) for (const row of g.rows) if (row.counter === REPORTS_COUNTER) otherByDay.set(row.day, (otherByDay.get(row.day) ?? 0) + row.value)
    for (let day = query.from; day <= query.to; day = addDays(day, 1)) {
      const dayRows = byDay.get(day) ?? []
      const reports = dayRows.find((r) => r.counter === REPORTS_COUNTER)?.value ?? 0
      daily.push({ day, reports, otherPackReports: otherByDay.get(day) ?? 0, segments: reports > 0 ? estimate(main.group, dayRows, [], query).insights.segments : [] })
    }
    // Rolling 7-day periods, one ending on each day of the window from its 7th on: a small shop's single days are
    // too few reports for a segment's share, a week of them often is. Each pools the period's counters and
    // estimates them as one sample (never an average of daily estimates), so its interval is that of the period.
    // The period's counters slide with it, the day entering added and the day leaving taken away: counters are
    // whole counts, so the sums are those of the 7 days added anew, in time linear in the window's days.
    const sevenDays: { from: string; to: string; reports: number; otherPackReports: number; segments: Insights['segments'] }[] = []
    const periodCells = new Map<string, number>()
    const slide = (day: string, sign: 1 | -1) => {
      for (const row of byDay.get(day) ?? []) {
        const value = (periodCells.get(row.counter) ?? 0) + sign * row.value
        if (value === 0) periodCells.delete(row.counter)
        else periodCells.set(row.counter, value)
      }
    }
    for (let i = 0; i < daily.length; i++) {
      slide(daily[i]!.day, 1)
      if (i >= PERIOD_DAYS) slide(daily[i - PERIOD_DAYS]!.day, -1)
      if (i < PERIOD_DAYS - 1) continue
      const days = daily.slice(i - PERIOD_DAYS + 1, i + 1)
      const reports = days.reduce((sum, d) => sum + d.reports, 0)
      sevenDays.push({
        from: days[0]!.day,
        to: days[days.length - 1]!.day,
        reports,
        otherPackReports: days.reduce((sum, d) => sum + d.otherPackReports, 0),
        segments: reports > 0 ? estimateInsights(cellsToSums(main.group, periodCells, [], query.pageKeyLists).sums, estimateOptions).segments : [],
      })
    }
    const published = all.pages.filter((p) => p.published)
    const traffic = [
      projectTraffic('segment shares within ±1 point', ['segment'], all.segments.map((s) => s.share), all.reports, 0.01),
      projectTraffic('conversion by segment within ±5 points', ['outcome'], all.segments.map((s) => s.conversion), all.reports, 0.05),
      projectTraffic('lift against the holdout within ±5 points', ['arm'], [all.lift.difference], all.reports, 0.05),
      projectPageRates(all.pages, all.reports),
    ]
    return toJsonSafe({
      ...base,
      reports: all.reports,
      context: main.group,
      segmentNames: namesOf(main.group.packId, main.group.segmentLeaves, 0, query.packs),
      valueNames: namesOf(main.group.packId, main.group.valueLeaves, 1, query.packs),
      // The ids the shop's pages use for the same leaves (`onSegment`, `data-seglet-show`, the `<html>` classes).
      segmentIds: namesOf(main.group.packId, main.group.segmentLeaves, 0, query.packs, 'id'),
      valueIds: namesOf(main.group.packId, main.group.valueLeaves, 1, query.packs, 'id'),
      insights: all,
      publishedPages: published.length,
      valuePages: chooseValuePages(all.pages, valuePageCount),
      daily,
      sevenDays,
      traffic,
      otherGroups: others,
      partialPageKeys: partial,
    })
  }

  return {
    pageKeys,
    // The page questions: the daily series only estimates segments, from the finite questions and the report count.
    // And the training question's counts (`["learn",0]`…, hundreds a day), which only retrain decodes: its answer
    // count, `["learn","n"]`, stays day by day, for the days a retrain fits and checks on (`trainingStatus`).
    windowCounters: [
      ...sumsParts(createInsightSums({ packId: 'check', segmentLeaves: 1, valueLeaves: 1 }, 1, [])).pages.map(([q]) => `${JSON.stringify([q]).slice(0, -1)},`),
      ...Array.from({ length: 10 }, (_, digit) => `${JSON.stringify(['learn', digit]).slice(0, -1)}`),
    ],
    parse: (body) => parseReport(body),
    groupOf: (r) => ({ day: r.day, packId: r.packId, epsilon: r.epsilon, segmentLeaves: r.segmentLeaves, valueLeaves: r.valueLeaves }),
    counted: REPORTS_COUNTER,
    addUp(group, reports) {
      const sums: InsightSums = createInsightSums(group, group.epsilon, pageKeys)
      for (const report of reports) addReport(sums, report)
      return sumsToCounters(sums)
    },
    insights,
    pageStats(rows, query) {
      const { main } = mainGroup(rows, query.epsilon, query.knownPacks)
      if (!main) return { epsilon: query.epsilon, reports: 0, pages: {}, valuePages: pageKeys.slice(0, valuePageCount) }
      const { insights: all } = estimate(main.group, main.rows, pageKeys, query)
      const pages: Record<string, PageStatsRow> = {}
      // A page's value is published as soon as it is shown, without waiting for its rates, which need about ten
      // times the traffic: browsers count a session's statistics only with a page value and read rates they lack
      // as 0, as the shipped session network does best (README, "Page statistics"). The rates and the views
      // behind them come with the page's rates.
      for (const page of all.pages) {
        if (!page.published) continue
        const rates = page.ratesPublished
        pages[page.key] = {
          ...(rates ? { bounceRate: round(clamp01(page.bounceRate.value), 4), exitRate: round(clamp01(page.exitRate.value), 4) } : {}),
          ...(page.pageValue.enough ? { pageValue: round(Math.max(0, page.pageValue.value), 2) } : {}),
          ...(rates ? { views: Math.max(0, Math.round(page.viewsPerSession.value * all.reports)) } : {}),
        }
      }
      return { epsilon: query.epsilon, reports: all.reports, pages, valuePages: chooseValuePages(all.pages, valuePageCount) }
    },
  }
}

/** The days a rolling period of the insights document's `sevenDays` spans. */
const PERIOD_DAYS = 7
const clamp01 = (x: number) => Math.min(1, Math.max(0, x))
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits
