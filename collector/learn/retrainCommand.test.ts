// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Database } from '../storage/types'
import { DATABASE_TARGETS } from '../testing/databases'

// The database a retrain opens, made to fail from its `failAfter`-th query on (PostgreSQL gone away mid-way).
const state = vi.hoisted(() => ({ failAfter: Infinity, queries: 0, closed: false }))
vi.mock('../storage/openDatabase', async (importOriginal) => {
  const original = await importOriginal<typeof import('../storage/openDatabase')>()
  return {
    openDatabase: async (location: string): Promise<Database> => {
      const db = await original.openDatabase(location)
      const fail = () => {
        if (++state.queries > state.failAfter) throw new Error('Connection terminated unexpectedly')
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

afterEach(() => {
  state.failAfter = Infinity
  state.queries = 0
  state.closed = false
  vi.restoreAllMocks()
})

describe.each(DATABASE_TARGETS)('a retrain on $name', (target) => {
  it('says in one line that the database failed, exits 1 and closes it, when the database goes away mid-way', async () => {
    const { main } = await import('../main')
    const location = await target.location()
    // Once at the start (the migration), once mid-way (reading the answers).
    for (const failAfter of [0, 3]) {
      const errors: string[] = []
      vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
      vi.spyOn(console, 'log').mockImplementation(() => {})
      state.failAfter = failAfter
      state.queries = 0
      state.closed = false
      expect(await main(['retrain', '--database', location, '--pack', 'src/models/session.json']), String(failAfter)).toBe(1)
      expect(errors).toEqual([expect.stringMatching(/^seglet collector retrain: database: Connection terminated unexpectedly[^\n]*$/)])
      expect(state.closed).toBe(true)
      vi.restoreAllMocks()
    }
  }, 300_000)
})
