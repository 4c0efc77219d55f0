import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { computeFeatures } from '../src/features/computeFeatures'
import type { SessionAggregate } from '../src/features/types'
import { sessionVector } from '../src/features/vectors'
import { validateEvent } from '../src/events/validateEvent'
import { correctedIntent } from '../src/model/correctedIntent'
import type { ModelPack } from '../src/pack/types'
import { encodeReport } from '../src/reports/encodeReport'
import { fitIntentCorrection } from '../src/reports/learn/fitIntentCorrection'
import { learnCode } from '../src/reports/learn/learnCode'
import { LEARN_TABLES } from '../src/reports/learn/schema'
import type { LearnTruth } from '../src/reports/learn/types'
import type { ReportContext, ReportTruth } from '../src/reports/types'
import { createReportEstimator } from '../collector/estimates/createReportEstimator'
import { createIngest } from '../collector/ingest/createIngest'
import { retrain, type RetrainResult } from '../collector/learn/retrain'
import { migrate } from '../collector/storage/migrate'
import { openDatabase } from '../collector/storage/openDatabase'
import { PROJECT_ROOT } from '../training/data'
import { runPack } from '../training/evaluatePack'
import { rocAuc } from '../training/metrics'
import type { PackConfig } from '../training/packConfig'
import { createRng } from '../training/rng'
import { centralPack } from './funnelCentral'
import { funnelSession } from './funnelPopulation'
import { seededRandom } from './seededRandom'

/** One simulated session, folded by the SDK's feature code and scored by the prior pack. */
export interface ScoredSession {
  ordered: boolean
  aggregate: SessionAggregate
  /** What the device knows for the training question (the prior's logit and the session's values). */
  learn: LearnTruth
  /** The prior pack's intent probability. */
  prior: number
}

export interface FunnelResult {
  model: 'prior' | 'private' | 'central'
  devices: number | null
  epsilon: number | null
  auc: number
  /** Training answers the retrain fitted (private runs). */
  answers?: number
  seconds?: number
}

/** Days the simulated reports are spread over (the retrain's held-out check alternates days). */
export const FUNNEL_DAYS = 6

const logit = (p: number) => Math.log(Math.max(1e-7, p) / Math.max(1e-7, 1 - p))

/** The shipped session pack: public data only, so it reads no cart feature (the shop had no cart data). */
export function shippedSessionPack(): ModelPack {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'src', 'models', 'session.json'), 'utf8')) as ModelPack
}

/**
 * Sessions `from .. from + count - 1` of the population (seeded per session): each replayed as events
 * through `validateEvent` and `computeFeatures`, the device's last decision of the session, and scored by
 * `prior` as the browser scores it.
 */
export function scoredSessions(prior: ModelPack, from: number, count: number, seed: number): ScoredSession[] {
  const out: ScoredSession[] = []
  const raws: number[][] = []
  for (let i = from; i < from + count; i++) {
    const { events, ordered, end } = funnelSession(createRng(seed * 1_000_003 + i), i)
    for (const e of events) validateEvent(e)
    const { session, sessionRaw } = computeFeatures(events, end)
    raws.push(sessionRaw)
    out.push({ ordered, aggregate: session, prior: 0, learn: { logitWithStats: null, logitWithoutStats: 0, session: learnSession(session) } })
  }
  const intent = runPack(prior, raws).outputs.get('intent')!
  out.forEach((s, i) => {
    s.prior = intent[i]
    s.learn.logitWithoutStats = logit(intent[i])
  })
  return out
}

function learnSession(s: SessionAggregate): LearnTruth['session'] {
  return { productPages: s.productPages, administrativeSeconds: s.administrativeSeconds, month: s.month, productsAdded: s.productsAdded, checkoutReached: s.checkoutReached }
}

/** Intent AUC of a pack (with its correction, as the browser applies it) on scored sessions. */
export function packAuc(pack: ModelPack, sessions: readonly ScoredSession[]): number {
  return rocAuc(sessions.map((s) => correctedIntent(pack, s.prior, s.aggregate)), sessions.map((s) => (s.ordered ? 1 : 0)))
}

/**
 * Private training as a shop runs it: every device reports once (a day drawn among `FUNNEL_DAYS`) through
 * the SDK's `encodeReport` at `epsilon`, the collector's ingest stores the bodies in an embedded database,
 * and the collector's `retrain` fits, checks on held-out days and writes the updated pack (with `writePack`, where
 * and how a shop would: `retrainedPackWriter` signs and publishes it).
 */
