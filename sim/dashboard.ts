import type { AddressInfo } from 'node:net'
import { chooseValuePages, DEFAULT_VALUE_PAGES } from '../collector/estimates/chooseValuePages'
import { createReportEstimator } from '../collector/estimates/createReportEstimator'
import { packContexts } from '../collector/estimates/packLeafNames'
import { addDays } from '../collector/lib/addDays'
import { utcDay } from '../collector/lib/utcDay'
import { createCollector, DASHBOARD_PATH } from '../collector/server/createCollector'
import { createCollectorServer } from '../collector/server/createCollectorServer'
import { migrate } from '../collector/storage/migrate'
import { openDatabase } from '../collector/storage/openDatabase'
import { MIN_TRAINING_ANSWERS, outcomeWords, retrain, type RetrainResult } from '../collector/learn/retrain'
import type { ModelPack } from '../src/pack/types'
import { learnTruths } from './drift'
import { simulateInsights, simulateReports } from './insights'
import type { Population } from './population'
import type { Shop } from './shop'

/** Options of {@link startDashboard}. */
export interface DashboardPreviewOptions {
  /** Simulated browsers, one report each. */
  devices: number
  /** The ε the browsers report at and the collector takes. */
  epsilon: number
  seed: number
  /** Port on 127.0.0.1; 0 takes a free one. */
  port: number
  /**
   * Share of the browsers' reports that answer the training question instead of an insights question, as pages with
   * `data-learn-share` send them: the dashboard's training section then counts them. @default 0
   */
  learnShare?: number
  /**
   * Fewest training answers a retrain fits from, as `retrain --min-answers` (and the collector's
   * `minTrainingAnswers`, by which the dashboard says whether one would fit). @default MIN_TRAINING_ANSWERS (20,000)
   */
  minAnswers?: number
  /**
   * Once the reports are in, run the collector's own `retrain` on their training answers, from the shipped session
   * pack, and say what it did in the dashboard's banner. It writes no pack: its answers are simulated. @default false
   */
  retrain?: boolean
  /** Called with a line of progress. @default none */
  log?: (line: string) => void
}

/** A collector serving a dashboard filled with simulated reports (see {@link startDashboard}). */
export interface DashboardPreview {
  /** The dashboard's address, on 127.0.0.1. */
  url: string
  /** Reports the collector stored (one per simulated browser unless it refused some). */
  stored: number
  /** Refused reports, by the collector's code; none expected. */
  refused: Record<string, number>
  /** What the retrain did, when `retrain` was asked for. */
  retrain?: RetrainResult
  /** Stops serving, then closes the collector and its in-memory store (everything simulated is gone). */
  stop(): Promise<void>
}

/** Days the simulated reports are spread over: the week ending yesterday, so the daily chart has days to draw. */
const DAYS = 7
/** Reports handed to ingest at once: one batch of its own (`maxBatch`). */
const CHUNK = 5000

/**
 * What the dashboard says above its figures, so that nobody takes them for a shop's, and what the retrain run on
 * them did, once it has run.
 */
export function simulatedNotice(devices: number, retrained?: RetrainResult): string {
  return (
    `Simulated figures: the reports of ${devices.toLocaleString('en-US')} simulated shoppers, not any shop's traffic ` +
    '(npm run simulate -- --scenario dashboard). They are held in memory only, and gone once the simulation stops.' +
    (retrained ? ` ${retrainSaid(retrained)}` : '')
  )
}

/** A retrain of the preview in words, as `npm run collector -- retrain` says its outcome, and that nothing was written. */
export function retrainSaid(result: RetrainResult): string {
  return `A retrain on these simulated answers, from the shipped session pack: ${outcomeWords(result, false)}: ${result.reason}. No pack was written, as the answers are simulated.`
}

