// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { ModelPack } from '../../src/pack/types'
import { checkPack as validatePack } from '../../src/pack/checkPack'
import { encodeReport } from '../../src/reports/encodeReport'
import { addReport, createInsightSums } from '../../src/reports/estimate'
import { parseReport } from '../../src/reports/parseReport'
import { identityCorrection } from '../../src/reports/learn/correction'
import { estimateLearnTables } from '../../src/reports/learn/learnSums'
import { LEARN_FEATURES } from '../../src/reports/learn/schema'
import { parseLearnTables } from '../../src/reports/learn/parseLearnTables'
import { olhParams } from '../../src/reports/mechanisms/olh'
import type { ReportContext, ReportTruth } from '../../src/reports/types'
import { seededRandom } from '../../sim/seededRandom'
import { createRng } from '../../training/rng'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { countersToSums } from '../estimates/countersToSums'
import { createIngest } from '../ingest/createIngest'
import { readPageKeyLists } from '../server/pageKeyLists'
import { reestimate } from '../server/reestimate'
import { main } from '../main'
import { countReports } from '../storage/countReports'
import { openDatabase } from '../storage/openDatabase'
import { readSums } from '../storage/readSums'
import type { Database } from '../storage/types'
import { DATABASE_TARGETS, withMigratedDatabase } from '../testing/databases'
import { reportBodies, TEST_BATCH_DELAY_MS, TEST_CONTEXT, TEST_PAGE_KEYS } from '../testing/reports'
import { heldOutCheck, RETRAIN_TOLERANCE } from './heldOutCheck'
import { retrain } from './retrain'
import { tableAuc } from './tableAuc'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const shipped = JSON.parse(readFileSync(join(__dirname, '../../src/models/session.json'), 'utf8')) as ModelPack
const context: ReportContext = { packId: `session@${shipped.version}+lifetime@1.0.0`, segmentLeaves: 4, valueLeaves: 4 }

/** Sessions whose purchase depends on the score and, beyond it, on product pages (which the pack underrates). */
function truthOf(rng: () => number, reversed = false): ReportTruth {
  const logit = [-4.5, -2.5, -0.5][Math.floor(rng() * 3)]
  const pages = rng() < 0.5 ? 2 : 40
  const ordered = rng() < 1 / (1 + Math.exp(-(logit + ((pages === 40) !== reversed ? 2 : -1.5))))
  const session = { productPages: pages, administrativeSeconds: 0, month: 10 }
  return { segmentLeaf: 0, valueSegment: null, ordered, orderValueBucket: 0, arm: 'none', pages: [], learn: { logitWithStats: logit, logitWithoutStats: logit / 2, session } }
}

async function ingestDays(db: Database, perDay: number, days: string[], seed: number, context_ = context): Promise<void> {
  // A day's reports are submitted at once, and the last waits for the writes of all before it: on a busy machine that
  // can pass the 10 s a report waits by default, and a report refused then would be missing from the retrain.
  const ingest = createIngest(db, createReportEstimator(), { now: () => NOW, writeTimeoutMs: 300_000, maxDelayMs: TEST_BATCH_DELAY_MS })
  const rng = createRng(seed)
  const random = seededRandom(seed)
  for (const day of days) {
    const bodies = Array.from({ length: perDay }, () => JSON.stringify(encodeReport(truthOf(rng), context_, { epsilon: 2, day, random, learnShare: 1 })))
    const outcomes = await Promise.all(bodies.map((b, i) => ingest.submit(`${day}-${i % 50}`, b)))
    expect(outcomes.filter((o) => o.code !== 'accepted')).toEqual([])
  }
}

