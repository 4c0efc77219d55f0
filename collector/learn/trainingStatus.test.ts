// @vitest-environment node
// What the dashboard says of private training (insights.json `training`) against what `retrain` then does, on the
// same store: the same answers, the same decision, the same words.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ModelPack } from '../../src/pack/types'
import { encodeReport } from '../../src/reports/encodeReport'
import { identityCorrection } from '../../src/reports/learn/correction'
import type { ReportContext, ReportTruth } from '../../src/reports/types'
import { seededRandom } from '../../sim/seededRandom'
import { createRng } from '../../training/rng'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { packContexts } from '../estimates/packLeafNames'
import { publishPacks } from '../packs/publishPacks'
import { generatePackKeys, readPackSigningKey } from '../packs/signingKey'
import { createCollector } from '../server/createCollector'
import type { Database, SumRow } from '../storage/types'
import { DATABASE_TARGETS, withMigratedDatabase } from '../testing/databases'
import { retrain } from './retrain'
import { trainingReadiness } from './trainingReadiness'
import { trainingStatus } from './trainingStatus'
import { publishedSessionPack } from './retrainedPackWriter'
import { TEST_BATCH_DELAY_MS } from '../testing/reports'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const shipped = JSON.parse(readFileSync(join(__dirname, '../../src/models/session.json'), 'utf8')) as ModelPack
const context: ReportContext = { packId: `session@${shipped.version}+lifetime@1.0.0`, segmentLeaves: 4, valueLeaves: 4 }
const MIN = 600

/** A session whose purchase follows its score and its product pages. */
function truthOf(rng: () => number): ReportTruth {
  const logit = [-4.5, -2.5, -0.5][Math.floor(rng() * 3)]!
  const pages = rng() < 0.5 ? 2 : 40
  const ordered = rng() < 1 / (1 + Math.exp(-(logit + (pages === 40 ? 2 : -1.5))))
  return {
    segmentLeaf: 0, valueSegment: null, ordered, orderValueBucket: 0, arm: 'none', pages: [],
    learn: { logitWithStats: logit, logitWithoutStats: logit / 2, session: { productPages: pages, administrativeSeconds: 0, month: 11 } },
  }
}

