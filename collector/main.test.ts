// @vitest-environment node
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { Server, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from './main'
import { DATABASE_TARGETS } from './testing/databases'
import { countersToSums } from './estimates/countersToSums'
import { createReportEstimator } from './estimates/createReportEstimator'
import { createIngest } from './ingest/createIngest'
import { utcDay } from './lib/utcDay'
import { readPageKeyLists } from './server/pageKeyLists'
import { PAGE_KEYS_SETTING, reestimate } from './server/reestimate'
import { migrate } from './storage/migrate'
import { openDatabase } from './storage/openDatabase'
import { readSums } from './storage/readSums'
import { readSetting } from './storage/settings'
import { fillDisk } from './testing/fillDisk'
import { reportBodies, TEST_CONTEXT, TEST_PAGE_KEYS } from './testing/reports'
import { publishPacks } from './packs/publishPacks'
import { generatePackKeys } from './packs/signingKey'

// A full disk (switched on by one test): a write fails as Node.js reports it, naming no file.
const disk = vi.hoisted(() => ({ full: false }))
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  const writeFile: typeof actual.writeFile = async (...args) => {
    if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' })
    return actual.writeFile(...args)
  }
  return { ...actual, writeFile, default: { ...actual, writeFile } }
})

afterEach(() => {
  disk.full = false
  vi.useRealTimers()
  vi.restoreAllMocks()
})

it('stops with one line, not a stack trace, when the page-statistics folder cannot be written', async () => {
  await inTempDir(async (dir) => {
    writeFileSync(join(dir, 'file'), '')
    const errors = quietErrors()
    const code = await main(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'file', 'public')])
    expect(code).toBe(1)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^seglet collector: cannot write the page statistics to .*file\/public: a file on this path is not a folder$/)
  })
}, 300_000)

it('names the command meant when one is misspelt, and exits 2 without opening a store', async () => {
  await inTempDir(async (dir) => {
    const errors = quietErrors()
    for (const [typed, meant] of [['publsh-pack', 'publish-pack'], ['retrian', 'retrain'], ['kegen', 'keygen']]) {
      expect(await main([typed!, '--out', join(dir, 'public')]), typed).toBe(2)
      expect(errors.pop()).toBe(`seglet collector: unknown command '${typed}' — did you mean '${meant}'? (see --help)`)
    }
    expect(errors).toEqual([])
    expect(readdirSync(dir)).toEqual([])
  })
})

it('says a page-statistics folder it cannot make before it opens the store', async () => {
  await inTempDir(async (dir) => {
    writeFileSync(join(dir, 'file'), '')
    const errors = quietErrors()
    // The embedded store would make its folder on opening, and migrate, before anything was written.
    expect(await main(['--database', join(dir, 'store'), '--port', '0', '--page-stats-dir', join(dir, 'file', 'public')])).toBe(1)
    expect(errors).toEqual([`seglet collector: cannot write the page statistics to ${join(dir, 'file', 'public')}: a file on this path is not a folder`])
    expect(existsSync(join(dir, 'store'))).toBe(false)
  })
}, 300_000)

it('refuses at start, in one line, a --database folder that holds other files and no store', async () => {
  await inTempDir(async (dir) => {
    const site = join(dir, 'site')
    mkdirSync(site)
    writeFileSync(join(site, 'index.html'), '<!doctype html>\n')
    const errors = quietErrors()
    expect(await main(['--database', site, '--port', '0', '--page-stats-dir', join(dir, 'public')])).toBe(1)
    expect(errors).toEqual([`seglet collector: --database ${site} holds other files (index.html) and no embedded store; give an empty or new folder for the store (made if missing), or the folder of an existing one`])
    expect(readdirSync(site)).toEqual(['index.html'])
  })
}, 300_000)

it('says in one line that the page-statistics folder given is a file', async () => {
  await inTempDir(async (dir) => {
    writeFileSync(join(dir, 'file'), '')
    const errors = quietErrors()
    expect(await main(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'file')])).toBe(1)
    expect(errors).toEqual([`seglet collector: cannot write the page statistics to ${join(dir, 'file')}: it is a file, not a folder`])
  })
}, 300_000)

