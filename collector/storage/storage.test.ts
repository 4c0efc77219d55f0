// @vitest-environment node
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { DATABASE_TARGETS } from '../testing/databases'
import { dropSchemas } from '../testing/globalSetup'
import { SCHEMA_PREFIX_VARIABLE } from '../testing/schemaPrefix'
import { EMBEDDED_TEMPLATE_VARIABLE, TEMPLATE_SHARED_BUFFERS } from './embeddedTemplate'
import { LOCK_STALE_MS, lockStoreFolder } from './lockStoreFolder'
import {
  countReports,
  daysWithReports,
  forEachReportOfDay,
  migrate,
  MIGRATIONS,
  purgeReports,
  readSetting,
  RAW_RETENTION_SETTING,
  readSums,
  replaceSumsOfDay,
  SQL,
  sumPending,
  writeBatch,
  writeSetting,
  type Database,
} from './index'
import { openDatabase } from './openDatabase'

describe.each(DATABASE_TARGETS)('storage on $name', (target) => {
  // One database per target (opening the embedded store takes seconds); each test starts from empty tables.
  let db: Database
  let applied: number[]
  beforeAll(async () => {
    db = await target.open()
    applied = await migrate(db)
  }, 300_000)
  afterAll(() => db?.close())
  beforeEach(async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
  })

  it('applies each migration once, also when run again', async () => {
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version))
    expect(await migrate(db)).toEqual([])
  })

  it('refuses a database a newer collector has migrated, in one line, and changes nothing in it', async () => {
    const newest = Math.max(...MIGRATIONS.map((m) => m.version))
    await db.query(SQL.recordMigration, [newest + 1, 'from a newer collector'])
    try {
      const refusal = await migrate(db).catch((error: unknown) => error)
      expect(refusal).toMatchObject({
        code: 'collector_storage',
        message: `the database's schema is version ${newest + 1}, newer than this collector's ${newest}: a newer Seglet collector has used it; run that version (or a later one) on it`,
      })
    } finally {
      await db.query('DELETE FROM seglet_migrations WHERE version > $1', [newest])
    }
    expect(await migrate(db)).toEqual([])
  })

  it('adds sums across batches and stores raw reports with their day only', async () => {
    const row = (day: string, counter: string, value: number) => ({ day, packId: 'p1', epsilon: 2, segmentLeaves: 4, valueLeaves: 4, counter, value })
    await writeBatch(db, [{ day: '2026-11-28', body: '{"a":1}' }, { day: '2026-11-29', body: '{"a":2}' }], [
      row('2026-11-28', '["x"]', 1),
      row('2026-11-29', '["x"]', 2.5),
    ])
    await writeBatch(db, [{ day: '2026-11-29', body: '{"a":3}' }], [row('2026-11-29', '["x"]', 1), row('2026-11-29', '["y"]', -1)])
    expect(await readSums(db, '2026-11-29', '2026-11-29')).toEqual([row('2026-11-29', '["x"]', 3.5), row('2026-11-29', '["y"]', -1)])
    expect(await countReports(db)).toBe(3)
    expect(await daysWithReports(db)).toEqual(['2026-11-28', '2026-11-29'])
    const bodies: string[] = []
    expect(await forEachReportOfDay(db, '2026-11-29', (body) => bodies.push(body))).toBe(2)
    expect(bodies).toEqual(['{"a":2}', '{"a":3}'])
    const columns = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'seglet_reports' AND table_schema = current_schema()`,
    )
    expect(columns.map((c) => c.column_name).sort()).toEqual(['body', 'day', 'id'])
  })

  it('rolls a failed batch back whole', async () => {
    await expect(
      writeBatch(db, [{ day: '2026-11-29', body: 'x' }], [{ day: 'not a day', packId: 'p', epsilon: 1, segmentLeaves: 4, valueLeaves: 4, counter: 'c', value: 1 }]),
    ).rejects.toThrow()
    expect(await countReports(db)).toBe(0)
  })

  it('purges raw reports past the retention and keeps the sums', async () => {
    const days = ['2026-11-20', '2026-11-27', '2026-11-28', '2026-11-29']
    await writeBatch(db, days.map((day) => ({ day, body: day })), days.map((day) => ({ day, packId: 'p', epsilon: 2, segmentLeaves: 4, valueLeaves: 4, counter: 'c', value: 1 })))
    await purgeReports(db, '2026-11-29', 2)
    expect(await daysWithReports(db)).toEqual(['2026-11-28', '2026-11-29'])
    expect((await readSums(db, '2026-11-01', '2026-11-30')).length).toBe(4)
    await purgeReports(db, '2026-11-29', 0)
    expect(await countReports(db)).toBe(0)
  })

  // The embedded store runs each statement on the collector's only thread: one DELETE of a busy day's reports
  // (200,000 take seconds) held every report and page request until it ended.
  it('purges a day of many reports in parts, letting a report be stored before it ends', async () => {
    await db.query(`INSERT INTO seglet_reports (day, body) SELECT '2026-11-20'::date, 'r' || i FROM generate_series(1, 30000) AS i`)
    let stored = false
    let deletesAfterStore = 0
    let parts = 0
    let markStored!: () => void
    const written = new Promise<void>((resolve) => (markStored = resolve))
    const watched = {
      kind: db.kind,
      query: async <Row>(text: string, params?: unknown[]) => {
        if (text === SQL.deleteReportsBefore) {
          // The second part waits for the report: however fast the machine, the store is then seen to end while the
          // purge has parts left. A purge in one DELETE has no second part, and no delete after the store.
          if (++parts === 2) await written
          if (stored) deletesAfterStore++
        }
        return db.query<Row>(text, params)
      },
    }
    const purging = purgeReports(watched, '2026-11-29', 2)
    await writeBatch(db, [{ day: '2026-11-29', body: 'kept' }], [])
    stored = true
    markStored()
    await purging
    expect(deletesAfterStore).toBeGreaterThan(0)
    expect(await daysWithReports(db)).toEqual(['2026-11-29'])
  })

  // A collector started with --raw-retention-days 0 records it: a retrain or a re-estimate, which sum what is
  // pending without the collector's options, must not leave the raw reports they sum behind until the next purge.
  it('drops each raw report as it is summed, in any summing pass, when the retention in force is 0', async () => {
    const sum = { day: '2026-11-29', packId: 'p', epsilon: 2, segmentLeaves: 4, valueLeaves: 4, counter: 'c', value: 1 }
    await db.query(SQL.insertUnsummedReports, [['2026-11-29', '2026-11-29'], ['{"a":1}', '{"a":2}']])
    expect(await sumPending(db, () => [sum])).toBe(2)
    expect(await countReports(db)).toBe(2)
    await writeSetting(db, RAW_RETENTION_SETTING, '0')
    await db.query(SQL.insertUnsummedReports, [['2026-11-29'], ['{"a":3}']])
    expect(await sumPending(db, () => [sum])).toBe(1)
    expect(await countReports(db)).toBe(2)
    expect(await readSums(db, '2026-11-29', '2026-11-29')).toEqual([{ ...sum, value: 2 }])
  })

  // The embedded store runs no autovacuum: without a VACUUM, the space of purged reports is never reused and the
  // store keeps growing with every report ever received, whatever the retention.
  it.runIf(target.name === 'embedded')('reuses the space of purged raw reports, so the store does not grow past the retention', async () => {
    const size = async () => Number((await db.query<{ size: number }>(`SELECT pg_relation_size('seglet_reports')::bigint AS size`))[0]!.size)
    const sizes: number[] = []
    for (const day of ['2026-11-20', '2026-11-21', '2026-11-22']) {
      await writeBatch(db, Array.from({ length: 3000 }, (_, i) => ({ day, body: `{"a":"${day}-${i}-${'x'.repeat(150)}"}` })), [])
      await purgeReports(db, '2026-11-29', 2)
      sizes.push(await size())
    }
    expect(await countReports(db)).toBe(0)
    expect(sizes[2]).toBeLessThanOrEqual(sizes[0]!)
  })

  // The embedded store never checkpoints by itself while it is open: without one, its write-ahead log would grow with
  // every report received for as long as the collector runs (gigabytes a month at a big shop's traffic).
  it.runIf(target.name === 'embedded')('checkpoints as it purges, so the write-ahead log written before is recycled while the collector runs', async () => {
    const sinceCheckpoint = async () =>
      Number((await db.query<{ bytes: number }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::bigint AS bytes FROM pg_control_checkpoint()`))[0]!.bytes)
    await writeBatch(db, Array.from({ length: 3000 }, (_, i) => ({ day: '2026-11-28', body: `{"a":"${i}-${'x'.repeat(150)}"}` })), [])
    const written = await sinceCheckpoint()
    expect(written).toBeGreaterThan(500_000)
    await purgeReports(db, '2026-11-29', 2)
    expect(await countReports(db)).toBe(3000)
    expect(await sinceCheckpoint()).toBeLessThan(written / 10)
  })

  it('replaces the sums of one day and keeps settings', async () => {
    await writeBatch(db, [], [{ day: '2026-11-29', packId: 'p', epsilon: 2, segmentLeaves: 4, valueLeaves: 4, counter: 'a', value: 5 }])
    await replaceSumsOfDay(db, '2026-11-29', [{ day: '2026-11-29', packId: 'p', epsilon: 2, segmentLeaves: 4, valueLeaves: 4, counter: 'b', value: 7 }])
    expect(await readSums(db, '2026-11-29', '2026-11-29')).toEqual([{ day: '2026-11-29', packId: 'p', epsilon: 2, segmentLeaves: 4, valueLeaves: 4, counter: 'b', value: 7 }])
    expect(await readSetting(db, 'k')).toBeUndefined()
    await writeSetting(db, 'k', 'v1')
    await writeSetting(db, 'k', 'v2')
    expect(await readSetting(db, 'k')).toBe('v2')
  })

  // The connection of a transaction dies (a PostgreSQL restart or failover): the transaction fails, the process
  // goes on, and the next one gets a working connection.
  it.runIf(target.name === 'postgres')('fails a transaction whose connection dies, without crashing, and recovers', async () => {
    const crashes: unknown[] = []
    const onCrash = (error: unknown) => void crashes.push(error)
    process.prependListener('uncaughtException', onCrash)
    try {
      await expect(
        db.transaction(async (tx) => {
          const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
          await db.query('SELECT pg_terminate_backend($1)', [pid])
          await new Promise((done) => setTimeout(done, 300))
          await tx.query('SELECT 1')
        }),
      ).rejects.toThrow()
      await new Promise((done) => setTimeout(done, 100))
      expect(crashes).toEqual([])
      for (let i = 0; i < 6; i++) expect(await db.transaction((tx) => tx.query('SELECT 1 AS one'))).toEqual([{ one: 1 }])
    } finally {
      process.off('uncaughtException', onCrash)
    }
  })
})

