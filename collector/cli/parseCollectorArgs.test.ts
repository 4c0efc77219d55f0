// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { main } from '../main'
import { POSTGRES_CONNECT_TIMEOUT_MS } from '../storage/openDatabase'
import { COLLECTOR_DEFAULTS, COLLECTOR_HELP, parseCollectorArgs } from './parseCollectorArgs'

const noFile = () => {
  throw new Error('no such file')
}

describe('the collector command line', () => {
  it('has defaults that listen on loopback with the embedded store', () => {
    const args = parseCollectorArgs([], noFile)
    expect(args).toMatchObject({ host: '127.0.0.1', port: COLLECTOR_DEFAULTS.port, database: COLLECTOR_DEFAULTS.database, epsilon: 2, pageKeys: undefined, minReports: 100, maxReportsPerDay: 200_000, maxNewPacksPerDay: 10, maxConnections: 1_000, healthTimeoutMs: 2_000, reportTimeoutMs: 10_000, readTimeoutMs: 20_000 })
  })

  it('reads every option', () => {
    const args = parseCollectorArgs(
      ['--port', '0', '--host', '::1', '--database', 'postgres://a@b/c', '--raw-retention-days', '0', '--epsilon', '1.5', '--page-keys', 'home, cart,home',
        '--window-days', '7', '--rate-limit', '10', '--rate-burst', '3', '--max-reports-per-day', '5000', '--max-new-packs-per-day', '0', '--max-connections', '50', '--health-timeout', '4000', '--report-timeout', '30000', '--read-timeout', '45000', '--min-reports', '25', '--min-training-answers', '5000', '--page-stats-keep-days', '9', '--allowed-origin', 'https://shop.example', '--trust-proxy'],
      noFile,
    )
    expect(args).toMatchObject({ port: 0, host: '::1', database: 'postgres://a@b/c', rawRetentionDays: 0, epsilon: 1.5, pageKeys: ['home', 'cart'], windowDays: 7,
      rateLimit: 10, rateBurst: 3, maxReportsPerDay: 5000, maxNewPacksPerDay: 0, maxConnections: 50, healthTimeoutMs: 4_000, reportTimeoutMs: 30_000, readTimeoutMs: 45_000, minReports: 25, minTrainingAnswers: 5000, pageStatsKeepDays: 9, allowedOrigins: ['https://shop.example'], trustProxy: true })
    expect(parseCollectorArgs(['--page-keys', '@keys.txt'], () => 'home\r\nproduct/mug\n\n').pageKeys).toEqual(['home', 'product/mug'])
    // A file's comment lines are not keys; a list on the command line has no comments.
    expect(parseCollectorArgs(['--page-keys', '@keys.txt'], () => '# the shop\'s pages\nhome\n  # products\nproduct/mug\n').pageKeys).toEqual(['home', 'product/mug'])
    expect(parseCollectorArgs(['--page-keys', 'home,#cart'], noFile).pageKeys).toEqual(['home', '#cart'])
    // Given empty: none, which is not the same as not given (the collector then keeps the database's).
    expect(parseCollectorArgs(['--page-keys', ''], noFile).pageKeys).toEqual([])
    expect(parseCollectorArgs(['--page-keys='], noFile).pageKeys).toEqual([])
  })

  it('reads the currency of the shop\'s order values as an ISO 4217 code, and says so of anything else', () => {
    expect(parseCollectorArgs([], noFile).currency).toBeUndefined()
    expect(parseCollectorArgs(['--currency', 'EUR'], noFile).currency).toBe('EUR')
    expect(parseCollectorArgs(['--currency', 'jpy'], noFile).currency).toBe('JPY')
    for (const bad of ['€', 'EURO', 'XYZ', '']) {
      expect(() => parseCollectorArgs(['--currency', bad], noFile)).toThrow(`--currency must be an ISO 4217 currency code like EUR or USD, not "${bad}"`)
    }
    expect(COLLECTOR_HELP).toMatch(/^  --currency CODE /m)
  })

  it('reads the host names to answer for besides the loopback ones (--allowed-host, repeatable, * for any), and says so of anything else', () => {
    expect(parseCollectorArgs([], noFile).allowedHosts).toEqual([])
    expect(parseCollectorArgs(['--allowed-host', 'Shop.test', '--allowed-host', 'shop.test.', '--allowed-host', '192.168.1.20', '--allowed-host', '[fd00::1]'], noFile).allowedHosts)
      .toEqual(['shop.test', '192.168.1.20', '[fd00::1]'])
    expect(parseCollectorArgs(['--allowed-host', '*'], noFile).allowedHosts).toEqual(['*'])
    // An internationalised name, as its owner writes it, is taken in the form browsers send in Host.
    expect(parseCollectorArgs(['--allowed-host', 'ショップ.test', '--allowed-host', 'München-Schuhe.de.'], noFile).allowedHosts).toEqual(['xn--xckya1d0c.test', 'xn--mnchen-schuhe-wob.de'])
    for (const bad of ['shop.test:8080', 'http://shop.test', '', 'shop-.test', 'shop..test', '*.shop.test', 'fd00::1', 'ショップ.test:8080', 'ショ ップ.test']) {
      expect(() => parseCollectorArgs(['--allowed-host', bad], noFile)).toThrow(`--allowed-host must be a host name like shop.test (without a port), an IP address or *, not "${bad}"`)
    }
    expect(COLLECTOR_HELP).toMatch(/^  --allowed-host NAME .*\n.*\* for any\)\. Reached from this machine without --trust-proxy, it refuses other Host\n.*421/m)
  })

  it('reads the shop\'s public origins (--allowed-origin) in the form browsers send in Origin, an internationalised name too', () => {
    expect(parseCollectorArgs(['--allowed-origin', 'https://shop.example', '--allowed-origin', 'https://ショップ.test', '--allowed-origin', 'https://München-Schuhe.de:8443'], noFile).allowedOrigins)
      .toEqual(['https://shop.example', 'https://xn--xckya1d0c.test', 'https://xn--mnchen-schuhe-wob.de:8443'])
    for (const bad of ['https://shop.example/', 'https://shop.example/path', 'https://ショップ.test/商品', 'https://shop.example?a', 'https://shop.example#top', 'shop.example', 'data:text/plain,x']) {
      expect(() => parseCollectorArgs(['--allowed-origin', bad], noFile)).toThrow(`--allowed-origin must be an origin like https://shop.example, not "${bad}"`)
    }
  })

  it('reads how many proxies to trust: --trust-proxy is one, --trust-proxy-hops N (a CDN before a load balancer: 2)', () => {
    expect(parseCollectorArgs([], noFile)).toMatchObject({ trustProxy: false, trustProxyHops: 0 })
    expect(parseCollectorArgs(['--trust-proxy'], noFile)).toMatchObject({ trustProxy: true, trustProxyHops: 1 })
    expect(parseCollectorArgs(['--trust-proxy-hops', '2'], noFile)).toMatchObject({ trustProxy: true, trustProxyHops: 2 })
    expect(parseCollectorArgs(['--trust-proxy', '--trust-proxy-hops', '3'], noFile)).toMatchObject({ trustProxy: true, trustProxyHops: 3 })
    expect(() => parseCollectorArgs(['--trust-proxy-hops', '0'], noFile)).toThrow('--trust-proxy-hops must be a whole number from 1 to 32')
  })

  it('reads the model packs of --known-pack, whose pack ids the insights then follow', () => {
    const pack = { kind: 'session', version: '1.0.0-0badc0de', heads: { segment: { labels: [0, 1, 2] } } }
    const files: Record<string, string> = { 'own.json': JSON.stringify(pack), 'bad.json': '{"kind":"session"}' }
    const read = (path: string) => files[path] ?? noFile()
    expect(parseCollectorArgs([], read).knownPacks).toEqual([])
    expect(parseCollectorArgs(['--known-pack', 'own.json'], read).knownPacks).toEqual([pack])
    expect(() => parseCollectorArgs(['--known-pack', 'missing.json'], read)).toThrow('--known-pack cannot read missing.json')
    expect(() => parseCollectorArgs(['--known-pack', 'bad.json'], read)).toThrow('--known-pack bad.json is not a model pack')
  })

  it.each([
    [['--port', '70000'], '--port must be a whole number from 0 to 65535'],
    [['--port', 'abc'], '--port must be a whole number'],
    [['--max-connections', '0'], '--max-connections must be a whole number from 1 to 1000000'],
    [['--health-timeout', '0'], '--health-timeout must be a whole number from 100 to 600000, not "0"'],
    [['--health-timeout', '2s'], '--health-timeout must be a whole number from 100 to 600000, not "2s"'],
    // Under the 200 ms a report waits for its batch, every report would time out.
    [['--report-timeout', '500'], '--report-timeout must be a whole number from 1000 to 600000, not "500"'],
    [['--read-timeout', '500'], '--read-timeout must be a whole number from 1000 to 600000, not "500"'],
    [['--min-reports', '0'], '--min-reports must be a whole number from 1 to 10000000'],
    [['--min-training-answers', '0'], '--min-training-answers must be a whole number from 1 to 1000000000'],
    [['--max-reports-per-day', '0'], '--max-reports-per-day must be a whole number from 1 to 1000000000'],
    [['--epsilon', '0'], '--epsilon must be a number from 0.1 to 8'],
    // The pages can only use an ε in hundredths: another would refuse every report they send.
    [['--epsilon', '2.555'], '--epsilon must be a number from 0.1 to 8 in hundredths'],
    [['--epsilon', '0x2'], '--epsilon must be a number from 0.1 to 8 in hundredths'],
    [['--raw-retention-days=-1'], '--raw-retention-days must be a whole number'],
    [['--allowed-origin', 'https://shop.example/path'], '--allowed-origin must be an origin'],
    [['--page-keys', '@missing.txt'], '--page-keys cannot read missing.txt'],
    [['--page-stats-keep-days', '0'], '--page-stats-keep-days must be a whole number from 1 to 3650'],
    [['--nope'], "Unknown option '--nope' (see --help)"],
    // A misspelt option names the one meant, as the SDK's options do.
    [['--databse', 'memory:'], "Unknown option '--databse' — did you mean '--database'? (see --help)"],
    [['--page-key', 'home'], "Unknown option '--page-key' — did you mean '--page-keys'? (see --help)"],
    [['--min-report=1'], "Unknown option '--min-report' — did you mean '--min-reports'? (see --help)"],
    // A plural or singular of a real option's word is meant as that option, however many letters 'ies' for 'y' changes.
    [['--trust-proxies'], "Unknown option '--trust-proxies' — did you mean '--trust-proxy'? (see --help)"],
    [['--trust-proxies-hops', '2'], "Unknown option '--trust-proxies-hops' — did you mean '--trust-proxy-hops'? (see --help)"],
    [['--currencies', 'EUR'], "Unknown option '--currencies' — did you mean '--currency'? (see --help)"],
    [['--allowed-origins', 'https://shop.example'], "Unknown option '--allowed-origins' — did you mean '--allowed-origin'? (see --help)"],
  ])('refuses %j with one clear line', (argv, message) => {
    expect(() => parseCollectorArgs(argv, noFile)).toThrow(message)
    try {
      parseCollectorArgs(argv, noFile)
    } catch (error) {
      expect((error as { code: string }).code).toBe('collector_option')
      expect((error as Error).message).not.toContain('\n')
    }
  })

  /** What parseCollectorArgs() throws for `--database <database>`; fails the test if it takes it. */
  const databaseRefusal = (database: string): Error & { code?: string } => {
    try {
      parseCollectorArgs(['--database', database], noFile)
    } catch (caught) {
      return caught as Error & { code?: string }
    }
    throw new Error(`--database ${database} was taken`)
  }

  // A URL of another database (or a misspelt scheme) would otherwise be taken for a folder, and the embedded store
  // made in `mysql:/…` beside the collector, with nothing said.
  it('refuses a --database that is neither a folder, memory: nor a postgres:// URL, without naming its password', () => {
    for (const good of ['postgres://a@b/c', 'postgresql://a@b/c', 'POSTGRES://a@b/c', 'memory:', '.seglet-collector/db', '/var/lib/seglet', 'C:\\seglet\\db']) {
      expect(parseCollectorArgs(['--database', good], noFile).database).toBe(good)
    }
    for (const [bad, shown] of [['mysql://shop:secret@db/seglet', 'mysql://'], ['postgress://shop:secret@db/seglet', 'postgress://'], ['file:///var/seglet', 'file://'], ['sqlite://seglet.db', 'sqlite://']]) {
      const error = databaseRefusal(bad!)
      expect(error.code).toBe('collector_option')
      expect(error.message).toBe(`--database takes a folder for the embedded store, memory: or a postgres:// URL, not a ${shown} URL`)
      expect(error.message).not.toContain('secret')
    }
    expect(() => parseCollectorArgs(['--database', ''], noFile)).toThrow('--database must not be empty')
    expect(() => parseCollectorArgs(['--database', ' '], noFile)).toThrow('--database must not be empty')
  })

  // PostgreSQL would get the `%` as it is, and say only that the password failed.
  it('refuses a postgres:// URL whose user name or password has a % that starts no percent-escape, without naming either', () => {
    for (const bad of ['postgres://shop:se%ZZret@db/seglet', 'postgresql://shop:100%@db/seglet', 'postgres://sh%op:secret@db/seglet', 'postgres://shop:p@ss%@db/seglet']) {
      const error = databaseRefusal(bad)
      expect(error.code).toBe('collector_option')
      expect(error.message).toBe('--database has a "%" in its user name or password that is not a percent-escape (% and two hex digits): write % as %25, and @ : / # ? in them as %40 %3A %2F %23 %3F')
    }
    for (const good of ['postgres://shop:se%25ret@db/seglet', 'postgres://shop:p%40ss@db/seglet?sslmode=require', 'postgres://db/seglet?options=%', './100%/db']) {
      expect(parseCollectorArgs(['--database', good], noFile).database).toBe(good)
    }
  })

  // Without its `//` a URL (or a misspelt memory:) would be a folder of that name, made beside the collector.
  it('refuses a --database that names a scheme without //, without naming its password, and takes memory: in any case', () => {
    for (const [bad, scheme] of [['postgres:/shop:secret@db/seglet', 'postgres'], ['postgresql:shop:secret@db/seglet', 'postgresql'], ['memroy:', 'memroy'], ['memory:/tmp/x', 'memory']]) {
      const error = databaseRefusal(bad!)
      expect(error.code).toBe('collector_option')
      expect(error.message).toBe(
        `--database takes a folder for the embedded store, memory: or a postgres:// URL, not "${scheme}:…" (a URL has // after its scheme; a folder whose name has a colon is given as ./${scheme}:…)`,
      )
      expect(error.message).not.toContain('secret')
    }
    for (const memory of ['Memory:', 'MEMORY:']) expect(parseCollectorArgs(['--database', memory], noFile).database).toBe('memory:')
    for (const folder of ['./postgres:/db', 'C:/seglet/db', 'd:\\seglet']) expect(parseCollectorArgs(['--database', folder], noFile).database).toBe(folder)
  })

  // The file named is said once, with the system's reason in plain words, not its code and the path again.
  it('says in plain words why a --page-keys or --known-pack file cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-args-'))
    const read = (path: string) => readFileSync(path, 'utf8')
    try {
      const missing = join(dir, 'missing.txt')
      expect(() => parseCollectorArgs(['--page-keys', `@${missing}`], read)).toThrow(new RegExp(`^--page-keys cannot read ${missing}: no such file$`))
      expect(() => parseCollectorArgs(['--page-keys', `@${dir}`], read)).toThrow(new RegExp(`^--page-keys cannot read ${dir}: a folder, not a file$`))
      expect(() => parseCollectorArgs(['--known-pack', missing], read)).toThrow(new RegExp(`^--known-pack cannot read ${missing}: no such file$`))
      expect(() => parseCollectorArgs(['--known-pack', dir], read)).toThrow(new RegExp(`^--known-pack cannot read ${dir}: a folder, not a file$`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  // parseArgs takes a value starting with a dash for an option forgotten its value ("argument is ambiguous"):
  // a negative number is said as the option's own range, as the same number written with = is.
  it('says of a negative number what it says of any other value out of range, whether written with = or not', () => {
    for (const [name, range] of [['port', '0 to 65535'], ['min-reports', '1 to 10000000'], ['window-days', '1 to 3650']]) {
      expect(() => parseCollectorArgs([`--${name}`, '-1'], noFile)).toThrow(`--${name} must be a whole number from ${range}, not "-1"`)
      expect(() => parseCollectorArgs([`--${name}=-1`], noFile)).toThrow(`--${name} must be a whole number from ${range}, not "-1"`)
    }
    expect(() => parseCollectorArgs(['--epsilon', '-2'], noFile)).toThrow('--epsilon must be a number from 0.1 to 8 in hundredths, not "-2"')
    // An option's missing value is still said as such: the next option is not taken for it.
    expect(() => parseCollectorArgs(['--port', '--trust-proxy'], noFile)).toThrow(/--port/)
    expect(parseCollectorArgs(['--port', '--trust-proxy'].slice(1), noFile).trustProxy).toBe(true)
  })

  it('prints help, and one line with exit code 2 for a bad option or page key', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const err = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect(await main(['--help'])).toBe(0)
      expect(String(out.mock.calls[0]?.[0])).toContain('--raw-retention-days')
      expect(String(out.mock.calls[0]?.[0])).toMatch(/^  --health-timeout MS .*\(default 2000\)$/m)
      expect(String(out.mock.calls[0]?.[0])).toMatch(/^  --report-timeout MS .*\n.*\n.*\(default 10000\)$/m)
      expect(String(out.mock.calls[0]?.[0])).toMatch(/^  --read-timeout MS .*\n.*\(default 20000\)$/m)
      expect(await main(['--port', 'x'])).toBe(2)
      expect(await main(['--page-keys', 'x'.repeat(101)])).toBe(2)
      // A URL path is not a page key: pages could never send it, and browsers would refuse the table listing it.
      expect(await main(['--page-keys', 'home,/products/mug'])).toBe(2)
      // A page named in another script: its letters are not those of a page key, and the line says what to use.
      expect(await main(['--page-keys', 'home,商品/靴'])).toBe(2)
      expect(err.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^seglet collector: --port must be/),
        expect.stringMatching(/^seglet collector: --page-keys: page keys must be/),
        'seglet collector: --page-keys: "/products/mug" is not a page key: ASCII letters, digits, "_", "-", "." and "/", starting with a letter or digit (a path\'s words, not the path: product/mug, not /products/mug)',
        'seglet collector: --page-keys: "商品/靴" is not a page key: ASCII letters, digits, "_", "-", "." and "/", starting with a letter or digit (a path\'s words, not the path: product/mug, not /products/mug); a page named in other letters takes a key of these, such as its id (product/1042)',
      ])
    } finally {
      out.mockRestore()
      err.mockRestore()
    }
  })

  it('names in its help every command the collector runs besides serving', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      expect(await main(['--help'])).toBe(0)
      const usage = String(out.mock.calls[0]?.[0]).split('\n\n')[0]
      for (const command of ['keygen', 'publish-pack', 'retrain']) expect(usage).toMatch(new RegExp(`npm run collector -- .*\\b${command}\\b`))
    } finally {
      out.mockRestore()
    }
  })

  // A host that takes the connection but never answers (a network that drops packets, a failed-over address):
  // without a timeout the collector would wait for good, saying nothing, and every report would wait with it.
  it('gives up on a PostgreSQL that never answers, after connect_timeout seconds or POSTGRES_CONNECT_TIMEOUT_MS', async () => {
    const sockets: Socket[] = []
    const silent = createServer((socket) => void sockets.push(socket))
    await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready))
    const port = (silent.address() as AddressInfo).port
    const err = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      let started = Date.now()
      expect(await main(['--port', '0', '--database', `postgres://nobody@127.0.0.1:${port}/none?connect_timeout=1`])).toBe(1)
      expect(Date.now() - started).toBeLessThan(POSTGRES_CONNECT_TIMEOUT_MS)
      expect(String(err.mock.calls[0]?.[0])).toMatch(new RegExp(`^seglet collector: cannot reach PostgreSQL at postgres://…@127\\.0\\.0\\.1:${port}/none\\?connect_timeout=1: .*timeout`))
      started = Date.now()
      expect(await main(['--port', '0', '--database', `postgres://nobody@127.0.0.1:${port}/none`])).toBe(1)
      expect(Date.now() - started).toBeGreaterThanOrEqual(POSTGRES_CONNECT_TIMEOUT_MS - 100)
      expect(String(err.mock.calls[1]?.[0])).toMatch(/timeout/)
    } finally {
      err.mockRestore()
      for (const socket of sockets) socket.destroy()
      silent.close()
    }
  }, POSTGRES_CONNECT_TIMEOUT_MS + 10_000)

  it('says in one line when PostgreSQL cannot be reached', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect(await main(['--port', '0', '--database', 'postgres://nobody:secret@127.0.0.1:1/none'])).toBe(1)
      const line = String(err.mock.calls[0]?.[0])
      // Every SegletError message hides a URL's user name and password.
      expect(line).toMatch(/^seglet collector: cannot reach PostgreSQL at postgres:\/\/…@127\.0\.0\.1:1\/none/)
      expect(line).not.toContain('nobody')
      expect(line).not.toContain('secret')
      // A password with an unescaped @ (PostgreSQL's client takes the last @ as the end of the password): none of it.
      expect(await main(['--port', '0', '--database', 'postgres://nobody:se@cret@127.0.0.1:1/none'])).toBe(1)
      const other = String(err.mock.calls[1]?.[0])
      expect(other).toMatch(/^seglet collector: cannot reach PostgreSQL at postgres:\/\/…@127\.0\.0\.1:1\/none/)
      expect(other).not.toContain('cret')
      // A password given as a parameter, as PostgreSQL's clients take it (`?password=`, `&password=`): none of it either.
      expect(await main(['--port', '0', '--database', 'postgres://nobody@127.0.0.1:1/none?password=s3cret&sslmode=disable'])).toBe(1)
      expect(await main(['--port', '0', '--database', 'postgresql://127.0.0.1:1/none?user=nobody&PASSWORD=s3cret'])).toBe(1)
      for (const call of err.mock.calls.slice(2)) {
        expect(String(call[0])).toMatch(/^seglet collector: cannot reach PostgreSQL at postgres(ql)?:\/\/.*password=…/i)
        expect(String(call[0])).not.toContain('s3cret')
      }
      expect(err.mock.calls).toHaveLength(4)
    } finally {
      err.mockRestore()
    }
  })
})
