// @vitest-environment node
import { request, type Server } from 'node:http'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { countReports } from '../storage/countReports'
import { migrate } from '../storage/migrate'
import { SQL } from '../storage/sql'
import { openDatabase } from '../storage/openDatabase'
import type { Database } from '../storage/types'
import { DATABASE_TARGETS } from '../testing/databases'
import { reportBodies, TEST_PAGE_KEYS } from '../testing/reports'
import { createCollector } from './createCollector'
import { createCollectorServer } from './createCollectorServer'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const DAY = '2026-11-29'

/**
 * A TCP proxy in front of PostgreSQL that can go silent: paused, it keeps every connection open and forwards
 * nothing either way (a network that drops packets, a database host that froze); resumed, it forwards what it held.
 */
async function silenceableProxy(target: { host: string; port: number }) {
  let paused = false
  const held: Array<() => void> = []
  const sockets = new Set<Socket>()
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk: Buffer) => (paused ? held.push(() => to.write(chunk)) : to.write(chunk)))
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => (client.destroy(), upstream.destroy(), sockets.delete(socket)))
    }
    forward(client, upstream)
    forward(upstream, client)
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  return {
    port: (server.address() as AddressInfo).port,
    pause: () => void (paused = true),
    resume: () => {
      paused = false
      for (const send of held.splice(0)) send()
    },
    close: () => new Promise<void>((closed) => (sockets.forEach((s) => s.destroy()), server.close(() => closed()))),
  }
}

const postgres = DATABASE_TARGETS.find((target) => target.name === 'postgres')