describe.each(DATABASE_TARGETS)('the dashboard on private training, on $name', (target) => {
  let db: Database
  withMigratedDatabase(target, (opened) => (db = opened))

  it('says what retrain decides from the same answers, as they arrive', async () => {
    const collector = createCollector(db, createReportEstimator(), { now: () => NOW, minTrainingAnswers: MIN, reportTimeoutMs: 300_000, batch: { maxDelayMs: TEST_BATCH_DELAY_MS } })
    const rng = createRng(4)
    const random = seededRandom(4)
    /** Posts `n` reports of `day`, a share `learnShare` of them training answers, through the collector's own ingest. */
    const post = async (day: string, n: number, learnShare: number) => {
      const bodies = Array.from({ length: n }, () => JSON.stringify(encodeReport(truthOf(rng), context, { epsilon: 2, day, random, learnShare })))
      const outcomes = await Promise.all(bodies.map((body, i) => collector.ingest.submit(`${day}-${i}`, body)))
      expect(outcomes.filter((o) => o.status !== 202)).toEqual([])
    }
    const training = async () => {
      const response = await collector.app.request('/seglet/insights.json')
      expect(response.status).toBe(200)
      return ((await response.json()) as { training: Record<string, unknown> }).training
    }
    const decided = () => retrain(db, { pack: shipped, epsilon: 2, minAnswers: MIN, now: NOW, writePack: async () => 'memory' })
    try {
      // No training answers: the pages were not asked for any.
      await post('2026-11-27', 50, 0)
      const none = await training()
      expect(none).toMatchObject({ status: 'waiting', network: 'session@1.0.0', packVersion: shipped.version, packFile: false, answers: 0, minAnswers: MIN, minCheckAnswers: MIN / 4, epsilon: 2, to: '2026-11-30' })
      // The store retrain would have to open: the embedded target is one in memory, which no other process can open.
      expect(none.store).toBe(target.name === 'postgres' ? 'postgres' : 'memory')
      expect(none.reason).toContain('data-learn-share')
      expect(none.reason).toBe((await decided()).reason)

      // Enough answers, all of even days (2026-11-27 and -29): nothing to check on yet.
      await post('2026-11-27', 400, 1)
      await post('2026-11-29', 300, 1)
      const even = await training()
      expect(even).toMatchObject({ status: 'waiting', answers: 700, fitAnswers: 700, checkAnswers: 0 })
      const waiting = await decided()
      expect(waiting).toMatchObject({ status: 'waiting', answers: 700 })
      expect(even.reason).toBe(waiting.reason)

      // Held-out answers on an odd day: ready, and retrain does fit and check a candidate.
      await post('2026-11-28', 400, 1)
      const ready = await training()
      expect(ready).toMatchObject({ status: 'ready', answers: 1100, fitAnswers: 700, checkAnswers: 400 })
      expect(['published', 'kept']).toContain((await decided()).status)
      expect((await decided()).heldOut).toBeDefined()
    } finally {
      await collector.close()
    }
  }, 300_000)
  it('follows the pack a retrain published, which retrain starts from, while the figures still follow the one before', async () => {
    await db.query('DELETE FROM seglet_sums')
    const dir = mkdtempSync(join(tmpdir(), 'seglet-training-status-'))
    const site = join(dir, 'public')
    // A retrain of 2026-11-28, published signed: pages move to it over the following days, and until most have,
    // the figures follow the reports of the shipped pack.
    const retrained: ModelPack = {
      ...shipped, version: `${shipped.version}+r20261128`, intentCorrection: identityCorrection(),
      metrics: { ...shipped.metrics, privateTraining: { answers: 900, from: '2026-11-01', to: '2026-11-28', epsilon: 2 } },
    }
    await publishPacks({ outDir: site, key: await readPackSigningKey((await generatePackKeys(join(dir, 'keys'))).privateKeyFile), packs: { session: retrained } })
    const inUse = JSON.parse((await publishedSessionPack(site))!.text) as ModelPack
    const collector = createCollector(db, createReportEstimator(), { now: () => NOW, minTrainingAnswers: MIN, reportTimeoutMs: 300_000, packsDir: site, batch: { maxDelayMs: TEST_BATCH_DELAY_MS } })
    const rng = createRng(5)
    const random = seededRandom(5)
    const post = async (day: string, n: number) => {
      const bodies = Array.from({ length: n }, () => JSON.stringify(encodeReport(truthOf(rng), context, { epsilon: 2, day, random, learnShare: 1 })))
      const outcomes = await Promise.all(bodies.map((body, i) => collector.ingest.submit(`p-${day}-${i}`, body)))
      expect(outcomes.filter((o) => o.status !== 202)).toEqual([])
    }
    const training = async () => {
      const doc = (await (await collector.app.request('/seglet/insights.json')).json()) as { context: { packId: string }; training: Record<string, unknown> }
      expect(doc.context.packId).toBe(context.packId)
      return doc.training
    }
    const decided = () => retrain(db, { pack: inUse, epsilon: 2, minAnswers: MIN, now: NOW, writePack: async () => 'memory' })
    try {
      await post('2026-11-27', 500)
      await post('2026-11-28', 400)
      // Every odd day with answers is one the published pack was fitted on: retrain keeps it, and the dashboard says so.
      const kept = await decided()
      expect(kept.status).toBe('kept')
      expect(await training()).toMatchObject({ status: 'kept', packVersion: retrained.version, packFile: false, network: 'session@1.0.0', reason: kept.reason })
      // What that retrain found, from the published file: it ran no check (none in its metrics), so no AUC is said.
      expect((await training()).retrained).toEqual({ answers: 900, from: '2026-11-01', to: '2026-11-28' })
      // A few held-out answers since: too few for the check, on both.
      await post('2026-11-30', 100)
      const waiting = await decided()
      expect(waiting.status).toBe('waiting')
      expect(await training()).toMatchObject({ status: 'waiting', checkAnswers: 100, reason: waiting.reason })
    } finally {
      await collector.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
  it('says what the retrain of a pack the shop hosts found, once the collector is given its file (--known-pack) and its reports lead', async () => {
    await db.query('DELETE FROM seglet_sums')
    // A retrain written without a signing key, its copy served by the shop and given to the collector as a known pack.
    const hosted: ModelPack = {
      ...shipped, version: `${shipped.version}+r20261126`, intentCorrection: identityCorrection(),
      metrics: { ...shipped.metrics, privateTraining: { answers: 24_000, from: '2026-10-30', to: '2026-11-26', epsilon: 2, heldOutAucBefore: 0.6123, heldOutAucAfter: 0.6345 } },
    }
    const collector = createCollector(db, createReportEstimator(), { now: () => NOW, minTrainingAnswers: MIN, reportTimeoutMs: 300_000, packs: [shipped, hosted], knownPacks: packContexts([shipped, hosted]), batch: { maxDelayMs: TEST_BATCH_DELAY_MS } })
    const rng = createRng(6)
    const random = seededRandom(6)
    const hostedContext: ReportContext = { ...context, packId: `session@${hosted.version}+lifetime@1.0.0` }
    try {
      const bodies = Array.from({ length: 60 }, () => JSON.stringify(encodeReport(truthOf(rng), hostedContext, { epsilon: 2, day: '2026-11-29', random, learnShare: 1 })))
      const outcomes = await Promise.all(bodies.map((body, i) => collector.ingest.submit(`k-${i}`, body)))
      expect(outcomes.filter((o) => o.status !== 202)).toEqual([])
      const doc = (await (await collector.app.request('/seglet/insights.json')).json()) as { context: { packId: string }; training: Record<string, unknown> }
      expect(doc.context.packId).toBe(hostedContext.packId)
      // Retrain must be given its file (--pack): by itself it would start from the shipped pack.
      expect(doc.training).toMatchObject({ packVersion: hosted.version, packFile: true })
      expect(doc.training.retrained).toEqual({ answers: 24_000, from: '2026-10-30', to: '2026-11-26', heldOutAucBefore: 0.6123, heldOutAucAfter: 0.6345 })
    } finally {
      await collector.close()
    }
  }, 300_000)
})

describe('the dashboard on a retrained pack it has no file of', () => {
  // Written to --out by a retrain without a signing key and served by the shop: the collector neither publishes nor
  // knows it, but its version says the day it was retrained on, the last day of answers it was fitted on.
  const version = `${shipped.version}+r20261128`
  const packId = `session@${version}+lifetime@1.0.0`
  const answers = (day: string, value: number): SumRow => ({ day, packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4, counter: '["learn","n"]', value })
  const query = { from: '2026-11-03', to: '2026-11-30', epsilon: 2, pageKeyLists: {} }
  const file: ModelPack = {
    ...shipped, version, intentCorrection: identityCorrection(),
    metrics: { ...shipped.metrics, privateTraining: { answers: 900, from: '2026-11-01', to: '2026-11-28', epsilon: 2 } },
  }

  it('checks it only on the days after that one, as retrain given its file (--pack) does', () => {
    for (const rows of [[answers('2026-11-27', 500), answers('2026-11-28', 400)], [answers('2026-11-27', 500), answers('2026-11-28', 400), answers('2026-11-30', 100)]]) {
      const { rows: _rows, ...decided } = trainingReadiness(rows, file, 2, query.from, query.to, MIN)
      // Retrain starts from the shipped pack unless given this one's file.
      expect(trainingStatus(rows, query, packId, MIN)).toMatchObject({ ...decided, packVersion: version, packFile: true })
    }
    expect(trainingStatus([answers('2026-11-27', 500), answers('2026-11-28', 400)], query, packId, MIN).status).toBe('kept')
  })
})

describe('the dashboard on what the retrain of the pack in use found', () => {
  const version = `${shipped.version}+r20261128`
  const packId = `session@${version}+lifetime@1.0.0`
  const query = { from: '2026-11-03', to: '2026-11-30', epsilon: 2, pageKeyLists: {} }
  const withTraining = (privateTraining: unknown): ModelPack => ({ ...shipped, version, intentCorrection: identityCorrection(), metrics: { ...shipped.metrics, privateTraining } as ModelPack['metrics'] })

  it('says the answers, their days and both held-out AUCs a retrain wrote into the pack, when the collector has its file', () => {
    const pack = withTraining({ answers: 30_157, from: '2026-11-01', to: '2026-11-28', epsilon: 2, heldOutAucBefore: 0.7638, heldOutAucAfter: 0.7762 })
    expect(trainingStatus([], { ...query, packs: [pack] }, packId, MIN).retrained).toEqual({ answers: 30_157, from: '2026-11-01', to: '2026-11-28', heldOutAucBefore: 0.7638, heldOutAucAfter: 0.7762 })
    // Published: the pack retrain starts from, whatever pack the figures follow.
    expect(trainingStatus([], query, context.packId, MIN, [pack]).retrained).toMatchObject({ answers: 30_157, heldOutAucAfter: 0.7762 })
  })

  it('says nothing of a pack no retrain made, of one it has no file of, or of figures that are not a retrain\'s', () => {
    expect(trainingStatus([], { ...query, packs: [shipped] }, context.packId, MIN)).not.toHaveProperty('retrained')
    expect(trainingStatus([], query, packId, MIN)).not.toHaveProperty('retrained')
    for (const privateTraining of [null, 'many', { answers: '900', from: '2026-11-01', to: '2026-11-28' }, { answers: 900, from: 'November', to: '2026-11-28' }, { answers: 1.5, from: '2026-11-01', to: '2026-11-28' }]) {
      expect(trainingStatus([], { ...query, packs: [withTraining(privateTraining)] }, packId, MIN), JSON.stringify(privateTraining)).not.toHaveProperty('retrained')
    }
    // AUCs retrain could not measure (written as 0), or one of the two only: the answers and days alone.
    for (const aucs of [{ heldOutAucBefore: 0, heldOutAucAfter: 0 }, { heldOutAucAfter: 0.7 }, { heldOutAucBefore: 0.6, heldOutAucAfter: 1.2 }]) {
      expect(trainingStatus([], { ...query, packs: [withTraining({ answers: 900, from: '2026-11-01', to: '2026-11-28', ...aucs })] }, packId, MIN).retrained).toEqual({ answers: 900, from: '2026-11-01', to: '2026-11-28' })
    }
  })
})