describe.each(DATABASE_TARGETS)('retraining from the training answers on $name', (target) => {
  let db: Database
  withMigratedDatabase(target, (opened) => (db = opened))

  it('waits for enough answers, then publishes a pack that scores product pages higher and keeps every segment id', async () => {
    const written: string[] = []
    const writePack = async (text: string) => {
      written.push(text)
      return 'memory'
    }
    await ingestDays(db, 400, ['2026-11-27'], 1)
    // An ε computed in floating point (1.9999999999999998) is the ε of its hundredths, as the pages send it.
    const early = await retrain(db, { pack: shipped, epsilon: 0.3 * 6 + 0.2, minAnswers: 2000, writePack, now: NOW })
    expect(early).toMatchObject({ status: 'waiting', answers: 400 })
    expect(written).toEqual([])

    await ingestDays(db, 1500, ['2026-11-28', '2026-11-29', '2026-11-30'], 2)
    const learnTables = parseLearnTables('product_pages,month')!
    const result = await retrain(db, { pack: shipped, epsilon: 2, minAnswers: 2000, writePack, now: NOW, learnTables })
    expect(result.status).toBe('published')
    expect(result.answers).toBe(400 + 4500)
    // Every session is of month 10 with no cart events: those tables teach nothing here. The funnel tables got
    // answers in the window (from pages of the shipped pack), but the published pack no longer lists them: only
    // the month tables, which it still lists, are named, since only those can still be left out.
    expect(result.idleTables).toEqual(['withStats.month', 'withoutStats.month'])
    expect(result.heldOut!.candidate).toBeGreaterThan(result.heldOut!.current)
    expect(written).toHaveLength(1)
    const pack = validatePack(JSON.parse(written[0]))
    expect(pack.version).toBe(`${shipped.version}+r20261130`)
    expect(pack.heads.segment).toEqual(shipped.heads.segment)
    expect(pack.model).toEqual(shipped.model)
    expect(pack.$comment).toContain('npm run collector -- retrain')
    // The shop's training tables travel in the published pack; the next retrain keeps them unless told.
    expect(pack.learnTables).toEqual(['withStats.product_pages', 'withStats.month', 'withoutStats.product_pages', 'withoutStats.month'])
    const listed = { ...shipped, learnTables: ['withStats.month'] }
    const kept = await retrain(db, { pack: listed, epsilon: 2, minAnswers: 2000, writePack, now: NOW })
    expect(kept.pack.learnTables).toEqual(['withStats.month'])
    const all = await retrain(db, { pack: listed, epsilon: 2, minAnswers: 2000, writePack, now: NOW, learnTables: 'all' })
    expect(all.status).toBe('published')
    // A pack that lists every table: each idle one is named.
    expect(all.idleTables).toEqual([
      'withStats.month', 'withStats.products_added', 'withStats.checkout_reached',
      'withoutStats.month', 'withoutStats.products_added', 'withoutStats.checkout_reached',
    ])
    expect('learnTables' in all.pack).toBe(false)
    written.length = 1
    const f = LEARN_FEATURES.findIndex((x) => x.name === 'product_pages')
    const B = LEARN_FEATURES[f].buckets
    // Score bucket of logit −2.5 with statistics is 3; 40 pages is bucket 3, 2 pages bucket 0.
    const terms = pack.intentCorrection!.views.withStats.terms[f]
    expect(terms[3 * B + 3]).toBeGreaterThan(terms[3 * B + 0] + 1)

    // Answers of the retrained pack's reports count for the next retrain too (same network).
    const again = await retrain(db, { pack, epsilon: 2, minAnswers: 2000, writePack, now: NOW })
    expect(again.answers).toBe(result.answers)
  }, 300_000)

  it('publishes nothing unchecked: enough answers, but all on one day, wait for a held-out day', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const written: string[] = []
    await ingestDays(db, 2500, ['2026-11-30'], 3)
    const result = await retrain(db, { pack: shipped, epsilon: 2, minAnswers: 2000, now: NOW, writePack: async (text) => (written.push(text), 'memory') })
    expect(result).toMatchObject({ status: 'waiting', answers: 2500 })
    expect(result.reason).toMatch(/no held-out check yet/)
    expect(written).toEqual([])
  }, 300_000)

  // A daily retrain just after midnight checks on the few answers the new day holds so far: the estimate's noise
  // is then so wide that no candidate, however worse, could be refused, and the pack would go out unchecked.
  it('waits when the held-out days hold too few answers for the check to refuse anything', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const ingest = createIngest(db, createReportEstimator(), { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    const rng = createRng(61)
    const random = seededRandom(61)
    // The fit day says the opposite of what the shop's sessions do; the held-out day has 20 answers.
    const bodies = [
      ...Array.from({ length: 3000 }, () => encodeReport(truthOf(rng, true), context, { epsilon: 2, day: '2026-11-29', random, learnShare: 1 })),
      ...Array.from({ length: 20 }, () => encodeReport(truthOf(rng), context, { epsilon: 2, day: '2026-11-30', random, learnShare: 1 })),
    ]
    await Promise.all(bodies.map((b, i) => ingest.submit(`few-${i % 50}`, JSON.stringify(b))))
    await ingest.flush()
    const written: string[] = []
    const result = await retrain(db, { pack: shipped, epsilon: 2, minAnswers: 2000, now: NOW, writePack: async (text) => (written.push(text), 'memory') })
    expect(written).toEqual([])
    expect(result).toMatchObject({ status: 'waiting', answers: 3020 })
    expect(result.reason).toContain('20 held-out answers')
    expect(result.reason).toContain('needs 500')
  }, 300_000)

  // A small --min-answers at a high ε: the held-out answers can all be of sessions without an order, and their
  // AUC is then no number. The check cannot judge a candidate: it waits, and never says a candidate was worse.
  it('waits when the held-out answers show sessions of one kind only, and no AUC can be measured', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const ingest = createIngest(db, createReportEstimator(), { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    const rng = createRng(81)
    const random = seededRandom(81)
    const noOrder = () => ({ ...truthOf(rng), ordered: false })
    const bodies = [
      ...Array.from({ length: 30 }, () => encodeReport(truthOf(rng), context, { epsilon: 8, day: '2026-11-29', random, learnShare: 1 })),
      ...Array.from({ length: 3 }, () => encodeReport(noOrder(), context, { epsilon: 8, day: '2026-11-30', random, learnShare: 1 })),
    ]
    await Promise.all(bodies.map((b, i) => ingest.submit(`one-kind-${i % 50}`, JSON.stringify(b))))
    await ingest.flush()
    const written: string[] = []
    const result = await retrain(db, { pack: shipped, epsilon: 8, minAnswers: 4, now: NOW, writePack: async (text) => (written.push(text), 'memory') })
    expect(written).toEqual([])
    expect(result).toMatchObject({ status: 'waiting', answers: 33 })
    expect(result.reason).not.toContain('NaN')
    expect(result.reason).toContain('3 held-out answers')
  }, 300_000)

  // A collector started with --epsilon 1, or pages that run the shop's own pack: the answers are there, but not
  // at the ε or for the network the retrain was given. It must say so, or it waits for ever with "0 answers".
  it('says when the answers it waits for came at another ε or from another pack', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const ingest = createIngest(db, createReportEstimator(), { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    const rng = createRng(51)
    const random = seededRandom(51)
    const own: ReportContext = { ...context, packId: 'session@2.1.0+lifetime@1.0.0' }
    const bodies = [
      ...Array.from({ length: 300 }, () => encodeReport(truthOf(rng), context, { epsilon: 1, day: '2026-11-29', random, learnShare: 1 })),
      ...Array.from({ length: 200 }, () => encodeReport(truthOf(rng), own, { epsilon: 2, day: '2026-11-30', random, learnShare: 1 })),
    ]
    await Promise.all(bodies.map((b, i) => ingest.submit(`other-${i % 50}`, JSON.stringify(b))))
    await ingest.flush()
    const result = await retrain(db, { pack: shipped, epsilon: 2, minAnswers: 2000, writePack: async () => 'memory', now: NOW })
    expect(result).toMatchObject({ status: 'waiting', answers: 0 })
    expect(result.reason).toContain('300 more came at ε 1')
    expect(result.reason).toContain('200 more came from pages running session@2.1.0')
  }, 300_000)

  it('says, when no report in the window holds a training answer, that pages send them only with a learn share set', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const ingest = createIngest(db, createReportEstimator(), { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    // Insights reports only: pages whose reports option has no learnShare.
    await Promise.all(reportBodies(50, { day: '2026-11-30', context }).map((b, i) => ingest.submit(`insights-${i}`, b)))
    await ingest.flush()
    const result = await retrain(db, { pack: shipped, epsilon: 2, writePack: async () => 'memory', now: NOW })
    expect(result).toMatchObject({ status: 'waiting', answers: 0 })
    expect(result.reason).toBe('0 training answers from 2026-11-03 to 2026-11-30; a retrain needs 20,000; no report in these days holds one: pages answer the training question only with a share of their reports set aside for it (data-learn-share="0.5" beside data-reports, or reports: { learnShare: 0.5 })')
  }, 300_000)

  it('gives a later retrain of the day a version of its own, and keeps the pack in use when that version would not fit in reports', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    // Versions at training's longest (18 characters): a first retrain's id is exactly the 64 characters reports carry.
    const long: ModelPack = { ...shipped, version: '1.0.0-acme.1234567' }
    await ingestDays(db, 1500, ['2026-11-28', '2026-11-29', '2026-11-30'], 9, { ...context, packId: `session@${long.version}+lifetime@1.0.0-lifetime.123` })
    const options = { epsilon: 2, minAnswers: 2000, writePack: async () => 'memory', now: NOW }
    expect(await retrain(db, { ...options, pack: long })).toMatchObject({ status: 'published', pack: { version: `${long.version}+r20261130` } })
    const second = await retrain(db, { ...options, pack: long, takenVersions: [`${long.version}+r20261130`] })
    expect(second).toMatchObject({ status: 'kept', pack: { version: long.version } })
    expect(second.reason).toBe(`the retrained pack's id as pages report it, session@${long.version}+r20261130.2+lifetime@1.0.0-lifetime.123 (66 characters), is longer than the 64 reports carry (a retrain of today was already written: run again tomorrow)`)
    // A shorter version takes .2, and .3 after a .2, whichever way the earlier one is known (the reports' pack ids too).
    await ingestDays(db, 1500, ['2026-11-28', '2026-11-29', '2026-11-30'], 11)
    expect(await retrain(db, { ...options, pack: shipped, takenVersions: [`${shipped.version}+r20261130`] })).toMatchObject({ status: 'published', pack: { version: `${shipped.version}+r20261130.2` } })
    // A handful of reports under made-up ids (the collector takes any well-formed id) neither push the version up nor
    // keep the retrain with a lifetime version too long to add a retrain's suffix to.
    await ingestDays(db, 3, ['2026-11-30'], 12, { ...context, packId: `session@${shipped.version}+r20261130.99999999+lifetime@1.0.0` })
    await ingestDays(db, 3, ['2026-11-30'], 13, { ...context, packId: `session@${shipped.version}+lifetime@1.0.0-forged.12345678901234567890` })
    expect(await retrain(db, { ...options, pack: shipped, takenVersions: [`${shipped.version}+r20261130`] })).toMatchObject({ status: 'published', pack: { version: `${shipped.version}+r20261130.2` } })
    await ingestDays(db, 300, ['2026-11-30'], 10, { ...context, packId: `session@${shipped.version}+r20261130.2+lifetime@1.0.0` })
    expect(await retrain(db, { ...options, pack: shipped })).toMatchObject({ pack: { version: `${shipped.version}+r20261130.3` } })
  }, 300_000)

  // A pack trained on the shop's own data is version 1.0.0-<hash>: another network than the shipped 1.0.0, though
  // its id starts with the same characters. Neither retrain counts the other's answers, retrained or not.
  it('keeps the answers of a pack trained on the shop\'s data apart from the shipped pack\'s', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const ingest = createIngest(db, createReportEstimator(), { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    const rng = createRng(71)
    const random = seededRandom(71)
    const shop: ModelPack = { ...shipped, version: '1.0.0-0a1b2c3d' }
    const contexts: Array<[ReportContext, number]> = [
      [context, 120],
      [{ ...context, packId: 'session@1.0.0+r20261129+lifetime@1.0.0' }, 80],
      [{ ...context, packId: 'session@1.0.0-0a1b2c3d+lifetime@1.0.0-9f8e7d6c' }, 200],
      [{ ...context, packId: 'session@1.0.0-0a1b2c3d+r20261129+lifetime@1.0.0-9f8e7d6c' }, 50],
    ]
    const bodies = contexts.flatMap(([ctx, n]) => Array.from({ length: n }, () => encodeReport(truthOf(rng), ctx, { epsilon: 2, day: '2026-11-30', random, learnShare: 1 })))
    await Promise.all(bodies.map((b, i) => ingest.submit(`apart-${i % 50}`, JSON.stringify(b))))
    await ingest.flush()
    const ofShipped = await retrain(db, { pack: shipped, epsilon: 2, minAnswers: 2000, writePack: async () => 'memory', now: NOW })
    expect(ofShipped).toMatchObject({ status: 'waiting', answers: 200 })
    expect(ofShipped.reason).toContain('250 more came from pages running session@1.0.0-0a1b2c3d')
    const ofShop = await retrain(db, { pack: shop, epsilon: 2, minAnswers: 2000, writePack: async () => 'memory', now: NOW })
    expect(ofShop).toMatchObject({ status: 'waiting', answers: 250 })
    expect(ofShop.reason).toContain('200 more came from pages running session@1.0.0 ')
  }, 300_000)

  // With PostgreSQL a retrain runs beside the collector, which sums what it stored within seconds: the retrain
  // sums what is still pending, and must decode its page answers against the collector's page keys.
  it('sums the reports a running collector has not summed yet against its page keys, so no page drops out of the estimates', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    await reestimate(db, estimator, TEST_PAGE_KEYS)
    const ingest = createIngest(db, estimator, { now: () => NOW, sumEveryMs: 3_600_000, maxDelayMs: TEST_BATCH_DELAY_MS })
    await Promise.all(reportBodies(200, { day: '2026-11-29', seed: 31 }).map((b, i) => ingest.submit(`p${i}`, b)))
    await retrain(db, { pack: shipped, epsilon: 2, minAnswers: 2000, writePack: async () => 'memory', now: NOW })
    const group = { packId: TEST_CONTEXT.packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4 }
    const rows = await readSums(db, '2026-11-29', '2026-11-29')
    const { partial, sums } = countersToSums(group, rows, TEST_PAGE_KEYS, await readPageKeyLists(db, TEST_PAGE_KEYS))
    expect(sums.reports).toBe(200)
    expect(partial).toEqual([])
  }, 300_000)

  // The README promises that with --raw-retention-days 0 a raw report is deleted as it is summed: also when the
  // summing pass is a retrain's or a re-estimate's, which are not given the collector's options.
  it('follows the retention the collector started with: with 0, a retrain or a re-estimate keeps no raw report it sums', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-retention-'))
    const location = target.name === 'embedded' ? join(dir, 'db') : await target.location()
    // The collector started on the store, then stopped once it listens (it has written the retention in force by then).
    let listening = () => {}
    const ready = new Promise<void>((resolve) => (listening = resolve))
    const quiet = [
      vi.spyOn(console, 'log').mockImplementation((line) => void (String(line).startsWith('seglet collector listening on ') && listening())),
      vi.spyOn(console, 'error').mockImplementation(() => {}),
    ]
    let started: number
    try {
      const before = new Set(process.listeners('SIGTERM'))
      const run = main(['--database', location, '--port', '0', '--raw-retention-days', '0', '--page-stats-dir', join(dir, 'public')])
      await Promise.race([ready, run])
      process.listeners('SIGTERM').find((l) => !before.has(l))?.('SIGTERM')
      started = await run
    } finally {
      for (const spy of quiet) spy.mockRestore()
    }
    expect(started).toBe(0)
    const store = await openDatabase(location)
    try {
      const ingest = createIngest(store, createReportEstimator(), { now: () => NOW, sumEveryMs: 3_600_000, maxDelayMs: TEST_BATCH_DELAY_MS })
      await Promise.all(reportBodies(50, { day: '2026-11-29', seed: 41 }).map((b, i) => ingest.submit(`r${i}`, b)))
      expect(await countReports(store)).toBe(50)
      await retrain(store, { pack: shipped, epsilon: 2, minAnswers: 2000, writePack: async () => 'memory', now: NOW })
      expect(await countReports(store)).toBe(0)
      await Promise.all(reportBodies(50, { day: '2026-11-29', seed: 42 }).map((b, i) => ingest.submit(`s${i}`, b)))
      await reestimate(store, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), TEST_PAGE_KEYS)
      expect(await countReports(store)).toBe(0)
      const group = { packId: TEST_CONTEXT.packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4 }
      expect(countersToSums(group, await readSums(store, '2026-11-29', '2026-11-29'), [], {}).sums.reports).toBe(100)
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})

describe('the held-out check', () => {
  it('ranks a correction that reverses what the answers say below the pack as it is', () => {
    const rng = createRng(3)
    const random = seededRandom(3)
    const all = createInsightSums(context, 2)
    for (let i = 0; i < 20_000; i++) addReport(all, parseReport(JSON.stringify(encodeReport(truthOf(rng), context, { epsilon: 2, day: '2026-11-30', random, learnShare: 1 }))))
    const tables = estimateLearnTables(all.learn, olhParams(2))
    const reversed = identityCorrection()
    const f = LEARN_FEATURES.findIndex((x) => x.name === 'product_pages')
    const B = LEARN_FEATURES[f].buckets
    for (const view of ['withStats', 'withoutStats'] as const) for (let s = 0; s < 8; s++) { reversed.views[view].terms[f][s * B + 0] = 3; reversed.views[view].terms[f][s * B + 3] = -3 }
    expect(tableAuc(tables, reversed)).toBeLessThan(tableAuc(tables, undefined) - 0.03)
  })

  it('ends with a figure for a correction whose terms are not all numbers (each score group is passed once)', () => {
    const rng = createRng(4)
    const random = seededRandom(4)
    const all = createInsightSums(context, 2)
    for (let i = 0; i < 2_000; i++) addReport(all, parseReport(JSON.stringify(encodeReport(truthOf(rng), context, { epsilon: 2, day: '2026-11-30', random, learnShare: 1 }))))
    const tables = estimateLearnTables(all.learn, olhParams(2))
    const broken = identityCorrection()
    for (const view of ['withStats', 'withoutStats'] as const) broken.views[view].terms[0][0] = Number.NaN
    expect(typeof tableAuc(tables, broken)).toBe('number')
  })

  const sumsOf = (n: number, seed: number, reversed: boolean) => {
    const rng = createRng(seed)
    const random = seededRandom(seed)
    const sums = createInsightSums(context, 2)
    for (let i = 0; i < n; i++) addReport(sums, parseReport(JSON.stringify(encodeReport(truthOf(rng, reversed), context, { epsilon: 2, day: '2026-11-30', random, learnShare: 1 }))))
    return sums.learn
  }

  it('refuses a candidate that is worse beyond the noise of its estimate, and accepts one fitted on the same shop', () => {
    const check = sumsOf(8000, 5, false)
    const worse = heldOutCheck(sumsOf(8000, 6, true), check, identityCorrection(), olhParams(2))
    expect(worse.accepted).toBe(false)
    expect(worse.candidate).toBeLessThan(worse.current - worse.tolerance)
    const better = heldOutCheck(sumsOf(8000, 7, false), check, identityCorrection(), olhParams(2))
    expect(better.accepted).toBe(true)
    expect(better.candidate).toBeGreaterThan(better.current)
    // Seeded: the same answers decide the same.
    expect(heldOutCheck(sumsOf(8000, 6, true), check, identityCorrection(), olhParams(2))).toEqual(worse)
  })

  it('allows for the noise of the held-out estimate: the margin shrinks as the check days hold more answers', () => {
    const fit = sumsOf(4000, 8, false)
    const few = heldOutCheck(fit, sumsOf(2000, 9, false), identityCorrection(), olhParams(2))
    const many = heldOutCheck(fit, sumsOf(40_000, 10, false), identityCorrection(), olhParams(2))
    expect(few.tolerance).toBeGreaterThan(RETRAIN_TOLERANCE)
    expect(many.tolerance).toBeLessThan(few.tolerance * 0.75)
    expect(many.tolerance).toBeGreaterThanOrEqual(RETRAIN_TOLERANCE)
  })
})

// The pages take an ε in hundredths only: another --epsilon would find none of their answers in the sums.
it('refuses an --epsilon the pages cannot use, with one line and exit code 2', async () => {
  const err = vi.spyOn(console, 'error').mockImplementation(() => {})
  try {
    for (const epsilon of ['2.555', '0x2']) expect(await main(['retrain', '--database', 'memory:', '--epsilon', epsilon]), epsilon).toBe(2)
    expect(err.mock.calls.map((c) => String(c[0]))).toEqual(Array(2).fill(expect.stringMatching(/^seglet collector retrain: --epsilon must be 0\.1–8 in hundredths/)))
  } finally {
    err.mockRestore()
  }
})
