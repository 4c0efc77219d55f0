// @vitest-environment node
import { createServer, request, Agent } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterEach, expect, it, vi } from 'vitest'
import type { Database } from './storage/types'
import { reportBodies } from './testing/reports'

// The database the collector opens, made to fail once `failing` is set (PostgreSQL gone away while it runs).
const state = vi.hoisted(() => ({ silent: false, failing: false, closed: false, keepOpen: undefined as Database | null | undefined, hold: undefined as Promise<void> | undefined, held: () => {}, transactions: 0, opened: 0 }))
vi.mock('./storage/openDatabase', async (importOriginal) => {
  const original = await importOriginal<typeof import('./storage/openDatabase')>()
  return {
    openDatabase: async (location: string): Promise<Database> => {
      state.opened++
      const db = await original.openDatabase(location)
      const fail = () => {
        if (state.failing) throw new Error('Connection terminated unexpectedly')
      }
      // A network that drops packets: no answer, and no error either.
      const silence = () => (state.silent ? new Promise<never>(() => {}) : undefined)
      return {
        kind: db.kind,
        query: async (text, params) => (await silence(), fail(), db.query(text, params)),
        transaction: async (work) => {
          await silence()
          fail()
          state.transactions++
          if (state.hold) {
            // A long start-up step (summing what a previous run stored, re-estimating): held until the test lets go.
            state.held()
            await state.hold
          }
          return db.transaction(work)
        },
        close: async () => {
          state.closed = true
          // Kept open for the test to read what was stored (an in-memory store is gone once closed).
          if (state.keepOpen === null) return void (state.keepOpen = db)
          await db.close()
        },
      }
    },
  }
})

afterEach(() => vi.restoreAllMocks())

/** Starts the collector on a free port: its address once it listens, its run, and the stop it listens for. */
async function startListening(extra: string[] = []): Promise<{ base: string; stopped: Promise<number>; stop: (signal: NodeJS.Signals) => void }> {
  const { main } = await import('./main')
  let listening = (_base: string) => {}
  const ready = new Promise<string>((resolve) => (listening = resolve))
  vi.spyOn(console, 'log').mockImplementation((line) => {
    const match = /^seglet collector listening on (\S+)/.exec(String(line))
    if (match) listening(match[1]!)
  })
  const before = new Set(process.listeners('SIGTERM'))
  const stopped = main(['--database', 'memory:', '--port', '0', ...extra])
  const base = await ready
  const stop = process.listeners('SIGTERM').find((l) => !before.has(l))! as (signal: NodeJS.Signals) => void
  return { base, stopped, stop }
}

it('stops with one line and closes the database when the reports it stored cannot be summed on the way out', async () => {
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  const { base, stopped, stop } = await startListening()
  // Stored, not yet summed (the summing pass waits a few seconds).
  const [body] = reportBodies(1, { day: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) })
  const response = await fetch(`${base}/seglet/reports`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' } })
  expect(response.status).toBe(202)
  state.failing = true
  stop('SIGTERM')
  expect(await stopped).toBe(1)
  expect(errors).toEqual([expect.stringMatching(/^seglet collector: database: Connection terminated unexpectedly[^\n]*$/)])
  expect(state.closed).toBe(true)
}, 300_000)

it('stops with one line when the database no longer answers at all', async () => {
  const { STOP_DATABASE_MS } = await import('./main')
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  state.failing = false
  const { base, stopped, stop } = await startListening()
  try {
    // Stored, not yet summed: the stop's summing pass then asks the database, which says nothing.
    const [body] = reportBodies(1, { day: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), seed: 7 })
    const response = await fetch(`${base}/seglet/reports`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' } })
    expect(response.status).toBe(202)
    state.silent = true
    const started = Date.now()
    stop('SIGTERM')
    expect(await stopped).toBe(1)
    expect(Date.now() - started).toBeLessThan(STOP_DATABASE_MS + 2_000)
    expect(errors).toEqual([`seglet collector: the database did not answer within ${STOP_DATABASE_MS / 1000} s of the stop: stopping without it (reports not yet summed are summed at the next start)`])
  } finally {
    state.silent = false
  }
}, 60_000)

