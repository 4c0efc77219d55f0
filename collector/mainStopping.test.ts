// @vitest-environment node
import { afterEach, expect, it, vi } from 'vitest'
import type { Database } from './storage/types'
import { reportBodies } from './testing/reports'

// The database the collector opens, made to fail once `failing` is set (PostgreSQL gone away while it runs).
const state = vi.hoisted(() => ({ failing: false, closed: false }))
vi.mock('./storage/openDatabase', async (importOriginal) => {
  const original = await importOriginal<typeof import('./storage/openDatabase')>()
  return {
    openDatabase: async (location: string): Promise<Database> => {
      const db = await original.openDatabase(location)
      const fail = () => {
        if (state.failing) throw new Error('Connection terminated unexpectedly')
      }
      return {
        kind: db.kind,
        query: async (text, params) => (fail(), db.query(text, params)),
        transaction: async (work) => (fail(), db.transaction(work)),
        close: async () => {
          state.closed = true
          await db.close()
        },
      }
    },
  }
})

afterEach(() => vi.restoreAllMocks())

it('stops with one line and closes the database when the reports it stored cannot be summed on the way out', async () => {
  const { main } = await import('./main')
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  let listening = (_base: string) => {}
  const ready = new Promise<string>((resolve) => (listening = resolve))
  vi.spyOn(console, 'log').mockImplementation((line) => {
    const match = /^seglet collector listening on (\S+)/.exec(String(line))
    if (match) listening(match[1]!)
  })
  const before = new Set(process.listeners('SIGTERM'))
  const stopped = main(['--database', 'memory:', '--port', '0'])
  const base = await ready
  const stop = process.listeners('SIGTERM').find((l) => !before.has(l))!
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