describe.runIf(process.env.SEGLET_TEST_DATABASE_URL)('PostgreSQL connections', () => {
  // The connect timeout ends a connection that does not open; a query waiting for one of the pool's connections,
  // busy with other work for longer than that (a summing pass, a re-estimate), waits its turn and runs.
  it('lets a query wait for a busy pool longer than connect_timeout, and runs it', async () => {
    const url = new URL(process.env.SEGLET_TEST_DATABASE_URL!)
    url.searchParams.set('connect_timeout', '1')
    const db = await openDatabase(url.href)
    try {
      const busy = Array.from({ length: 4 }, () => db.query('SELECT pg_sleep(2.5)'))
      await new Promise((done) => setTimeout(done, 200))
      const started = Date.now()
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
      expect(Date.now() - started).toBeGreaterThan(1_500)
      await Promise.all(busy)
    } finally {
      await db.close()
    }
  }, 30_000)

  // A URL's scheme is case-insensitive: one written in capitals is PostgreSQL too, never a folder named after it.
  it('opens PostgreSQL for a postgres:// or postgresql:// URL in any case', async () => {
    for (const scheme of ['POSTGRESQL', 'Postgres']) {
      const db = await openDatabase(process.env.SEGLET_TEST_DATABASE_URL!.replace(/^postgres(ql)?/i, scheme))
      try {
        expect(db.kind).toBe('postgres')
        expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
      } finally {
        await db.close()
      }
    }
  })

  // The test run's schemas carry its prefix (vitest.config.ts) and go once its tests are done; no other schema does.
  it('names the test schemas with the run\'s prefix, whose schemas the global set-up drops with their tables, and only those', async () => {
    const prefix = process.env[SCHEMA_PREFIX_VARIABLE]!
    expect(prefix).toMatch(/^t_[0-9a-f]{8}_$/)
    const url = await DATABASE_TARGETS.find((t) => t.name === 'postgres')!.location()
    const schema = /search_path%3D([a-z0-9_]+)/.exec(url)![1]!
    expect(schema.startsWith(prefix)).toBe(true)
    const inRun = await openDatabase(url)
    await migrate(inRun)
    await inRun.close()
    // Other files of this run are using their schemas now: this drops by the one schema's whole name.
    const other = `${schema}x`.replace(/^t_/, 'u_')
    const db = await openDatabase(process.env.SEGLET_TEST_DATABASE_URL!)
    try {
      await db.query(`CREATE SCHEMA ${other}`)
      await dropSchemas(process.env.SEGLET_TEST_DATABASE_URL, schema)
      const left = await db.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE nspname IN ($1, $2)', [schema, other])
      expect(left).toEqual([{ name: other }])
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS ${other} CASCADE`)
      await db.close()
    }
  })
})

describe('the embedded store in a folder', () => {
  it('refuses in one line, naming --database, a file given where its folder (or a folder above it) should be', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seglet-store-'))
    try {
      writeFileSync(join(parent, 'README.md'), 'a file\n')
      await expect(openDatabase(join(parent, 'README.md'))).rejects.toMatchObject({
        code: 'collector_option',
        message: `--database ${join(parent, 'README.md')} is a file, not a folder; give the folder of the embedded store (made if missing) or a postgres:// URL`,
      })
      await expect(openDatabase(join(parent, 'README.md', 'db'))).rejects.toMatchObject({ code: 'collector_option', message: expect.stringMatching(/^--database .*README\.md\/db is under a file, not a folder; /) })
      expect(readFileSync(join(parent, 'README.md'), 'utf8')).toBe('a file\n')
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })

  // A folder typed by mistake (the project's, a home folder): no store is made among the shop's files.
  it('refuses in one line, naming the folder, one that holds other files and no store, and leaves it as it was; not an empty one, nor one of a store cut short', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seglet-store-'))
    const dir = join(parent, 'site')
    try {
      mkdirSync(join(dir, 'img'), { recursive: true })
      for (const name of ['index.html', 'notes.txt', 'shop.css']) writeFileSync(join(dir, name), 'the shop\'s\n')
      await expect(openDatabase(dir)).rejects.toMatchObject({
        code: 'collector_option',
        message: `--database ${dir} holds other files (img, index.html, notes.txt and 1 more) and no embedded store; give an empty or new folder for the store (made if missing), or the folder of an existing one`,
      })
      rmSync(join(dir, 'img'), { recursive: true })
      for (const name of ['index.html', 'shop.css']) rmSync(join(dir, name))
      await expect(openDatabase(dir)).rejects.toMatchObject({ message: expect.stringMatching(/^--database \S+ holds other files \(notes\.txt\) and no embedded store; /) })
      expect(readdirSync(dir)).toEqual(['notes.txt'])
      expect(existsSync(`${dir}.lock`)).toBe(false)

      // An empty folder is fine, and so is one holding only what a store puts there, without PG_VERSION (a start cut short).
      const empty = join(parent, 'empty')
      mkdirSync(empty)
      const db = await openDatabase(empty)
      await migrate(db)
      await db.close()
      // Every entry a store makes (as the collector leaves it, and while it runs: postmaster.pid), but PG_VERSION.
      const names = readdirSync(empty)
      expect(names).toContain('PG_VERSION')
      const cut = join(parent, 'cut')
      mkdirSync(cut)
      for (const name of [...names.filter((n) => n !== 'PG_VERSION'), 'postmaster.pid']) {
        if (statSync(join(empty, name), { throwIfNoEntry: false })?.isDirectory()) mkdirSync(join(cut, name))
        else writeFileSync(join(cut, name), '')
      }
      const again = await openDatabase(cut)
      expect(await again.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
      await again.close()
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  }, 120_000)

  // A store the collector cannot open says which folder, why (PostgreSQL's own words or the system's) and what to
  // check, where PGlite says only that it "failed to initialize properly"; and nothing stored is changed by the try.
  it('refuses a store it cannot open in one line naming the folder, the cause and what to check, and changes nothing in it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seglet-store-'))
    const dir = join(parent, 'db')
    const dirPattern = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    // Every file under the folder, with its bytes and mode.
    const snapshot = (root: string, at = root): Record<string, string> =>
      Object.fromEntries(
        readdirSync(at, { withFileTypes: true }).flatMap((entry) => {
          const path = join(at, entry.name)
          const mode = (statSync(path).mode & 0o777).toString(8)
          return entry.isDirectory()
            ? [[relative(root, path), mode], ...Object.entries(snapshot(root, path))]
            : [[relative(root, path), `${mode} ${readFileSync(path).toString('base64')}`]]
        }),
      )
    const setMode = (at: string, mode: (folder: boolean) => number) => {
      for (const entry of readdirSync(at, { withFileTypes: true })) {
        if (entry.isDirectory()) setMode(join(at, entry.name), mode)
        chmodSync(join(at, entry.name), mode(entry.isDirectory()))
      }
      chmodSync(at, mode(true))
    }
    try {
      const first = await openDatabase(dir)
      await migrate(first)
      await writeSetting(first, 'k', 'kept')
      await first.close()
      // Not writable (chmod -R a-w: a store copied in as another user, a read-only volume). As root too: PGlite's
      // file layer goes by the mode, as the system does for any other user.
      setMode(dir, (folder) => (folder ? 0o555 : 0o444))
      const readOnly = snapshot(dir)
      await expect(openDatabase(dir)).rejects.toMatchObject({
        code: 'collector_storage',
        message: expect.stringMatching(
          new RegExp(`^cannot open the embedded store in ${dirPattern}: (could not create lock file "${dirPattern}/postmaster\\.pid": )?[Pp]ermission denied; the collector runs as user \\S+: check that it may write ${dirPattern} and every file in it \\(their owner and mode: ls -la ${dirPattern}\\), and that ${dirPattern} is not on a read-only mount$`),
        ),
      })
      expect(snapshot(dir)).toEqual(readOnly)
      expect(existsSync(`${dir}.lock`)).toBe(false)
      setMode(dir, (folder) => (folder ? 0o755 : 0o644))
      // A folder no one may enter (chmod 000): PGlite's file layer throws an error of its own with no message.
      const writable = snapshot(dir)
      chmodSync(dir, 0o000)
      await expect(openDatabase(dir)).rejects.toMatchObject({
        code: 'collector_storage',
        message: expect.stringMatching(new RegExp(`^cannot open the embedded store in ${dirPattern}: permission denied; the collector runs as user \\S+: check that it may write ${dirPattern} and every file in it`)),
      })
      chmodSync(dir, 0o755)
      expect(snapshot(dir)).toEqual(writable)
      // A database of another PostgreSQL version (or a damaged one): PostgreSQL's reason, and the folder left as it is.
      const version = readFileSync(join(dir, 'PG_VERSION'), 'utf8')
      writeFileSync(join(dir, 'PG_VERSION'), '16\n')
      const foreign = snapshot(dir)
      await expect(openDatabase(dir)).rejects.toMatchObject({
        code: 'collector_storage',
        message: expect.stringMatching(
          new RegExp(`^cannot open the embedded store in ${dirPattern}: database files are incompatible with server \\(The data directory was initialized by PostgreSQL version 16, which is not compatible with this version [\\d.]+\\); the folder holds a database this collector cannot read \\(made by another version of its embedded PostgreSQL, or damaged\\); leave it as it is, and restore the store from a backup or give --database a new folder$`),
        ),
      })
      expect(snapshot(dir)).toEqual(foreign)
      expect(existsSync(`${dir}.lock`)).toBe(false)
      // Put right, it opens with what it held.
      writeFileSync(join(dir, 'PG_VERSION'), version)
      const again = await openDatabase(dir)
      expect(await readSetting(again, 'k')).toBe('kept')
      await again.close()
    } finally {
      setMode(parent, (folder) => (folder ? 0o755 : 0o644))
      rmSync(parent, { recursive: true, force: true })
    }
  }, 300_000)

  // Two embedded stores over one folder (the running collector and `retrain` from cron, say) each keep their own
  // copy of the database in memory and write it back over the other's: what one of them wrote is lost.
  it('is opened by one collector process at a time', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seglet-store-'))
    const dir = join(parent, 'db')
    try {
      const first = await openDatabase(dir)
      // A folder store outlives its process (the dashboard tells retrain can open it); one in memory does not.
      expect(first.inMemory).toBeUndefined()
      const memory = await openDatabase('memory:')
      expect(memory.inMemory).toBe(true)
      await memory.close()
      await migrate(first)
      await expect(openDatabase(dir)).rejects.toMatchObject({ code: 'collector_storage', message: expect.stringMatching(/in use by process \d+/) })
      await writeSetting(first, 'k', 'kept')
      await first.close()
      // Closed, the folder opens again; so it does after a process that held it died without closing it.
      const again = await openDatabase(dir)
      expect(await readSetting(again, 'k')).toBe('kept')
      await again.close()
      // A lock its holder stopped touching LOCK_STALE_MS ago.
      const leftBehind = (holder: number) => {
        writeFileSync(`${dir}.lock`, `${holder}\n`)
        const then = new Date(Date.now() - LOCK_STALE_MS - 1000)
        utimesSync(`${dir}.lock`, then, then)
      }
      leftBehind(999999999)
      const afterCrash = await openDatabase(dir)
      expect(await readSetting(afterCrash, 'k')).toBe('kept')
      await afterCrash.close()
      // In a container a restarted collector often gets the very process id the one that died had: that lock is
      // stale too, not this process's own.
      leftBehind(process.pid)
      const restarted = await openDatabase(dir)
      expect(await readSetting(restarted, 'k')).toBe('kept')
      await expect(openDatabase(dir)).rejects.toMatchObject({ code: 'collector_storage' })
      await restarted.close()
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  }, 300_000)

  it('waits for a lock touched lately: refused when its holder, unseen from here (another container), still touches it; taken over when it stops', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seglet-lock-'))
    const location = join(parent, 'db')
    const timings = { heartbeatMs: 100, staleMs: 400 }
    try {
      // A holder in another container: a process id this one cannot see, and a lock it keeps touching.
      writeFileSync(`${location}.lock`, '999999999\n')
      const touching = setInterval(() => {
        const now = new Date()
        utimesSync(`${location}.lock`, now, now)
      }, 100)
      await expect(lockStoreFolder(location, timings)).rejects.toMatchObject({ code: 'collector_storage', message: expect.stringMatching(/in use by process 999999999/) })
      // It crashed: the lock is no longer touched, and is taken over once it is stale.
      clearInterval(touching)
      const started = Date.now()
      const said: string[] = []
      const release = await lockStoreFolder(location, { ...timings, onWait: (message) => said.push(message) })
      expect(said).toEqual([expect.stringMatching(/locked by process 999999999 until moments ago; waiting up to 1 s for it to show that it still runs/)])
      expect(Date.now() - started).toBeGreaterThanOrEqual(300)
      expect(readFileSync(`${location}.lock`, 'utf8')).toBe(`${process.pid}\n`)
      // Held, it is touched: another process would wait and be refused.
      const before = statSync(`${location}.lock`).mtimeMs
      await new Promise((wake) => setTimeout(wake, 250))
      expect(statSync(`${location}.lock`).mtimeMs).toBeGreaterThan(before)
      await expect(lockStoreFolder(location, timings)).rejects.toMatchObject({ code: 'collector_storage' })
      release()
      expect(existsSync(`${location}.lock`)).toBe(false)
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })

  it('is one lock however the folder is spelt: with a trailing slash, relative or absolute', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seglet-lock-'))
    const location = join(parent, 'db')
    const timings = { heartbeatMs: 100, staleMs: 400 }
    try {
      mkdirSync(location)
      // The collector started with --database /data/db/ (a shell completes folders so), a retrain with /data/db.
      const release = await lockStoreFolder(`${location}/`, timings)
      await expect(lockStoreFolder(location, timings)).rejects.toMatchObject({ code: 'collector_storage' })
      await expect(lockStoreFolder(relative(process.cwd(), location), timings)).rejects.toMatchObject({ code: 'collector_storage' })
      // The lock stays beside the folder, never inside the store's own files.
      expect(existsSync(`${location}.lock`)).toBe(true)
      expect(readdirSync(location)).toEqual([])
      release()
      expect(existsSync(`${location}.lock`)).toBe(false)
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })

  it('takes over a lock left stamped ahead of the clock (the clock set back since) once it is not touched for LOCK_STALE_MS, not when the clock catches up', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seglet-lock-'))
    const location = join(parent, 'db')
    try {
      writeFileSync(`${location}.lock`, '999999999\n')
      const ahead = new Date(Date.now() + 60_000)
      utimesSync(`${location}.lock`, ahead, ahead)
      const started = Date.now()
      const release = await lockStoreFolder(location, { heartbeatMs: 100, staleMs: 400 })
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(readFileSync(`${location}.lock`, 'utf8')).toBe(`${process.pid}\n`)
      release()
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  }, 10_000)
})