it.runIf(existsSync('/proc/self'))('says in one line, and does not hang, when the page-statistics folder is one the system will not make', async () => {
  const errors = quietErrors()
  expect(await main(['--database', 'memory:', '--port', '0', '--page-stats-dir', '/proc/seglet-page-stats'])).toBe(1)
  expect(errors).toEqual(['seglet collector: cannot write the page statistics to /proc/seglet-page-stats: no such file'])
}, 300_000)

it('says in one line that --host names an address this machine does not have', async () => {
  await inTempDir(async (dir) => {
    const errors = quietErrors()
    // A documentation address (TEST-NET-3, RFC 5737): no interface of a test machine has it.
    expect(await main(['--database', join(dir, 'db'), '--host', '203.0.113.7', '--port', '0', '--page-stats-dir', join(dir, 'public')])).toBe(1)
    expect(errors).toEqual(['seglet collector: cannot listen on 203.0.113.7:0: no network interface of this machine has that address; check --host'])
    expect(readdirSync(dir)).toEqual([])
  })
}, 300_000)

it.each([
  // A port the system keeps back above 1023 (Windows reserves ranges of them; a raised ip_unprivileged_port_start): no advice to go above 1023.
  ['EACCES', 8787, 'this user may not take port 8787 (the system keeps it back: a reserved range, or a security policy); pick another port with --port'],
  ['EACCES', 80, "this user may not take port 80 (below 1024 a port needs root or CAP_NET_BIND_SERVICE); pick one above 1023 with --port, behind the shop's proxy"],
  // The last port: the one to try is below it, not 65536, which --port refuses.
  ['EADDRINUSE', 65535, 'the port is in use; stop what uses it, or pick another port with --port 65534'],
])('says what to do about a port refused with %s (%i) that --port can act on', async (code, port, said) => {
  await inTempDir(async (dir) => {
    const errors = quietErrors()
    // The system's refusal, as listen() gives it (a test cannot be refused these ports for real).
    vi.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server) {
      process.nextTick(() => this.emit('error', Object.assign(new Error(`listen ${code}: 127.0.0.1:${port}`), { code })))
      return this
    })
    expect(await main(['--database', join(dir, 'db'), '--port', String(port), '--page-stats-dir', join(dir, 'public')])).toBe(1)
    expect(errors).toEqual([`seglet collector: cannot listen on 127.0.0.1:${port}: ${said}`])
  })
}, 300_000)

it('refuses a port it cannot take before it makes, locks or opens the embedded store', async () => {
  await inTempDir(async (dir) => {
    const errors = quietErrors()
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as AddressInfo).port
    try {
      expect(await main(['--database', join(dir, 'db'), '--port', String(port), '--page-stats-dir', join(dir, 'public')])).toBe(1)
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
    // One line, the address once, in plain words and what to do: no system code or second copy of the address.
    expect(errors).toEqual([`seglet collector: cannot listen on 127.0.0.1:${port}: the port is in use; stop what uses it, or pick another port with --port ${port + 1}`])
    // No store folder made, no lock taken: nothing was opened.
    expect(readdirSync(dir)).toEqual([])
  })
}, 300_000)

it('says that the page statistics cannot be written, not that the database failed, when the disk is full', async () => {
  await inTempDir(async (dir) => {
    const errors = quietErrors()
    disk.full = true
    const code = await main(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'public')])
    expect(code).toBe(1)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^seglet collector: cannot write the page statistics to .*public: no space left on device$/)
    // Nothing half-written is left in the folder.
    expect(readdirSync(join(dir, 'public'))).toEqual([])
  })
}, 300_000)