export async function privateRetrain(
  prior: ModelPack, devices: readonly ScoredSession[],
  options: { epsilon: number; seed: number; learnShare: number; now: number; writePack?: (text: string, pack: ModelPack) => Promise<string> },
): Promise<RetrainResult> {
  const context: ReportContext = { packId: `session@${prior.version}+lifetime@1.0.0`, segmentLeaves: 4, valueLeaves: 4 }
  const db = await openDatabase('memory:')
  try {
    await migrate(db)
    const ingest = createIngest(db, createReportEstimator(), { now: () => options.now, rawRetentionDays: 0, maxDelayMs: 20 })
    const random = seededRandom(options.seed)
    const rng = createRng(options.seed)
    const today = new Date(options.now)
    const days = Array.from({ length: FUNNEL_DAYS }, (_, d) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - d)).toISOString().slice(0, 10))
    const pending: Promise<unknown>[] = []
    devices.forEach((s, i) => {
      const truth: ReportTruth = { segmentLeaf: null, valueSegment: null, ordered: s.ordered, orderValueBucket: 0, arm: 'none', pages: [], learn: s.learn }
      const day = days[Math.floor(rng() * days.length)]
      const body = encodeReport(truth, context, { epsilon: options.epsilon, day, random, learnShare: options.learnShare })
      pending.push(ingest.submit(`device-${i}`, JSON.stringify(body)))
    })
    const outcomes = (await Promise.all(pending)) as Array<{ code: string }>
    const refused = outcomes.filter((o) => o.code !== 'accepted').length
    if (refused > 0) throw new Error(`the collector refused ${refused} simulated reports`)
    await ingest.flush()
    return await retrain(db, { pack: prior, epsilon: options.epsilon, minAnswers: 1, now: options.now, writePack: options.writePack ?? (async () => 'memory') })
  } finally {
    await db.close()
  }
}

/** The training question without privacy: every device's cell counted exactly (the scheme's upper bound). */
export function exactCorrectionPack(prior: ModelPack, devices: readonly ScoredSession[]): ModelPack {
  const tables = LEARN_TABLES.map((table, t) => {
    const counts = new Array<number>(table.cells).fill(0)
    for (const s of devices) {
      const code = learnCode(s.learn, s.ordered, t)
      if (code < table.cells) counts[code]++
    }
    return { table, n: devices.length, counts, variance: 0 }
  })
  return { ...prior, intentCorrection: fitIntentCorrection(tables) }
}

/** Options of {@link simulateFunnel}. */
export interface SimulateFunnelOptions {
  devices: number
  test: number
  epsilon: number
  learnShare: number
  seed: number
  /** Skip the central network (it takes minutes). */
  central: boolean
  centralConfig: Partial<PackConfig>
  now: number
  log: (line: string) => void
}

/** Runs the funnel scenario: the prior, private training at ε and without privacy, and the central model. */
export async function simulateFunnel(options: SimulateFunnelOptions): Promise<{ results: FunnelResult[]; population: { addToCart: number; checkout: number; ordered: number }; updated: ModelPack; retrain: RetrainResult }> {
  const prior = shippedSessionPack()
  let started = Date.now()
  const devices = scoredSessions(prior, 0, options.devices, options.seed)
  // Held-out sessions: indices after the devices', never reported.
  const test = scoredSessions(prior, options.devices, options.test, options.seed)
  const rate = (list: readonly ScoredSession[], f: (s: ScoredSession) => boolean) => list.filter(f).length / list.length
  const population = {
    addToCart: rate(devices, (s) => s.aggregate.cartReached),
    checkout: rate(devices, (s) => s.aggregate.checkoutReached),
    ordered: rate(devices, (s) => s.ordered),
  }
  options.log(
    `  ${devices.length.toLocaleString('en-US')} devices and ${test.length.toLocaleString('en-US')} held-out sessions replayed and scored in ${((Date.now() - started) / 1000).toFixed(0)} s: ` +
      `${(100 * population.addToCart).toFixed(1)}% add to the cart, ${(100 * population.checkout).toFixed(1)}% reach checkout, ${(100 * population.ordered).toFixed(1)}% order`,
  )
  const results: FunnelResult[] = [{ model: 'prior', devices: null, epsilon: null, auc: packAuc(prior, test) }]
  started = Date.now()
  const retrained = await privateRetrain(prior, devices, options)
  if (retrained.status !== 'published') throw new Error(`retrain did not publish: ${retrained.reason}`)
  results.push({ model: 'private', devices: devices.length, epsilon: options.epsilon, auc: packAuc(retrained.pack, test), answers: retrained.answers, seconds: (Date.now() - started) / 1000 })
  options.log(`  private training: ${retrained.answers.toLocaleString('en-US')} answers, ${retrained.reason} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
  results.push({ model: 'private', devices: devices.length, epsilon: null, auc: packAuc(exactCorrectionPack(prior, devices), test) })
  if (options.central) {
    started = Date.now()
    const central = centralPack(devices, test, options.seed, options.centralConfig, options.log)
    results.push({ model: 'central', devices: devices.length, epsilon: null, auc: rocAuc(runPack(central, test.map((s) => sessionVector(s.aggregate))).outputs.get('intent')!, test.map((s) => (s.ordered ? 1 : 0))), seconds: (Date.now() - started) / 1000 })
    options.log(`  central network trained in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }
  return { results, population, updated: retrained.pack, retrain: retrained }
}