it('closes the database and stops when told to stop while it starts (summing or re-estimating), before it takes reports', async () => {
  const { main } = await import('./main')
  const errors: string[] = []
  const logs: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  vi.spyOn(console, 'log').mockImplementation((...args) => void logs.push(args.join(' ')))
  state.failing = false
  state.closed = false
  let release = () => {}
  state.hold = new Promise<void>((resolve) => (release = resolve))
  const reached = new Promise<void>((resolve) => (state.held = resolve))
  const before = new Set(process.listeners('SIGTERM'))
  const stopped = main(['--database', 'memory:', '--port', '0'])
  // Started and still starting (a start-up that ended some other way fails here, rather than waiting).
  expect(await Promise.race([reached.then(() => 'starting'), stopped])).toBe('starting')
  const stop = process.listeners('SIGTERM').find((l) => !before.has(l))
  expect(stop).toBeDefined()
  const transactions = state.transactions
  stop!('SIGTERM')
  state.hold = undefined
  release()
  expect(await stopped).toBe(0)
  // The step under way finished; no other began, and the database was closed.
  expect(state.transactions).toBe(transactions)
  expect(state.closed).toBe(true)
  expect(logs.filter((l) => l.includes('listening'))).toEqual([])
  expect(errors).toEqual([])
  expect(process.listeners('SIGTERM').filter((l) => !before.has(l))).toEqual([])
  expect(process.listeners('SIGINT').length).toBe(new Set(process.listeners('SIGINT')).size)
}, 300_000)

it('refuses a taken port at once, without opening the store', async () => {
  const { main } = await import('./main')
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  vi.spyOn(console, 'log').mockImplementation(() => {})
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  const port = (taken.address() as AddressInfo).port
  const opened = state.opened
  try {
    expect(await main(['--database', 'memory:', '--port', String(port)])).toBe(1)
  } finally {
    await new Promise((resolve) => taken.close(resolve))
  }
  expect(state.opened).toBe(opened)
  expect(errors).toEqual([`seglet collector: cannot listen on 127.0.0.1:${port}: the port is in use; stop what uses it, or pick another port with --port ${port + 1}`])
}, 60_000)

it('holds its port while it starts, answering 503 starting (health and reports alike) until it can take reports', async () => {
  const { main } = await import('./main')
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  const logs: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...args) => void logs.push(args.join(' ')))
  // A port free a moment ago, for the collector to take.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
  let release = () => {}
  state.hold = new Promise<void>((resolve) => (release = resolve))
  const reached = new Promise<void>((resolve) => (state.held = resolve))
  const before = new Set(process.listeners('SIGTERM'))
  const stopped = main(['--database', 'memory:', '--port', String(port)])
  expect(await Promise.race([reached.then(() => 'starting'), stopped.then((code) => [code, errors])])).toBe('starting')
  const base = `http://127.0.0.1:${port}`
  for (const [method, path] of [['GET', '/seglet/health'], ['POST', '/seglet/reports']] as const) {
    const answer = await fetch(`${base}${path}`, { method, body: method === 'POST' ? reportBodies(1, { day: new Date().toISOString().slice(0, 10) })[0] : undefined })
    expect(answer.status).toBe(503)
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await answer.json()).toMatchObject({ error: 'starting' })
  }
  expect(logs.filter((l) => l.includes('listening'))).toEqual([])
  state.hold = undefined
  release()
  await vi.waitFor(() => expect(logs.filter((l) => l.includes('listening'))).toHaveLength(1), { timeout: 60_000 })
  expect((await fetch(`${base}/seglet/health`)).status).toBe(200)
  const stop = process.listeners('SIGTERM').find((l) => !before.has(l))! as (signal: NodeJS.Signals) => void
  stop('SIGTERM')
  expect(await stopped).toBe(0)
}, 300_000)

it('keeps an idle keep-alive connection open past the 5 s of Node.js, so a load balancer reusing it gets no 502', async () => {
  const { KEEP_ALIVE_MS } = await import('./main')
  expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000)
  state.failing = false
  state.hold = undefined
  vi.spyOn(console, 'error').mockImplementation(() => {})
  const started = await startListening()
  const base = new URL(started.base)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const get = () =>
    new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, path: '/seglet/health', agent }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }))
      })
      req.on('error', reject)
      req.end()
    })
  try {
    expect(await get()).toEqual({ status: 200, reused: false })
    // Past the default of Node.js (5 s idle, closed within about a second after), where the collector used to close
    // the connection first.
    await new Promise((wake) => setTimeout(wake, 7_000))
    expect(await get()).toEqual({ status: 200, reused: true })
  } finally {
    agent.destroy()
    started.stop('SIGTERM')
    expect(await started.stopped).toBe(0)
  }
}, 300_000)