it('says to free space on the store\'s disk when a start-up step on the embedded store fails for a full disk', async () => {
  await inTempDir(async (dir) => {
    const location = join(dir, 'db')
    // The store opens, but its settings table cannot grow, as on a full disk (SQLSTATE 53100): the start records
    // the retention in force there.
    const db = await openDatabase(location)
    await migrate(db)
    await fillDisk(db, 'seglet_settings')
    await db.close()
    const errors = quietErrors()
    expect(await main(['--database', location, '--port', '0', '--page-stats-dir', join(dir, 'public')])).toBe(1)
    expect(errors).toEqual([`seglet collector: database: could not extend file: No space left on device; the disk that holds ${location} is full: free space on it (df -h ${location}; nothing stored is lost)`])
  })
}, 300_000)

it('says which job failed when an hourly rewrite finds the disk full, and goes on serving', async () => {
  await inTempDir(async (dir) => {
    const { errors, stop, stopped } = await startServing(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'public')])
    disk.full = true
    vi.advanceTimersByTime(3_600_000)
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000 })
    expect(errors[0]).toMatch(/^seglet collector: cannot write the page statistics to .*public: no space left on device$/)
    disk.full = false
    stop('SIGTERM')
    expect(await stopped).toBe(0)
  })
}, 300_000)

it('warns on stderr at the start and once a day while the signed manifest it serves is due to be renewed, and says it is an error once it expired', async () => {
  await inTempDir(async (dir) => {
    const { privateKeyFile: key } = await generatePackKeys(join(dir, 'keys'))
    const session = JSON.parse(readFileSync(join(__dirname, '..', 'src', 'models', 'session.json'), 'utf8'))
    // Published by hand 80 days ago, valid for 90: 10 days left, under the 30 a retrain renews by.
    await publishPacks({ outDir: join(dir, 'public'), key, packs: { session }, now: new Date(Date.now() - 80 * 86_400_000) })
    const { errors, stop, stopped } = await startServing(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'public')])
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000 })
    expect(errors[0]).toMatch(/^seglet collector: warning: the signed pack manifest .*public\/packs\.manifest \(version 1\) expires on \S+, in 9\.9 days: .*renew it: npm run collector -- publish-pack --out .*public /)
    // Published again by hand, 91 days ago this time: the next day's check finds it expired.
    await publishPacks({ outDir: join(dir, 'public'), key, packs: { session }, now: new Date(Date.now() - 91 * 86_400_000) })
    vi.advanceTimersByTime(24 * 3_600_000)
    await vi.waitFor(() => expect(errors).toHaveLength(2), { timeout: 10_000 })
    expect(errors[1]).toMatch(/^seglet collector: error: the signed pack manifest .*public\/packs\.manifest \(version 2\) expired on \S+: browsers refuse it \(pack_manifest_expired\)/)
    stop('SIGTERM')
    expect(await stopped).toBe(0)
  })
}, 300_000)

it('says at the start that the signed manifest it serves cannot be read, as browsers refuse it, and what to run', async () => {
  await inTempDir(async (dir) => {
    mkdirSync(join(dir, 'public'))
    writeFileSync(join(dir, 'public', 'packs.manifest'), 'signature\n{"format": "seglet-pack-manifest", "vers')
    const { errors, stop, stopped } = await startServing(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'public')])
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000 })
    expect(errors[0]).toMatch(/^seglet collector: error: the signed pack manifest .*public\/packs\.manifest cannot be read \(.*JSON.*\): browsers refuse it \(pack_manifest_invalid\)/)
    expect(errors[0]).toMatch(/move it away and publish the packs again, N above the last version published .*: npm run collector -- publish-pack --out .*public --session FILE --min-version N$/)
    stop('SIGTERM')
    expect(await stopped).toBe(0)
  })
}, 300_000)

