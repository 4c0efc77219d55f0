// The first start on a new embedded store. PGlite is its own class, with a record of each instance made in the test's
// process: whether the store's folder already held a database then, whether it was closed, whether it answered.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { EMBEDDED_TEMPLATE_VARIABLE } from './embeddedTemplate'
import { migrate } from './migrate'
import { openDatabase } from './openDatabase'
import { readSetting, writeSetting } from './settings'
import { MIGRATIONS } from './sql'

interface Made {
  foundStore: boolean
  closed: boolean
  answered: number
}
const made = vi.hoisted(() => [] as Made[])

vi.mock('@electric-sql/pglite', async (importOriginal) => {
  const real = await importOriginal<typeof import('@electric-sql/pglite')>()
  class PGlite extends real.PGlite {
    constructor(...args: ConstructorParameters<typeof real.PGlite>) {
      super(...args)
      const dataDir = typeof args[0] === 'string' ? args[0] : undefined
      const record: Made = { foundStore: dataDir !== undefined && existsSync(join(dataDir, 'PG_VERSION')), closed: false, answered: 0 }
      made.push(record)
      const [query, transaction, close] = [this.query.bind(this), this.transaction.bind(this), this.close.bind(this)]
      this.query = ((...a: Parameters<typeof query>) => (record.answered++, query(...a))) as typeof query
      this.transaction = ((...a: Parameters<typeof transaction>) => (record.answered++, transaction(...a))) as typeof transaction
      this.close = () => ((record.closed = true), close())
    }
  }
  return { ...real, PGlite }
})

let parent: string
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'seglet-first-start-'))
  made.length = 0
})
afterEach(() => {
  rmSync(parent, { recursive: true, force: true })
  vi.unstubAllEnvs()
})

it('serves a store it has just made with initdb from an instance that opened it as it was written, as the next start does', async () => {
  vi.stubEnv(EMBEDDED_TEMPLATE_VARIABLE, undefined)
  const dir = join(parent, 'db')
  const db = await openDatabase(dir)
  expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version))
  await writeSetting(db, 'k', 'first start')
  // The instance that answers found the store made: the one that ran initdb, and kept its memory, is not this one.
  expect(made.filter((m) => m.answered > 0)).toEqual([{ foundStore: true, closed: false, answered: expect.any(Number) }])
  expect(made.filter((m) => !m.foundStore).every((m) => m.closed)).toBe(true)
  await db.close()
  expect(made.every((m) => m.closed)).toBe(true)
  // Nothing of the first start is lost: the next start finds the schema and what was written.
  const again = await openDatabase(dir)
  expect(await migrate(again)).toEqual([])
  expect(await readSetting(again, 'k')).toBe('first start')
  await again.close()
}, 120_000)