it('stops within seconds while a client holds a report half sent, and still closes the database', async () => {
  const { STOP_GRACE_MS } = await import('./main')
  state.failing = false
  state.hold = undefined
  state.closed = false
  vi.spyOn(console, 'error').mockImplementation(() => {})
  const started = await startListening()
  const base = new URL(started.base)
  // A client (a phone losing its signal, or someone holding connections open) that sent the headers and part of
  // the body, then nothing: Node.js would keep its request open for 5 minutes.
  const socket = connect(Number(base.port), base.hostname)
  socket.on('error', () => {})
  await new Promise((connected) => socket.once('connect', connected))
  socket.write('POST /seglet/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n{"v":')
  await new Promise((wake) => setTimeout(wake, 300))
  try {
    started.stop('SIGTERM')
    const waited = Date.now()
    const outcome = await Promise.race([started.stopped, new Promise((wake) => setTimeout(() => wake('still running'), STOP_GRACE_MS + 10_000))])
    expect(outcome).toBe(0)
    expect(Date.now() - waited).toBeLessThan(STOP_GRACE_MS + 5_000)
    expect(state.closed).toBe(true)
  } finally {
    socket.destroy()
    await started.stopped
  }
}, 300_000)

it('loses no report to a stop under traffic: each keep-alive client is told to close before its connection is', async () => {
  state.failing = false
  state.hold = undefined
  state.keepOpen = null
  vi.spyOn(console, 'error').mockImplementation(() => {})
  const clients = 200
  const started = await startListening(['--rate-limit', '10000000', '--rate-burst', '10000000', '--max-connections', '5000'])
  const base = new URL(started.base)
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
  let next = 100
  let stopAsked = false
  const statuses: number[] = []
  // A request that got no answer: lost, unless sent on a new connection after the stop (refused, never taken).
  const lost: string[] = []
  let warm = () => {}
  let connected = 0
  const warmed = new Promise<void>((resolve) => (warm = resolve))
  // A client as the SDK's own fetch keeps it: one keep-alive connection, reused for each next report, until an
  // answer says `Connection: close`.
  const client = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    let first = true
    try {
      for (;;) {
        // Each report a new one, mostly (the collector refuses with 409 one it already stored today).
        const [body] = reportBodies(1, { day, seed: next++ }) as [string]
        const outcome = await new Promise<{ status: number; close: boolean } | { error: string }>((resolve) => {
          const req = request({ host: base.hostname, port: base.port, path: '/seglet/reports', method: 'POST', agent, headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', 'content-length': Buffer.byteLength(body) } }, (res) => {
            res.resume()
            res.on('end', () => resolve({ status: res.statusCode!, close: res.headers.connection === 'close' }))
          })
          req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: `${error.code ?? error.message}${req.reusedSocket ? ' on a reused connection' : ''}${stopAsked ? ' after the stop' : ' before the stop'}` }))
          req.end(body)
        })
        if ('error' in outcome) {
          if (!(stopAsked && outcome.error.startsWith('ECONNREFUSED'))) lost.push(outcome.error)
          return
        }
        statuses.push(outcome.status)
        // The stop comes once every client has its connection (a connection asked for after it is refused).
        if (first && ++connected === clients) warm()
        first = false
        if (outcome.close) return
        await new Promise((wake) => setTimeout(wake, 5))
      }
    } finally {
      agent.destroy()
    }
  }
  const running = Array.from({ length: clients }, client)
  await warmed
  stopAsked = true
  started.stop('SIGTERM')
  await Promise.all(running)
  expect(await started.stopped).toBe(0)
  const db = state.keepOpen as Database | null
  state.keepOpen = undefined
  expect(db).not.toBeNull()
  try {
    expect(lost).toEqual([])
    const accepted = statuses.filter((s) => s === 202).length
    expect(accepted).toBeGreaterThan(clients - 1)
    // 409: the same body was already stored today (two seeds can make the same report): answered, nothing lost.
    expect(statuses.filter((s) => s !== 202 && s !== 409)).toEqual([])
    // Every report answered 202 is stored.
    const [row] = await db!.query<{ n: number | string }>('SELECT count(*) AS n FROM seglet_reports')
    expect(Number(row!.n)).toBe(accepted)
  } finally {
    await db!.close()
  }
}, 120_000)
