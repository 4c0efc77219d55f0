import * as tf from '@tensorflow/tfjs'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { heldOutCheck } from '../collector/learn/heldOutCheck'
import { MIN_HELD_OUT_SHARE, MIN_TRAINING_ANSWERS } from '../collector/learn/retrain'
import { sessionVector } from '../src/features/vectors'
import { PACK_FORMAT_VERSION, type ModelPack } from '../src/pack/types'
import { SESSION_FEATURE_SPEC_VERSION } from '../src/features/featureNames'
import { encodeReport } from '../src/reports/encodeReport'
import { addReport, createInsightSums } from '../src/reports/estimate'
import { correctIntentLogit, type IntentCorrection } from '../src/reports/learn/correction'
import { fitIntentCorrection } from '../src/reports/learn/fitIntentCorrection'
import { estimateLearnTables, type LearnSums, type LearnTableEstimate } from '../src/reports/learn/learnSums'
import { learnCode } from '../src/reports/learn/learnCode'
import { learnTableIndexes } from '../src/reports/learn/learnTableIndexes'
import { LEARN_TABLES } from '../src/reports/learn/schema'
import type { LearnTruth } from '../src/reports/learn/types'
import { olhParams } from '../src/reports/mechanisms/olh'
import { parseReport } from '../src/reports/parseReport'
import type { ReportContext, ReportTruth } from '../src/reports/types'
import { PROJECT_ROOT, readDataFile } from '../training/data'
import { runPack } from '../training/evaluatePack'
import { parseShoppers, rowToAggregate, type ShoppersRow } from '../training/loadShoppers'
import { rocAuc } from '../training/metrics'
import { DEFAULT_SEED, SESSION_CONFIG } from '../training/packConfig'
import { sessionPackInput } from '../training/packInputs'
import { buildPackQuietly } from './buildPackQuietly'
import { seededRandom } from './seededRandom'

/** Months of the prior's training data (January–October, 0-based) and of the shop's new shoppers. */
export const PRIOR_MONTHS_BEFORE = 10

/**
 * The training tables the drift shop publishes (`retrain --learn-tables product_pages,month`): its sessions
 * have no cart events, so the funnel tables would only take answers from the others.
 */
export const DRIFT_LEARN_TABLES = 'product_pages,month'

/** One November–December session with what the prior pack says about it. */
export interface DriftSession {
  index: number
  ordered: boolean
  /** Whether the session had page statistics (every UCI row has). */
  learn: LearnTruth
}

export interface DriftResult {
  model: 'prior' | 'private' | 'central'
  scale: number | null
  devices: number | null
  epsilon: number | null
  aucWithStats: number
  aucWithoutStats: number
  /** Training answers the refit used (private runs; the median run's). */
  answers?: number
  /** Private runs: the lowest and highest AUCs over the repetitions (the figures above are medians). */
  range?: { aucWithStats: [number, number]; aucWithoutStats: [number, number] }
  repetitions?: number
  /** Private runs: in how many `retrain` kept the prior (fewer answers than it fits from, or a worse candidate). */
  kept?: number
  seconds?: number
}

const logit = (p: number) => Math.log(Math.max(1e-7, p) / Math.max(1e-7, 1 - p))

/**
 * The prior pack: the shipped trainer on January–October sessions (every row of those months). Cached in
 * `.build/sim-cache/` by the data file's sha256 and the seed, since it takes minutes to train.
 */