/**
 * Starts a collector on an in-memory store (`memory:`, never a folder or a database), listening on 127.0.0.1, and
 * puts into it one report for each of `devices` simulated browsers (the sessions of {@link simulateReports}, their
 * days spread over the last week) through the collector's own ingest, the code a POSTed report is handed to after
 * its HTTP checks: no HTTP, so no rate limit, and each browser is its own client to the replay check. The browsers
 * ask the page-value question about the pages the collector's `chooseValuePages` picks from a day before of the same
 * traffic, as a live shop's page-statistics table would list them. Its dashboard says the figures are simulated.
 *
 * @example
 * const preview = await startDashboard(population, shop, { devices: 20_000, epsilon: 2, seed: 1, port: 8789 })
 * console.log(preview.url) // http://127.0.0.1:8789/seglet/dashboard
 * await preview.stop()
 */
export async function startDashboard(population: Population, shop: Shop, options: DashboardPreviewOptions): Promise<DashboardPreview> {
  const { devices, epsilon, seed } = options
  const log = options.log ?? (() => {})
  const db = await openDatabase('memory:')
  // What the retrain did, for the banner (`notice`), once it has run.
  let retrained: RetrainResult | undefined
  const estimator = createReportEstimator({ pageKeys: shop.keys, packs: population.packs })
  const collector = createCollector(db, estimator, {
    epsilon,
    packs: population.packs,
    knownPacks: packContexts(population.packs),
    // One process's cap would refuse the simulated browsers past 200,000.
    maxReportsPerDay: Math.max(devices, 1),
    minTrainingAnswers: options.minAnswers,
    notice: () => simulatedNotice(devices, retrained),
  })
  const server = createCollectorServer(collector.listener)
  const close = async () => {
    if (server.listening) await server.stop({ graceMs: 1000, idleMs: 0 })
    await collector.close().catch(() => {})
    await db.close()
  }
  try {
    await migrate(db)
    // The port before the work: one taken is said at once.
    await new Promise<void>((ready, fail) => {
      server.once('error', fail)
      server.listen(options.port, '127.0.0.1', () => (server.off('error', fail), ready()))
    })
    const valuePages = chooseValuePages(simulateInsights(population, shop, { devices, epsilon, seed: seed + 77 }).insights.pages, DEFAULT_VALUE_PAGES)
    const yesterday = addDays(utcDay(), -1)
    const bodies: string[] = []
    const learnShare = options.learnShare ?? 0
    // The training answers' truth: the shipped session pack's scores of each session, as its browsers compute them.
    const sessionPack = population.packs.find((p) => (p as ModelPack).kind === 'session') as ModelPack
    const learn = learnShare > 0 ? learnTruths(population.rows, sessionPack) : undefined
    simulateReports(population, shop, { devices, epsilon, seed, valuePages, learnShare, learn, dayOf: (d) => addDays(yesterday, -(d % DAYS)) }, (body) => bodies.push(JSON.stringify(body)))
    let stored = 0
    const refused: Record<string, number> = {}
    for (let i = 0; i < bodies.length; i += CHUNK) {
      const outcomes = await Promise.all(bodies.slice(i, i + CHUNK).map((text, j) => collector.ingest.submit(`simulated browser ${i + j}`, text)))
      for (const outcome of outcomes) {
        if (outcome.status === 202) stored++
        else refused[outcome.code] = (refused[outcome.code] ?? 0) + 1
      }
      if ((i / CHUNK) % 5 === 4) log(`  ${stored.toLocaleString('en-US')} of ${devices.toLocaleString('en-US')} reports put in`)
    }
    // The page-statistics table in memory only (no folder is given): the dashboard's "Published pages".
    await collector.regeneratePageStats()
    if (options.retrain) {
      // The collector's retrain on the store the dashboard reads, as `npm run collector -- retrain` runs it on a
      // folder or a database; an accepted pack goes nowhere, neither to a file nor to the collector's packs.
      retrained = await retrain(db, { pack: sessionPack, epsilon, minAnswers: options.minAnswers ?? MIN_TRAINING_ANSWERS, writePack: async () => 'nothing (simulated answers)' })
    }
    const { port } = server.address() as AddressInfo
    return { url: `http://127.0.0.1:${port}${DASHBOARD_PATH}`, stored, refused, retrain: retrained, stop: close }
  } catch (error) {
    await close().catch(() => {})
    throw error
  }
}
