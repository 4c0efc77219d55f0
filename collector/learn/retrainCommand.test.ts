// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Database } from '../storage/types'
import { DATABASE_TARGETS } from '../testing/databases'

// The database a retrain opens, made to fail from its `failAfter`-th query on (PostgreSQL gone away mid-way).
const state = vi.hoisted(() => ({ failAfter: Infinity, queries: 0, closed: false, hold: undefined as Promise<void> | undefined, holdFrom: 0, transactions: 0, held: () => {} }))
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
        transaction: async (work) => {
          fail()
          if (state.hold && ++state.transactions >= state.holdFrom) {
            // A long step (summing what the collector stored): held until the test lets go.
            state.held()
            await state.hold
          }
          return db.transaction(work)
        },
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

it('closes the database and says it stopped, publishing nothing, when told to stop mid-way', async () => {
  const { main } = await import('../main')
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  vi.spyOn(console, 'log').mockImplementation(() => {})
  let release = () => {}
  const before = new Set(process.listeners('SIGTERM'))
  const reached = new Promise<void>((resolve) => (state.held = resolve))
  state.hold = new Promise<void>((resolve) => (release = resolve))
  state.holdFrom = 2
  // Past the migration: held in the retrain's own summing pass.
  const stopped = main(['retrain', '--database', 'memory:', '--pack', 'src/models/session.json'])
  expect(await Promise.race([reached.then(() => 'retraining'), stopped])).toBe('retraining')
  const stop = process.listeners('SIGTERM').find((l) => !before.has(l))
  expect(stop).toBeDefined()
  stop!('SIGTERM')
  const queries = state.queries
  state.hold = undefined
  release()
  expect(await stopped).toBe(1)
  expect(state.queries).toBe(queries)
  expect(errors).toEqual([expect.stringMatching(/^seglet collector retrain: stopped before it finished; nothing was published[^\n]*$/)])
  expect(state.closed).toBe(true)
  expect(process.listeners('SIGTERM').filter((l) => !before.has(l))).toEqual([])
}, 300_000)

it('names the option meant when one is misspelt, and exits 2 without opening the database', async () => {
  const { main } = await import('../main')
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((line) => void errors.push(String(line)))
  expect(await main(['retrain', '--database', 'memory:', '--min-answer', '5'])).toBe(2)
  expect(errors).toEqual(["seglet collector retrain: Unknown option '--min-answer' — did you mean '--min-answers'? (see --help)"])
  expect(state.queries).toBe(0)
})

it('says of a negative number what it says of any value out of range, and refuses a --database of another scheme, without opening it', async () => {
  const { main } = await import('../main')
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((line) => void errors.push(String(line)))
  expect(await main(['retrain', '--database', 'memory:', '--window-days', '-1'])).toBe(2)
  expect(await main(['retrain', '--database', 'memory:', '--epsilon', '2.005'])).toBe(2)
  expect(await main(['retrain', '--database', 'memory:', '--min-answers', 'abc'])).toBe(2)
  expect(await main(['retrain', '--database', 'memory:', '--min-version', '-3'])).toBe(2)
  expect(await main(['retrain', '--database', 'mysql://shop:secret@db/seglet'])).toBe(2)
  expect(errors).toEqual([
    'seglet collector retrain: --window-days must be a whole number from 2 to 366, not "-1"',
    'seglet collector retrain: --epsilon must be 0.1–8 in hundredths, not "2.005"',
    'seglet collector retrain: --min-answers must be a whole number from 1, not "abc"',
    'seglet collector retrain: --min-version must be a whole number from 1, not "-3"',
    'seglet collector retrain: --database takes a folder for the embedded store, memory: or a postgres:// URL, not a mysql:// URL',
  ])
  expect(state.queries).toBe(0)
})

it('says in one line, naming it as typed, that the signing key cannot be read, and exits 1 without opening the database, before any answer is counted', async () => {
  const { main } = await import('../main')
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((line) => void errors.push(String(line)))
  vi.spyOn(console, 'log').mockImplementation(() => {})
  // With no answers the run would wait, and a daily run would wait on, saying nothing of a key it could not sign with.
  expect(await main(['retrain', '--database', 'memory:', '--pack', 'src/models/session.json', '--key', 'keys/missing.key'])).toBe(1)
  expect(errors).toEqual(['seglet collector retrain: cannot read the signing key keys/missing.key: no such file (make one with: npm run collector -- keygen)'])
  expect(state.queries).toBe(0)
})