it('says at the start where reports are kept: nowhere once it stops with memory:, else in the store it names', async () => {
  await inTempDir(async (dir) => {
    for (const [database, said] of [
      ['memory:', '(in memory: no report is kept once it stops, ε 2)'],
      [join(dir, 'db'), `(embedded store in ${join(dir, 'db')}, ε 2, raw reports kept 30 days)`],
    ]) {
      const { stop, stopped, logged } = await startServing(['--database', database!, '--port', '0', '--page-stats-dir', join(dir, 'public')])
      stop('SIGTERM')
      expect(await stopped).toBe(0)
      expect(logged[0]).toMatch(/^seglet collector listening on http:\/\/127\.0\.0\.1:\d+ /)
      expect(logged[0]!.slice(logged[0]!.indexOf(' (') + 1)).toBe(said)
      vi.restoreAllMocks()
    }
  })
}, 300_000)

it('writes the page statistics of a memory: store without --page-stats-dir to a folder of its own, removed at the stop', async () => {
  await inTempDir(async (dir) => {
    // The default folder, where a shop's running collector serves its pointer from (run from the same folder).
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const { stop, stopped, base, logged } = await startServing(['--database', 'memory:', '--port', '0'])
      const line = logged.find((l) => l.startsWith('  page statistics '))!
      const folder = /\(also written to (.+)\)$/.exec(line)![1]!
      expect(folder.startsWith(join(tmpdir(), 'seglet-collector-'))).toBe(true)
      const pointer = await fetch(`${base}/seglet/page-stats.current.json`)
      expect(pointer.status).toBe(200)
      expect(readdirSync(folder)).toContain('page-stats.current.json')
      stop('SIGTERM')
      expect(await stopped).toBe(0)
      expect(existsSync(folder)).toBe(false)
      expect(existsSync(join(dir, '.seglet-collector'))).toBe(false)
    } finally {
      process.chdir(cwd)
    }
  })
}, 300_000)

it('says nothing of a signed manifest that is not yet due to be renewed', async () => {
  await inTempDir(async (dir) => {
    const { privateKeyFile: key } = await generatePackKeys(join(dir, 'keys'))
    const session = JSON.parse(readFileSync(join(__dirname, '..', 'src', 'models', 'session.json'), 'utf8'))
    await publishPacks({ outDir: join(dir, 'public'), key, packs: { session }, now: new Date(Date.now() - 50 * 86_400_000) })
    const { errors, stop, stopped } = await startServing(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'public')])
    vi.advanceTimersByTime(24 * 3_600_000)
    await new Promise((settled) => setTimeout(settled, 200))
    stop('SIGTERM')
    expect(await stopped).toBe(0)
    expect(errors).toEqual([])
  })
}, 300_000)

describe.each(DATABASE_TARGETS)('stopping on $name', (target) => {
  it('waits for a running purge and page-statistics rewrite before closing the database', async () => {
    await inTempDir(async (dir) => {
      const { errors, stop, stopped } = await startServing(['--database', await target.location(), '--port', '0', '--page-stats-dir', join(dir, 'public')])
      rmSync(join(dir, 'public'), { recursive: true })
      // The hourly timers fire (purge and rewrite), and the process is asked to stop while they run.
      vi.advanceTimersByTime(3_600_000)
      stop('SIGTERM')
      expect(await stopped).toBe(0)
      expect(existsSync(join(dir, 'public', 'page-stats.json.integrity'))).toBe(true)
      await new Promise((settled) => setTimeout(settled, 500))
      expect(errors).toEqual([])
    })
  }, 300_000)
})

