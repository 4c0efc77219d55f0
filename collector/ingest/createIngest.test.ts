// @vitest-environment node
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { beforeEach, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/reports/parseReport'
import { REPORT_VERSION } from '../../src/reports/schema'
import type { ParsedReport } from '../../src/reports/types'
import { countReports } from '../storage/countReports'
import { SQL } from '../storage/sql'
import { readSums } from '../storage/readSums'
import type { Database } from '../storage/types'
import { DATABASE_TARGETS, withMigratedDatabase } from '../testing/databases'
import { reportBodies } from '../testing/reports'
import { createIngest } from './createIngest'
import type { ReportCodec } from './types'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const DAY = '2026-11-29'

// Ingest knows no encoding: this codec counts reports per question, enough to see what was added.
const codec: ReportCodec<ParsedReport> = {
  parse: (body) => parseReport(body),
  groupOf: (r) => ({ day: r.day, packId: r.packId, epsilon: r.epsilon, segmentLeaves: r.segmentLeaves, valueLeaves: r.valueLeaves }),
  addUp(_group, reports) {
    const counts = new Map<string, number>()
    for (const r of reports) counts.set(JSON.stringify([r.question]), (counts.get(JSON.stringify([r.question])) ?? 0) + 1)
    return counts
  },
}

const total = async (db: Database) => (await readSums(db, '2026-01-01', '2026-12-31')).reduce((sum, row) => sum + row.value, 0)

/** A full garbage collection, so that a test can see what is still held. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

/**
 * A database that takes a report batch's write and says nothing until `answer()` (a network that drops packets):
 * `sending` settles when the write is sent.
 */
function silentWrites(db: Database): { silent: Database; sending: Promise<void>; answer: () => void; refuse: (error: Error) => void } {
  let sent = () => {}
  const sending = new Promise<void>((resolve) => (sent = resolve))
  let answer = () => {}
  let refuse: (error: Error) => void = () => {}
  const answered = new Promise<void>((resolve, reject) => ((answer = resolve), (refuse = reject)))
  // Refused or not, the first write only waits: one refusal is not also every later write's.
  answered.catch(() => {})
  let held = true
  const silent: Database = {
    ...db,
    query: async (text, params) => {
      if (text === SQL.insertUnsummedReports && held) {
        sent()
        held = false
        await answered
      }
      return db.query(text, params)
    },
  }
  return { silent, sending, answer, refuse }
}

describe.each(DATABASE_TARGETS)('ingest on $name', (target) => {
  let db: Database
  withMigratedDatabase(target, (opened) => (db = opened))
  beforeEach(async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
  })

  it('stores accepted reports and their sums in batches', async () => {
    const ingest = createIngest(db, codec, { now: () => NOW, maxBatch: 400, epsilons: [2] })
    const bodies = reportBodies(1000, { day: DAY })
    // Each from its own address: identical bodies from different shoppers all count.
    const outcomes = await Promise.all(bodies.map((body, i) => ingest.submit(`10.0.${i >> 8}.${i & 255}`, body)))
    expect(outcomes.every((o) => o.status === 202)).toBe(true)
    // Acknowledged means stored; the sums follow within sumEveryMs (flush() adds them now).
    expect(await countReports(db)).toBe(1000)
    await ingest.flush()
    expect(await total(db)).toBe(1000)
    expect(ingest.counts.accepted).toBe(1000)
  })

  it.each([
    ['not JSON', '{"v":1,', 400, 'report_malformed'],
    ['not an object', '[1,2]', 400, 'report_malformed'],
    ['an extra field', (b: string) => b.replace('{', '{"ip":"1.2.3.4",'), 400, 'report_malformed'],
    // The browser's ledger keeps when a clock was ahead (`ahead`); no report carries it, nor a time, as NaN or otherwise.
    ['a clock-ahead field', (b: string) => b.replace('{', '{"ahead":null,'), 400, 'report_malformed'],
    ['a clock-ahead field that is not a number', (b: string) => b.replace('{', '{"ahead":NaN,'), 400, 'report_malformed'],
    ['a later version', (b: string) => b.replace(`"v":${REPORT_VERSION}`, `"v":${REPORT_VERSION + 1}`), 422, 'report_version'],
    ['bits outside the domain', (b: string) => b.replace(/"a":"[0-9a-f]{32}"/, `"a":"${'f'.repeat(32)}"`), 422, 'report_out_of_range'],
    ['a day long past', (b: string) => b.replace(DAY, '2026-10-01'), 422, 'report_day'],
    ['a day in the future', (b: string) => b.replace(DAY, '2026-12-05'), 422, 'report_day'],
    ['another ε', (b: string) => b.replace('"eps":2', '"eps":4'), 422, 'report_epsilon'],
  ] as const)('refuses %s with a 4xx and changes nothing', async (_name, make, status, code) => {
    const ingest = createIngest(db, codec, { now: () => NOW, epsilons: [2] })
    const [body] = reportBodies(1, { day: DAY, seed: 7 })
    const text = typeof make === 'string' ? make : make(body!)
    expect(await ingest.submit('10.0.0.1', text)).toEqual({ status, code })
    await ingest.flush()
    expect(await countReports(db)).toBe(0)
    expect(await total(db)).toBe(0)
  })

  // Decoding a report works out its question's mechanism for its leaf counts and ε and keeps it for the process's
  // life: bodies naming each of the ~800 report ε (with every leaf count) would grow memory by hundreds of MB.
  it('refuses a report of another ε without decoding it, so refused bodies leave nothing in memory', async () => {
    const decoded: string[] = []
    const watched: ReportCodec<ParsedReport> = { ...codec, parse: (body) => (decoded.push(body), codec.parse(body)) }
    const ingest = createIngest(db, watched, { now: () => NOW, epsilons: [2] })
    const [body] = reportBodies(1, { day: DAY, seed: 12 })
    for (const eps of ['4', '0.37', '7.99', '2.01']) {
      expect(await ingest.submit('10.0.0.1', body!.replace('"eps":2', `"eps":${eps}`)), eps).toEqual({ status: 422, code: 'report_epsilon' })
    }
    expect(decoded).toEqual([])
    // The ε in force, however it is spelled, is decoded and taken.
    expect(await ingest.submit('10.0.0.1', body!.replace('"eps":2', '"eps":2.00'))).toEqual({ status: 202, code: 'accepted' })
    // An ε no report may carry is left to the decoder, which refuses it before any mechanism is worked out.
    expect(await ingest.submit('10.0.0.2', body!.replace('"eps":2', '"eps":"NaN"'))).toEqual({ status: 422, code: 'report_out_of_range' })
  })

  it('takes a report of the oldest day the browser sends that arrives just after midnight UTC, and none older', async () => {
    // Sent at 23:59:59.9 on 30 November, of a session 7 days before (the browser's limit), received on 1 December.
    const ingest = createIngest(db, codec, { now: () => Date.parse('2026-12-01T00:00:00.200Z'), epsilons: [2] })
    const [body] = reportBodies(1, { day: DAY, seed: 8 })
    expect(await ingest.submit('10.0.0.1', body!.replace(DAY, '2026-11-23'))).toEqual({ status: 202, code: 'accepted' })
    expect(await ingest.submit('10.0.0.2', body!.replace(DAY, '2026-11-22'))).toEqual({ status: 422, code: 'report_day' })
  })

  it('refuses the same body twice from one address on one day, and counts it from another', async () => {
    let now = NOW
    const ingest = createIngest(db, codec, { now: () => now, epsilons: [2] })
    const [body] = reportBodies(1, { day: DAY, seed: 3 })
    expect((await ingest.submit('10.0.0.1', body!)).status).toBe(202)
    expect(await ingest.submit('10.0.0.1', body!)).toEqual({ status: 409, code: 'report_replayed' })
    expect((await ingest.submit('10.0.0.2', body!)).status).toBe(202)
    now += 86_400_000
    expect((await ingest.submit('10.0.0.1', body!)).status).toBe(202)
    await ingest.flush()
    expect(await countReports(db)).toBe(3)
    expect(await total(db)).toBe(3)
  })

  it('takes the same report spelled another way (whitespace, key order, 2.0 for 2) for a replay', async () => {
    const ingest = createIngest(db, codec, { now: () => NOW })
    const [body] = reportBodies(1, { day: DAY, seed: 6 })
    expect((await ingest.submit('10.0.0.1', body!)).status).toBe(202)
    const fields = JSON.parse(body!) as Record<string, unknown>
    const respelled = [
      ` ${body!}\n`,
      JSON.stringify(fields, null, 2),
      JSON.stringify(Object.fromEntries(Object.entries(fields).reverse())),
      body!.replace(`"sl":${fields.sl}`, `"sl":${fields.sl}.0`),
    ]
    for (const text of respelled) expect(await ingest.submit('10.0.0.1', text)).toEqual({ status: 409, code: 'report_replayed' })
    // Another answer is another report.
    const other = JSON.stringify({ ...fields, a: (fields.a as string).replace(/^./, (c) => (c === '0' ? '1' : '0')) })
    expect((await ingest.submit('10.0.0.1', other)).status).not.toBe(409)
    await ingest.flush()
  })

  it('stores a report as its fields alone: what a sender adds in the spelling (a repeated key, whitespace) is not kept', async () => {
    const ingest = createIngest(db, codec, { now: () => NOW })
    const [body] = reportBodies(1, { day: DAY, seed: 8 })
    // JSON.parse keeps the last of a repeated key: the first one rides along in the text, whatever it holds.
    const tagged = body!.replace('{', '{"pack":"alice@example.com",\t ')
    expect((await ingest.submit('10.0.0.1', tagged)).status).toBe(202)
    await ingest.flush()
    const rows = await db.query<{ body: string }>('SELECT body FROM seglet_reports')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.body).not.toContain('alice')
    expect(rows[0]!.body).not.toMatch(/\s/)
    expect(parseReport(rows[0]!.body)).toEqual(parseReport(body!))
  })

  it('keeps only the sums when raw reports are not retained', async () => {
    const ingest = createIngest(db, codec, { now: () => NOW, rawRetentionDays: 0 })
    const bodies = reportBodies(50, { day: DAY, seed: 5 })
    await Promise.all(bodies.map((body, i) => ingest.submit(`10.1.0.${i}`, body)))
    await ingest.flush()
    expect(await countReports(db)).toBe(0)
    expect(await total(db)).toBe(50)
  })

  it('answers 503 and forgets the bodies when storage fails, so a retry is accepted later', async () => {
    let broken = true
    const flaky: Database = {
      ...db,
      query: (text, params) => (broken ? Promise.reject(new Error('disk full')) : db.query(text, params)),
    }
    const ingest = createIngest(flaky, codec, { now: () => NOW })
    const [body] = reportBodies(1, { day: DAY, seed: 9 })
    expect(await ingest.submit('10.0.0.9', body!)).toEqual({ status: 503, code: 'storage_failed' })
    broken = false
    expect((await ingest.submit('10.0.0.9', body!)).status).toBe(202)
    expect(await countReports(db)).toBe(1)
  })

  it('bounds the wait for a silent database: a report never sent is refused 503, one whose write may land is left unanswered and stored once', async () => {
    // The database takes the first batch's write and says nothing until told to (a network that drops packets).
    const { silent, sending, answer } = silentWrites(db)
    const ingest = createIngest(silent, codec, { now: () => NOW, maxDelayMs: 1, writeTimeoutMs: 50 })
    const [first, second] = reportBodies(2, { day: DAY, seed: 21 })
    const inFlight = ingest.submit('10.0.0.21', first!)
    await sending
    // Waits behind the write under way, never sent: refused, and forgotten by the replay guard.
    expect(await ingest.submit('10.0.0.22', second!)).toEqual({ status: 503, code: 'storage_timeout' })
    // Sent: it may land, so it is neither acknowledged nor refused.
    expect(await inFlight).toEqual({ status: 'unanswered', code: 'storage_unconfirmed' })
    answer()
    await ingest.flush()
    expect(await countReports(db)).toBe(1)
    // Stored once: the same body again is a replay; the refused one is taken when sent again.
    expect(await ingest.submit('10.0.0.21', first!)).toEqual({ status: 409, code: 'report_replayed' })
    expect(await ingest.submit('10.0.0.22', second!)).toEqual({ status: 202, code: 'accepted' })
    expect(await countReports(db)).toBe(2)
    await ingest.flush()
    expect(await total(db)).toBe(2)
  })

  it('keeps no refused report in memory while the write under way stays silent', async () => {
    // A database may stay silent for minutes (or for good): the reports refused meanwhile must not pile up.
    const { silent, sending, answer } = silentWrites(db)
    const parsed: WeakRef<object>[] = []
    const tracking: ReportCodec<ParsedReport> = {
      ...codec,
      parse: (body) => {
        const report = codec.parse(body)
        parsed.push(new WeakRef(report))
        return report
      },
    }
    const ingest = createIngest(silent, tracking, { now: () => NOW, maxDelayMs: 1, writeTimeoutMs: 20 })
    const bodies = reportBodies(41, { day: DAY, seed: 25 })
    const inFlight = ingest.submit('10.0.1.0', bodies[0]!)
    await sending
    const refused = await Promise.all(bodies.slice(1).map((body, i) => ingest.submit(`10.0.1.${1 + i}`, body)))
    expect(refused).toEqual(Array(40).fill({ status: 503, code: 'storage_timeout' }))
    await new Promise((tick) => setTimeout(tick, 0))
    collectGarbage()
    expect(parsed.slice(1).filter((ref) => ref.deref() !== undefined)).toHaveLength(0)
    expect(await inFlight).toEqual({ status: 'unanswered', code: 'storage_unconfirmed' })
    answer()
    await ingest.flush()
    expect(await countReports(db)).toBe(1)
  })

  it('tells once when reports start waiting past the timeout for a silent database, not at every report, and once when it answers again', async () => {
    const { silent, sending, answer } = silentWrites(db)
    const told: string[] = []
    const ingest = createIngest(silent, codec, {
      now: () => NOW,
      maxDelayMs: 1,
      writeTimeoutMs: 50,
      onStorageFailed: (what) => told.push(`${what} failed`),
      onStorageRecovered: (what) => told.push(`${what} works`),
    })
    const bodies = reportBodies(5, { day: DAY, seed: 23 })
    const inFlight = ingest.submit('10.0.0.30', bodies[0]!)
    await sending
    // Three reports wait behind the silent write and are refused; the one sent is left unanswered: one line for all.
    const refused = await Promise.all(bodies.slice(1, 4).map((body, i) => ingest.submit(`10.0.0.${31 + i}`, body)))
    expect(refused).toEqual(Array(3).fill({ status: 503, code: 'storage_timeout' }))
    expect(await inFlight).toEqual({ status: 'unanswered', code: 'storage_unconfirmed' })
    expect(told).toEqual(['timeout failed'])
    answer()
    await ingest.flush()
    expect(told).toEqual(['timeout failed', 'timeout works'])
    // Reports stored again tell nothing more.
    expect(await ingest.submit('10.0.0.35', bodies[4]!)).toEqual({ status: 202, code: 'accepted' })
    expect(told).toEqual(['timeout failed', 'timeout works'])
    expect(await countReports(db)).toBe(2)
  })

  it('tells that a silent database answered when the write it held ends in an error, then that it cannot store reports, and once when it stores again', async () => {
    const { silent, sending, refuse } = silentWrites(db)
    const told: string[] = []
    const ingest = createIngest(silent, codec, {
      now: () => NOW,
      maxDelayMs: 1,
      writeTimeoutMs: 50,
      onStorageFailed: (what, error) => told.push(`${what} failed: ${(error as Error).message}`),
      onStorageRecovered: (what) => told.push(`${what} works`),
    })
    const bodies = reportBodies(2, { day: DAY, seed: 24 })
    const inFlight = ingest.submit('10.0.0.40', bodies[0]!)
    await sending
    expect(await inFlight).toEqual({ status: 'unanswered', code: 'storage_unconfirmed' })
    expect(told).toEqual(['timeout failed: no answer within 50 ms'])
    // The database answers at last, with an error (a statement cancelled, a lock that timed out): it no longer keeps
    // the reports waiting, it refuses them.
    refuse(new Error('canceling statement due to lock timeout'))
    await ingest.flush()
    expect(told).toEqual(['timeout failed: no answer within 50 ms', 'timeout works', 'store failed: canceling statement due to lock timeout'])
    expect(ingest.storing()).toBe('failing')
    // Nothing of the refused write was stored, nor kept by the replay guard: the same body sent again is taken.
    expect(await countReports(db)).toBe(0)
    expect(await ingest.submit('10.0.0.40', bodies[0]!)).toEqual({ status: 202, code: 'accepted' })
    expect(await ingest.submit('10.0.0.41', bodies[1]!)).toEqual({ status: 202, code: 'accepted' })
    expect(told).toEqual(['timeout failed: no answer within 50 ms', 'timeout works', 'store failed: canceling statement due to lock timeout', 'store works'])
    expect(await countReports(db)).toBe(2)
  })

  it('tells once when summing starts failing and once when it works again, and the reports wait meanwhile', async () => {
    let broken = false
    const flaky: Database = {
      ...db,
      query: (text, params) => (broken ? Promise.reject(new Error('connection lost')) : db.query(text, params)),
      transaction: (work) => (broken ? Promise.reject(new Error('connection lost')) : db.transaction(work)),
    }
    const told: string[] = []
    const ingest = createIngest(flaky, codec, {
      now: () => NOW,
      sumEveryMs: 10,
      onStorageFailed: (what, error) => told.push(`${what} failed: ${(error as Error).message}`),
      onStorageRecovered: (what) => told.push(`${what} works`),
    })
    const [body] = reportBodies(1, { day: DAY, seed: 11 })
    expect((await ingest.submit('10.0.0.11', body!)).status).toBe(202)
    broken = true
    // Several failed passes, one a 10 ms.
    await new Promise((wake) => setTimeout(wake, 120))
    expect(told).toEqual(['sum failed: connection lost'])
    broken = false
    await ingest.close()
    expect(told).toEqual(['sum failed: connection lost', 'sum works'])
    expect(await total(db)).toBe(1)
  })

  it('stops summing once closed, also when its last pass failed, so nothing queries the database closed after it', async () => {
    let broken = false
    let afterClose = 0
    let closed = false
    const use = <T>(run: () => Promise<T>) => {
      if (closed) afterClose++
      return broken ? Promise.reject(new Error('connection lost')) : run()
    }
    const flaky: Database = {
      ...db,
      query: (text, params) => use(() => db.query(text, params)),
      transaction: (work) => use(() => db.transaction(work)),
    }
    const ingest = createIngest(flaky, codec, { now: () => NOW, sumEveryMs: 20 })
    const [body] = reportBodies(1, { day: DAY, seed: 10 })
    broken = false
    expect((await ingest.submit('10.0.0.10', body!)).status).toBe(202)
    broken = true
    await expect(ingest.close()).rejects.toThrow('connection lost')
    closed = true
    await new Promise((wake) => setTimeout(wake, 200))
    // A pass every 20 ms (5 s by default) on the closed database, for as long as the program runs.
    expect(afterClose).toBe(0)
    // Nothing is lost: the report waits on the unsummed list for the next start.
    expect(await countReports(db)).toBe(1)
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM seglet_unsummed'))[0]!.n).toBe(1)
  })

  // The rate limit is per address: a flood from many addresses (a proxy pool) would grow the stored reports, and
  // the sums they add to, until the disk is full. A cap per UTC day bounds it; what was stored stays as it was.
  it('stores at most maxReportsPerDay reports a UTC day, refuses the rest with 503 and Retry-After, and takes reports again the next day', async () => {
    let now = NOW
    const capped: string[] = []
    const ingest = createIngest(db, codec, { now: () => now, maxReportsPerDay: 25, maxBatch: 10, onCapped: (day) => capped.push(day) })
    const bodies = reportBodies(40, { day: DAY, seed: 12 })
    const outcomes = await Promise.all(bodies.slice(0, 30).map((body, i) => ingest.submit(`10.3.0.${i}`, body)))
    expect(outcomes.filter((o) => o.status === 202)).toHaveLength(25)
    // Twelve hours before midnight UTC.
    expect(outcomes.slice(25)).toEqual(Array(5).fill({ status: 503, code: 'reports_capped', retryAfter: 43_200 }))
    expect(await ingest.submit('10.3.1.1', bodies[30]!)).toMatchObject({ status: 503, code: 'reports_capped' })
    await ingest.flush()
    expect(await countReports(db)).toBe(25)
    expect(await total(db)).toBe(25)
    expect(ingest.counts).toMatchObject({ accepted: 25, reports_capped: 6 })
    expect(capped).toEqual(['2026-11-30'])
    now += 43_200_000
    expect((await ingest.submit('10.3.1.2', bodies[31]!)).status).toBe(202)
    await ingest.flush()
    expect(await countReports(db)).toBe(26)
    expect(await total(db)).toBe(26)
  })

  // Each pack id (with its leaf counts and ε) adds its own rows to the daily sums, kept for good: a flood of
  // made-up pack ids would grow them without end. Packs the sums hold, and the shipped and published ones, are
  // always taken; at most maxNewPacksPerDay others a UTC day.
  it('accepts reports of at most maxNewPacksPerDay new packs a UTC day, and of known packs whatever the count', async () => {
    let now = NOW
    const context = (packId: string, segmentLeaves = 4) => ({ packId, segmentLeaves, valueLeaves: 4 })
    const bodies = (packId: string, seed: number, segmentLeaves = 4) => reportBodies(2, { day: DAY, seed, context: context(packId, segmentLeaves) })
    const before = createIngest(db, codec, { now: () => now })
    expect((await before.submit('10.5.0.1', bodies('stored@1', 20)[0]!)).status).toBe(202)
    await before.flush()

    const capped: string[] = []
    const ingest = createIngest(db, codec, { now: () => now, maxNewPacksPerDay: 2, knownPacks: [context('shipped@1')], onPacksCapped: (day) => capped.push(day) })
    let address = 0
    const submit = (body: string) => ingest.submit(`10.5.1.${++address}`, body)
    for (const [packId, seed] of [['stored@1', 21], ['shipped@1', 22], ['new@1', 23], ['new@2', 24]] as const) {
      expect(await submit(bodies(packId, seed)[0]!), packId).toEqual({ status: 202, code: 'accepted' })
    }
    // Twelve hours before midnight UTC; another leaf count is another pack.
    expect(await submit(bodies('new@3', 25)[0]!)).toEqual({ status: 503, code: 'packs_capped', retryAfter: 43_200 })
    expect(await submit(bodies('stored@1', 26, 5)[0]!)).toMatchObject({ status: 503, code: 'packs_capped' })
    for (const [packId, seed] of [['stored@1', 21], ['shipped@1', 22], ['new@1', 23], ['new@2', 24]] as const) {
      expect((await submit(bodies(packId, seed)[1]!)).status, packId).toBe(202)
    }
    await ingest.flush()
    const packs = async () => [...new Set((await readSums(db, '2026-01-01', '2026-12-31')).map((r) => `${r.packId}/${r.segmentLeaves}`))].sort()
    expect(await packs()).toEqual(['new@1/4', 'new@2/4', 'shipped@1/4', 'stored@1/4'])
    expect(ingest.counts).toMatchObject({ accepted: 8, packs_capped: 2 })
    expect(capped).toEqual(['2026-11-30'])
    now += 43_200_000
    expect((await submit(bodies('new@3', 25)[0]!)).status).toBe(202)
    await ingest.flush()
    expect(await packs()).toContain('new@3/4')
  })

  it('gives a failed write its places under maxReportsPerDay back', async () => {
    let broken = true
    const flaky: Database = {
      ...db,
      query: (text, params) => (broken ? Promise.reject(new Error('disk full')) : db.query(text, params)),
    }
    const ingest = createIngest(flaky, codec, { now: () => NOW, maxReportsPerDay: 3 })
    const bodies = reportBodies(3, { day: DAY, seed: 13 })
    const failed = await Promise.all(bodies.map((body, i) => ingest.submit(`10.4.0.${i}`, body)))
    expect(failed.every((o) => o.code === 'storage_failed')).toBe(true)
    broken = false
    const retried = await Promise.all(bodies.map((body, i) => ingest.submit(`10.4.0.${i}`, body)))
    expect(retried.every((o) => o.status === 202)).toBe(true)
    expect(await countReports(db)).toBe(3)
  })

  it('adds reports a stopped process stored but had not summed, exactly once, when the next one starts', async () => {
    const first = createIngest(db, codec, { now: () => NOW, sumEveryMs: 60_000 })
    const bodies = reportBodies(30, { day: DAY, seed: 11 })
    await Promise.all(bodies.map((body, i) => first.submit(`10.2.0.${i}`, body)))
    // The first process stops here, before its sums pass.
    expect(await countReports(db)).toBe(30)
    expect(await total(db)).toBe(0)
    const second = createIngest(db, codec, { now: () => NOW })
    await second.flush()
    expect(await total(db)).toBe(30)
    await first.flush()
    await second.flush()
    expect(await total(db)).toBe(30)
  })
})