export function priorPack(file: string, log: (line: string) => void, fresh = false): ModelPack {
  const data = readDataFile(file)
  const cacheDir = join(PROJECT_ROOT, '.build', 'sim-cache')
  const cached = join(cacheDir, `drift-prior-${data.sha256.slice(0, 16)}-${DEFAULT_SEED}-${PACK_FORMAT_VERSION}-${SESSION_FEATURE_SPEC_VERSION}.json`)
  if (!fresh && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as ModelPack
  log('  training the prior pack on January–October sessions (cached afterwards)…')
  const rows = parseShoppers(data.text)
  const early = rows.filter((r) => r.month < PRIOR_MONTHS_BEFORE)
  const late = rows.filter((r) => r.month >= PRIOR_MONTHS_BEFORE)
  const input = sessionPackInput(
    early.map((r) => rowToAggregate(r)), early.map((r) => (r.revenue ? 1 : 0)),
    late.map((r) => rowToAggregate(r)), late.map((r) => (r.revenue ? 1 : 0)),
    { dataset: 'UCI Online Shoppers, January–October', sha256: data.sha256, rows: early.length, split: 'train = January–October; test = November–December', seed: DEFAULT_SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)` },
    SESSION_CONFIG, 'public',
  )
  const pack = buildPackQuietly(input)
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(cached, JSON.stringify(pack))
  return pack
}

/** November–December sessions scored by the prior (with and without page statistics). */
export function driftSessions(rows: readonly ShoppersRow[], prior: ModelPack): DriftSession[] {
  const late = rows.filter((r) => r.month >= PRIOR_MONTHS_BEFORE)
  const learn = learnTruths(late, prior)
  return late.map((r, i) => ({ index: r.index, ordered: r.revenue, learn: learn[i] }))
}

/**
 * What a browser running `pack` would answer the training question with about each row's session: the pack's
 * intent logit with and without the session's page statistics, and the session's values the tables read.
 */
export function learnTruths(rows: readonly ShoppersRow[], pack: ModelPack): LearnTruth[] {
  const aggregates = rows.map((r) => rowToAggregate(r))
  const raws = aggregates.map((a) => sessionVector(a))
  const masked = rows.map((r) => sessionVector({ ...rowToAggregate(r), stats: null }))
  const withStats = runPack(pack, raws).outputs.get('intent')!
  const withoutStats = runPack(pack, masked).outputs.get('intent')!
  return rows.map((_, i) => ({
    logitWithStats: logit(withStats[i]), logitWithoutStats: logit(withoutStats[i]),
    session: { productPages: aggregates[i].productPages, administrativeSeconds: aggregates[i].administrativeSeconds, month: aggregates[i].month },
  }))
}

/** Test ROC AUC of a correction (identity = the prior) with and without page statistics. */
export function evaluateCorrection(test: readonly DriftSession[], correction: IntentCorrection): { aucWithStats: number; aucWithoutStats: number } {
  const y = test.map((s) => (s.ordered ? 1 : 0))
  const withStats = test.map((s) => correctIntentLogit(correction, s.learn.logitWithStats!, 'withStats', s.learn.session))
  const withoutStats = test.map((s) => correctIntentLogit(correction, s.learn.logitWithoutStats, 'withoutStats', s.learn.session))
  return { aucWithStats: rocAuc(withStats, y), aucWithoutStats: rocAuc(withoutStats, y) }
}

/**
 * The tables without privacy: every session counted exactly in every table the shop lists (`learnTables`,
 * ids; absent, every table), the others left without answers as the collector's would be (the upper bound).
 */
export function exactTables(sessions: readonly DriftSession[], learnTables?: readonly string[]): LearnTableEstimate[] {
  const listed = learnTableIndexes(learnTables) ?? []
  return LEARN_TABLES.map((table, t) => {
    const counts = new Array<number>(table.cells).fill(0)
    if (!listed.includes(t)) return { table, n: 0, counts, variance: 0 }
    for (const s of sessions) {
      const code = learnCode(s.learn, s.ordered, t)
      if (code < table.cells) counts[code]++
    }
    return { table, n: sessions.length, counts, variance: 0 }
  })
}

/**
 * Every training session reports `scale` times, each report made by the SDK's `encodeReport` (the training
 * question drawn with probability `learnShare`, its table from the shop's `learnTables`), sent as JSON, read
 * by `parseReport` and added by the collector's `addReport`; the tables are the collector's estimates. The
 * devices report on alternate days (copy `c` of session `i` on a day of parity (c + i) mod 2), so that the
 * collector's held-out check has its fit days and its check days (`days`: the sums of each).
 */
export function privateTables(
  sessions: readonly DriftSession[],
  options: { scale: number; epsilon: number; seed: number; learnShare: number; learnTables?: readonly string[] },
): { tables: LearnTableEstimate[]; answers: number; days: { fit: LearnSums; check: LearnSums } } {
  const listed = learnTableIndexes(options.learnTables)
  if (!listed) throw new Error(`unknown training tables: ${options.learnTables!.join(', ')}`)
  const context: ReportContext = { packId: 'session@drift-prior', segmentLeaves: 4, valueLeaves: 4, learnTables: listed }
  const days = [createInsightSums(context, options.epsilon), createInsightSums(context, options.epsilon)]
  const random = seededRandom(options.seed)
  for (let copy = 0; copy < options.scale; copy++) {
    sessions.forEach((s, i) => {
      const truth: ReportTruth = { segmentLeaf: null, valueSegment: null, ordered: s.ordered, orderValueBucket: 0, arm: 'none', pages: [], learn: s.learn }
      const body = encodeReport(truth, context, { epsilon: options.epsilon, day: '2026-11-30', random, learnShare: options.learnShare })
      addReport(days[(copy + i) % 2], parseReport(JSON.stringify(body)))
    })
  }
  const [fit, check] = days.map((d) => d.learn)
  const all: LearnSums = { n: fit.n + check.n, counts: fit.counts.map((c, i) => c + check.counts[i]) }
  return { tables: estimateLearnTables(all, olhParams(options.epsilon)), answers: all.n, days: { fit, check } }
}

/** Loads the data and runs every model of the drift scenario. */
export function simulateDrift(
  file: string,
  options: {
    scales: number[]; epsilon: number; seed: number; learnShare: number; repetitions: number
    /** The training tables the shop lists (ids; absent, every table). */
    learnTables?: readonly string[]
    /**
     * Whether each private run decides as `retrain` does: the prior stands while the answers are fewer than
     * `MIN_TRAINING_ANSWERS`, or when the held-out check (`heldOutCheck`) finds the candidate worse.
     * @default true
     */
    check?: boolean
    fresh?: boolean; log: (line: string) => void
  },
): DriftResult[] {
  const prior = priorPack(file, options.log, options.fresh)
  const rows = parseShoppers(readDataFile(file).text)
  const sessions = driftSessions(rows, prior)
  const train = sessions.filter((s) => s.index % 2 === 0)
  const test = sessions.filter((s) => s.index % 2 === 1)
  options.log(`  November–December: ${train.length} reporting sessions (even row index), ${test.length} test sessions (odd)`)
  const results: DriftResult[] = []
  const identity = fitIntentCorrection([])
  results.push({ model: 'prior', scale: null, devices: null, epsilon: null, ...evaluateCorrection(test, identity) })
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]
  for (const scale of options.scales) {
    const started = Date.now()
    const runs: Array<{ aucWithStats: number; aucWithoutStats: number; answers: number; kept: boolean }> = []
    for (let r = 0; r < options.repetitions; r++) {
      const { tables, answers, days } = privateTables(train, { scale, epsilon: options.epsilon, seed: options.seed * 1_000_003 + scale * 7919 + r, learnShare: options.learnShare, learnTables: options.learnTables })
      // As `retrain` does: below its fewest answers (or a quarter of them on the check days) it waits, and a candidate fitted on the fit days that scores
      // worse on the check days than the pack in use (the prior) is not published; the prior stands.
      const kept = options.check !== false && (answers < MIN_TRAINING_ANSWERS || days.check.n < Math.ceil(MIN_TRAINING_ANSWERS * MIN_HELD_OUT_SHARE) || !heldOutCheck(days.fit, days.check, identity, olhParams(options.epsilon)).accepted)
      runs.push({ ...evaluateCorrection(test, kept ? identity : fitIntentCorrection(tables)), answers, kept })
    }
    const withStats = runs.map((x) => x.aucWithStats)
    const withoutStats = runs.map((x) => x.aucWithoutStats)
    results.push({
      model: 'private', scale, devices: train.length * scale, epsilon: options.epsilon,
      aucWithStats: median(withStats), aucWithoutStats: median(withoutStats), answers: median(runs.map((x) => x.answers)),
      range: { aucWithStats: [Math.min(...withStats), Math.max(...withStats)], aucWithoutStats: [Math.min(...withoutStats), Math.max(...withoutStats)] },
      repetitions: options.repetitions, ...(options.check === false ? {} : { kept: runs.filter((x) => x.kept).length }), seconds: (Date.now() - started) / 1000,
    })
    options.log(`  ×${scale}: ${options.repetitions} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }
  results.push({ model: 'central', scale: 1, devices: train.length, epsilon: null, ...evaluateCorrection(test, fitIntentCorrection(exactTables(train, options.learnTables))) })
  return results
}