describe.runIf(postgres)('collector over a PostgreSQL that goes silent', () => {
  let proxy: Awaited<ReturnType<typeof silenceableProxy>>
  let db: Database
  let server: Server
  let collector: ReturnType<typeof createCollector>
  let port: number
  // The same schema, straight to PostgreSQL rather than through the proxy.
  let directUrl: string
  beforeAll(async () => {
    const location = new URL(await postgres!.location())
    directUrl = location.href
    proxy = await silenceableProxy({ host: location.hostname, port: Number(location.port || 5432) })
    location.hostname = '127.0.0.1'
    location.port = String(proxy.port)
    db = await openDatabase(location.href)
    await migrate(db)
    collector = createCollector(db, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), {
      now: () => NOW,
      batch: { maxDelayMs: 1 },
      healthTimeoutMs: 300,
      onStorageFailed: () => {},
      onStorageRecovered: () => {},
    })
    server = createCollectorServer(collector.listener)
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
    port = (server.address() as AddressInfo).port
  }, 60_000)
  afterAll(async () => {
    proxy?.resume()
    await collector?.close()
    await new Promise((closed) => (server ? server.close(closed) : closed(undefined)))
    await db?.close()
    await proxy?.close()
  })

  const send = (method: string, path: string, body?: string, to = port) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((done, fail) => {
      const headers = body === undefined ? {} : { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-site': 'same-origin' }
      const req = request({ host: '127.0.0.1', port: to, method, path, headers }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: text }))
      })
      req.on('error', fail)
      req.end(body)
    })

  it('answers its health check 503 while the database is silent, and stores each report held meanwhile once it answers again', async () => {
    const [first, second] = reportBodies(2, { day: DAY, seed: 71 })
    expect((await send('POST', '/seglet/reports', first)).status).toBe(202)
    expect((await send('GET', '/seglet/health')).status).toBe(200)
    proxy.pause()
    // Sent while the database says nothing: within its report timeout it waits, neither refused nor acknowledged.
    let posted: { status: number } | undefined
    const posting = send('POST', '/seglet/reports', second).then((answer) => (posted = answer))
    for (let i = 0; i < 2; i++) {
      const check = await send('GET', '/seglet/health')
      expect([check.status, JSON.parse(check.body)]).toEqual([503, { status: 'failing', error: 'storage_timeout' }])
      expect(check.headers['cache-control']).toBe('no-store')
      expect(check.headers['x-content-type-options']).toBe('nosniff')
    }
    expect(posted).toBeUndefined()
    proxy.resume()
    expect((await posting).status).toBe(202)
    expect((await send('GET', '/seglet/health')).status).toBe(200)
    expect(await countReports(db)).toBe(2)
  }, 30_000)

  it('answers the dashboard\'s read of the insights 503 storage_timeout with a Retry-After while the database is silent, and the figures once it answers', async () => {
    const reading = createCollector(db, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), {
      now: () => NOW,
      batch: { maxDelayMs: 1 },
      readTimeoutMs: 300,
      onStorageFailed: () => {},
      onStorageRecovered: () => {},
    })
    const readingServer = createCollectorServer(reading.listener)
    await new Promise<void>((listening) => readingServer.listen(0, '127.0.0.1', listening))
    const to = (readingServer.address() as AddressInfo).port
    try {
      const stored = await countReports(db)
      proxy.pause()
      for (let i = 0; i < 2; i++) {
        const read = await send('GET', '/seglet/insights.json', undefined, to)
        expect([read.status, JSON.parse(read.body).error]).toEqual([503, 'storage_timeout'])
        expect(read.headers['retry-after']).toBe('1')
        expect(read.headers['cache-control']).toBe('no-store')
      }
      proxy.resume()
      await expect.poll(async () => (await send('GET', '/seglet/insights.json', undefined, to)).status).toBe(200)
      expect(JSON.parse((await send('GET', '/seglet/insights.json', undefined, to)).body).reports).toBe(stored)
    } finally {
      proxy.resume()
      await reading.close()
      await new Promise((closed) => readingServer.close(closed))
    }
  }, 30_000)

  it('lets go of reports past its report timeout: one never sent is refused 503, one whose write was sent is left unanswered and stored once it lands', async () => {
    const stored = await countReports(db)
    // Told when a batch's write is sent to the database.
    let onWrite = () => {}
    const watched: Database = { ...db, query: (text, params) => (text === SQL.insertUnsummedReports && onWrite(), db.query(text, params)) }
    const bounded = createCollector(watched, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), {
      now: () => NOW,
      batch: { maxDelayMs: 1 },
      reportTimeoutMs: 300,
      onStorageFailed: () => {},
      onStorageRecovered: () => {},
    })
    const boundedServer = createCollectorServer(bounded.listener)
    await new Promise<void>((listening) => boundedServer.listen(0, '127.0.0.1', listening))
    const to = (boundedServer.address() as AddressInfo).port
    try {
      const [warm, first, second] = reportBodies(3, { day: DAY, seed: 72 })
      // Its first report reads the packs the sums hold, before the database goes silent.
      expect((await send('POST', '/seglet/reports', warm, to)).status).toBe(202)
      proxy.pause()
      const reached = new Promise<void>((resolve) => (onWrite = resolve))
      const inFlight = send('POST', '/seglet/reports', first, to).then(
        (answer) => answer.status,
        (error: NodeJS.ErrnoException) => error.code,
      )
      await reached
      // Behind the write under way: never sent, so refused, and the browser tells it failed.
      const queued = await send('POST', '/seglet/reports', second, to)
      expect([queued.status, JSON.parse(queued.body)]).toEqual([503, { error: 'storage_timeout' }])
      // Its write reached the database, which may store it: no answer (the browser tells it as not confirmed).
      expect(await inFlight).toBe('ECONNRESET')
      proxy.resume()
      await bounded.ingest.flush()
      expect(await countReports(db)).toBe(stored + 2)
      expect((await send('POST', '/seglet/reports', first, to)).status).toBe(409)
      expect((await send('POST', '/seglet/reports', second, to)).status).toBe(202)
      expect(await countReports(db)).toBe(stored + 3)
    } finally {
      proxy.resume()
      await bounded.close()
      await new Promise((closed) => boundedServer.close(closed))
    }
  }, 30_000)

  it('tells the operator that the database answered when a write it held past the report timeout ends in an error, then that it cannot store reports', async () => {
    // Straight to PostgreSQL, past the proxy: a migration that holds the reports' table, and the cancel of the write.
    const direct = await openDatabase(directUrl)
    const events: string[] = []
    const held = createCollector(db, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), {
      now: () => NOW,
      batch: { maxDelayMs: 1 },
      reportTimeoutMs: 300,
      onStorageFailed: (what, error) => events.push(`failed ${what}: ${(error as Error).message}`),
      onStorageRecovered: (what) => events.push(`recovered ${what}`),
    })
    const heldServer = createCollectorServer(held.listener)
    await new Promise<void>((listening) => heldServer.listen(0, '127.0.0.1', listening))
    const to = (heldServer.address() as AddressInfo).port
    let release = () => {}
    let locking: Promise<void> | undefined
    try {
      const stored = await countReports(db)
      const [warm, first, second] = reportBodies(3, { day: DAY, seed: 73 })
      expect((await send('POST', '/seglet/reports', warm, to)).status).toBe(202)
      const locked = new Promise<void>((resolve) => {
        locking = direct.transaction(async (tx) => {
          await tx.query('LOCK TABLE seglet_reports IN ACCESS EXCLUSIVE MODE')
          resolve()
          await new Promise<void>((released) => (release = released))
        })
      })
      await locked
      // The write waits for the lock: to the collector, a database that says nothing.
      const inFlight = send('POST', '/seglet/reports', first, to).then(
        (answer) => answer.status,
        (error: NodeJS.ErrnoException) => error.code,
      )
      expect(await inFlight).toBe('ECONNRESET')
      expect(events).toEqual(['failed timeout: no answer within 300 ms'])
      // Then it answers, with an error: the waiting write is cancelled (as a lock_timeout or an operator would).
      const cancelled = await direct.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity, pg_cancel_backend(pid) WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO seglet_reports%'`,
      )
      expect(cancelled[0]!.n).toBe(1)
      // (Not flush(): it also sums, which waits for the lock.)
      await expect.poll(() => events.length).toBeGreaterThan(1)
      expect(events).toEqual(['failed timeout: no answer within 300 ms', 'recovered timeout', 'failed store: canceling statement due to user request'])
      release()
      await locking
      // Nothing of the cancelled write was stored, nor kept as seen: the same body sent again is taken, not a replay.
      expect((await send('POST', '/seglet/reports', first, to)).status).toBe(202)
      expect((await send('POST', '/seglet/reports', second, to)).status).toBe(202)
      expect(events).toEqual(['failed timeout: no answer within 300 ms', 'recovered timeout', 'failed store: canceling statement due to user request', 'recovered store'])
      expect(await countReports(db)).toBe(stored + 3)
    } finally {
      release()
      await locking?.catch(() => {})
      await held.close()
      await new Promise((closed) => heldServer.close(closed))
      await direct.close()
    }
  }, 30_000)
})