it('decodes against its page keys within the hour the reports a process still on the old keys summed after it started (a rolling deploy)', async (context) => {
  const postgres = DATABASE_TARGETS.find((target) => target.name === 'postgres')
  // Two processes on one database: PostgreSQL only (an embedded store is opened by one process).
  if (!postgres) return context.skip()
  await inTempDir(async (dir) => {
    const location = await postgres.location()
    const db = await openDatabase(location)
    try {
      const day = utcDay(Date.now() - 86_400_000)
      const oldKeys = TEST_PAGE_KEYS.slice(0, 4)
      const old = createReportEstimator({ pageKeys: oldKeys })
      await migrate(db)
      await reestimate(db, old, oldKeys)
      const running = createIngest(db, old)
      const bodies = reportBodies(200, { day, seed: 51 })
      await Promise.all(bodies.slice(0, 150).map((b, i) => running.submit(`g${i}`, b)))
      await running.flush()
      writeFileSync(join(dir, 'keys.txt'), TEST_PAGE_KEYS.join('\n'))
      const { errors, stop, stopped } = await startServing(['--database', location, '--port', '0', '--page-stats-dir', join(dir, 'public'), '--page-keys', `@${join(dir, 'keys.txt')}`])
      // The old version takes reports until it is stopped, after the new one started.
      await Promise.all(bodies.slice(150).map((b, i) => running.submit(`h${i}`, b)))
      await running.close()
      const group = { packId: TEST_CONTEXT.packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4 }
      const sums = async () => countersToSums(group, await readSums(db, day, day), TEST_PAGE_KEYS, await readPageKeyLists(db, []))
      expect((await sums()).partial).toEqual(['product/teapot', 'cart', 'checkout'])
      vi.advanceTimersByTime(3_600_000)
      await vi.waitFor(async () => expect((await sums()).partial).toEqual([]), { timeout: 20_000 })
      expect((await sums()).sums.reports).toBe(200)
      stop('SIGTERM')
      expect(await stopped).toBe(0)
      expect(errors).toEqual([])
    } finally {
      await db.close()
    }
  })
}, 300_000)

describe.each(DATABASE_TARGETS)('page keys on $name', (target) => {
  it('keeps the keys the database was last started with when started without --page-keys, decoding nothing again; --page-keys \'\' sets none', async () => {
    await inTempDir(async (dir) => {
      const location = target.name === 'embedded' ? join(dir, 'db') : await target.location()
      const keys = TEST_PAGE_KEYS.slice(0, 4)
      // A shop's database: its sums of yesterday's reports decoded against its keys.
      const day = utcDay(Date.now() - 86_400_000)
      const db = await openDatabase(location)
      try {
        const estimator = createReportEstimator({ pageKeys: keys })
        await migrate(db)
        await reestimate(db, estimator, keys)
        const ingest = createIngest(db, estimator)
        await Promise.all(reportBodies(60, { day, seed: 52 }).map((b, i) => ingest.submit(`k${i}`, b)))
        await ingest.close()
      } finally {
        await db.close()
      }
      const startOn = async (args: string[]) => {
        const { errors, stop, stopped, logged } = await startServing(['--database', location, '--port', '0', '--page-stats-dir', join(dir, 'public'), ...args])
        await stopServing(stop, stopped)
        expect(errors).toEqual([])
        vi.restoreAllMocks()
        const after = await openDatabase(location)
        try {
          return { logged, stored: JSON.parse((await readSetting(after, PAGE_KEYS_SETTING))!) as string[] }
        } finally {
          await after.close()
        }
      }
      // Started without its options (a trial, or a restart that lost them): the same keys, nothing decoded again.
      const kept = await startOn([])
      expect(kept.stored).toEqual(keys)
      expect(kept.logged).toContain('seglet collector: page keys: the 4 this database was last started with (--page-keys to change them)')
      expect(kept.logged.filter((line) => line.includes('re-estimated'))).toEqual([])
      // Asked for none: the day is decoded again against none.
      const none = await startOn(['--page-keys', ''])
      expect(none.stored).toEqual([])
      expect(none.logged).toContain('seglet collector: page keys changed; re-estimated 1 days from their raw reports')
      // With none stored, a start without the option keeps none, and says nothing of keys.
      expect((await startOn([])).logged.filter((line) => line.startsWith('seglet collector: page keys'))).toEqual([])
    })
  }, 300_000)
})