describe('a new embedded store', () => {
  // vitest.config.ts names a template (written by collector/testing/globalSetup.ts) for every test; these
  // check that a store is the same with it and without it, and that a template never replaces a database.
  const named = process.env[EMBEDDED_TEMPLATE_VARIABLE]
  let parent: string
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'seglet-template-'))
    return () => {
      rmSync(parent, { recursive: true, force: true })
      vi.unstubAllEnvs()
    }
  })

  it('runs initdb without a template, in a folder that then opens again with what was written', async () => {
    vi.stubEnv(EMBEDDED_TEMPLATE_VARIABLE, undefined)
    const dir = join(parent, 'db')
    const db = await openDatabase(dir)
    // initdb's buffer pool, as a collector's own store has it.
    expect(await db.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '128MB' }])
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version))
    await writeSetting(db, 'k', 'without a template')
    await db.close()
    // Reopened with a template named: a folder that holds a database is opened as it is.
    vi.stubEnv(EMBEDDED_TEMPLATE_VARIABLE, named)
    const again = await openDatabase(dir)
    expect(await readSetting(again, 'k')).toBe('without a template')
    expect(await migrate(again)).toEqual([])
    await again.close()
  }, 120_000)

  it.runIf(named)('starts from the template, in a folder and in memory, as an empty database the collector migrates', async () => {
    const dir = join(parent, 'db')
    const db = await openDatabase(dir)
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true)
    expect(await db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).toEqual([{ n: 0 }])
    // The template's smaller buffer pool, which makes each throwaway store quicker to open.
    expect(await db.query('SHOW shared_buffers')).toEqual([{ shared_buffers: TEMPLATE_SHARED_BUFFERS }])
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version))
    await writeSetting(db, 'k', 'from the template')
    await db.close()
    const again = await openDatabase(dir)
    expect(await readSetting(again, 'k')).toBe('from the template')
    await again.close()
    // Each store is a copy: what one wrote is in no other.
    const [first, second] = [await openDatabase('memory:'), await openDatabase('memory:')]
    await migrate(first)
    await writeSetting(first, 'k', 'first')
    expect(await migrate(second)).toEqual(MIGRATIONS.map((m) => m.version))
    expect(await readSetting(second, 'k')).toBeUndefined()
    await Promise.all([first.close(), second.close()])
  }, 120_000)

  it('refuses, naming the variable and the file, a template that cannot be read, and leaves the folder free', async () => {
    const missing = join(parent, 'no-such-template.tgz')
    vi.stubEnv(EMBEDDED_TEMPLATE_VARIABLE, missing)
    const dir = join(parent, 'db')
    for (const location of ['memory:', dir]) {
      await expect(openDatabase(location)).rejects.toMatchObject({
        name: 'CollectorError',
        code: 'collector_storage',
        message: expect.stringMatching(new RegExp(`^SEGLET_EMBEDDED_TEMPLATE names ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, which cannot be read: no such file$`)),
      })
    }
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(false)
    expect(existsSync(`${dir}.lock`)).toBe(false)
  })
})