it('answers on 127.0.0.1 for loopback names and those of --allowed-host only, and for any with --trust-proxy', async () => {
  await inTempDir(async (dir) => {
    const status = (base: string, host: string) =>
      new Promise<number>((done, fail) => request(`${base}/seglet/health`, { headers: { host } }, (res) => (res.resume(), done(res.statusCode!))).on('error', fail).end())
    for (const [args, answers] of [
      [[], { localhost: 200, 'shop.test': 421, 'evil.example': 421 }],
      [['--allowed-host', 'shop.test'], { localhost: 200, 'shop.test': 200, 'evil.example': 421 }],
      [['--trust-proxy'], { localhost: 200, 'shop.test': 200, 'evil.example': 200 }],
    ] as const) {
      const { errors, stop, stopped, base } = await startServing(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'public'), ...args])
      try {
        expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        for (const [host, expected] of Object.entries(answers)) expect([args, host, await status(base, host)]).toEqual([args, host, expected])
      } finally {
        await stopServing(stop, stopped)
      }
      expect(errors).toEqual([])
    }
  })
}, 60_000)

it('answers for a shop whose name is internationalised, given as written (--allowed-host ショップ.test, --allowed-origin https://ショップ.test), as browsers send it', async () => {
  await inTempDir(async (dir) => {
    // Chromium opening http://ショップ.test:<port>/ sends `Host: xn--xckya1d0c.test:<port>`, and its Origin in that form too.
    const send = (base: string, path: string, headers: Record<string, string>, body?: string) =>
      new Promise<number>((done, fail) => {
        const req = request(`${base}${path}`, { method: body === undefined ? 'GET' : 'POST', headers }, (res) => (res.resume(), done(res.statusCode!)))
        req.on('error', fail).end(body)
      })
    const { errors, stop, stopped, base } = await startServing(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'public'), '--allowed-host', 'ショップ.test', '--allowed-origin', 'https://ショップ.test'])
    try {
      const port = new URL(base).port
      expect(await send(base, '/seglet/health', { host: `xn--xckya1d0c.test:${port}` })).toBe(200)
      expect(await send(base, '/seglet/health', { host: `evil.example:${port}` })).toBe(421)
      // A report from the shop's public origin, forwarded under another host by a browser that sends no Sec-Fetch-Site.
      const report = JSON.stringify({ v: 2, pack: 'session@1.0.0+lifetime@1.0.0', sl: 4, vl: 4, day: utcDay(Date.now()), eps: 2, q: 'seg', a: '00010000000000000000000000000000' })
      const post = (origin: string) => send(base, '/seglet/reports', { host: `xn--xckya1d0c.test:${port}`, origin, 'content-type': 'application/json' }, report)
      expect(await post('https://evil.example')).toBe(403)
      expect(await post('https://xn--xckya1d0c.test')).toBe(202)
    } finally {
      await stopServing(stop, stopped)
    }
    expect(errors).toEqual([])
  })
}, 60_000)

/** Stops what `startServing` started (SIGTERM), checks that it exited with 0, and puts the timers and console back. */
async function stopServing(stop: (signal: 'SIGTERM') => void, stopped: Promise<number>) {
  stop('SIGTERM')
  expect(await stopped).toBe(0)
  vi.restoreAllMocks()
  vi.useRealTimers()
}

/**
 * Runs the collector with `args` (with fake hourly timers) until it listens: the errors it prints, its SIGTERM
 * handler and the promise of its exit code.
 */
async function startServing(args: string[]) {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  const errors: unknown[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  let listening = (_base: string) => {}
  const ready = new Promise<string>((resolve) => (listening = resolve))
  const logged: string[] = []
  vi.spyOn(console, 'log').mockImplementation((line) => {
    logged.push(String(line))
    if (String(line).startsWith('seglet collector listening on ')) listening(String(line).split(' ')[4]!)
  })
  const before = new Set(process.listeners('SIGTERM'))
  const stopped = main(args)
  const base = await ready
  const stop = process.listeners('SIGTERM').find((l) => !before.has(l))!
  return { errors, stop, stopped, base, logged }
}

/** Runs `test` with a new temporary folder, removed after, whatever the test's outcome. */
/** What the collector writes to stderr, a line an entry, with its start-up lines on stdout kept quiet. */
function quietErrors(): string[] {
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  vi.spyOn(console, 'log').mockImplementation(() => {})
  return errors
}

async function inTempDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seglet-main-'))
  try {
    await test(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
