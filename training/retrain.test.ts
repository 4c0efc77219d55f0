// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadPackFromUrl } from '../src/model/loadPackFromUrl'
import { expectedFeatures } from '../src/features/featureNames'
import { checkPack } from '../src/pack/checkPack'
import type { ModelPack } from '../src/pack/types'
import { PROJECT_ROOT } from './data'
import { DataError, describeFailure } from './dataError'
import { packIntegrity, packTag } from './packTag'
import { SMALL_DATA, smallDataWarnings } from './smallData'
import { main as train } from './train'
import { main as evaluate } from './evaluate'

afterEach(() => vi.unstubAllGlobals())

describe('the tag printed after training', () => {
  it('carries hashes the SDK accepts for the files as written', async () => {
    const files = { session: readFileSync(join(PROJECT_ROOT, 'src/models/session.json'), 'utf8'), lifetime: readFileSync(join(PROJECT_ROOT, 'src/models/lifetime.json'), 'utf8') }
    const tag = packTag(files, '/static/models')
    const attr = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1]
    expect(attr('data-pack-url')).toBe('/static/models/session.json')
    expect(attr('data-lifetime-pack-url')).toBe('/static/models/lifetime.json')
    vi.stubGlobal('location', new URL('https://shop.example/'))
    for (const kind of ['session', 'lifetime'] as const) {
      const integrity = attr(kind === 'session' ? 'data-pack-integrity' : 'data-lifetime-pack-integrity')!
      expect(integrity).toBe(packIntegrity(files[kind]))
      vi.stubGlobal('fetch', vi.fn(async () => new Response(files[kind])))
      const pack = JSON.parse(files[kind]) as ModelPack
      const expected = { kind, version: pack.featureSpec.version, names: pack.featureSpec.names }
      await expect(loadPackFromUrl(`/static/models/${kind}.json`, { integrity, expected })).resolves.toEqual(pack)
      // One byte changed and the SDK refuses it.
      vi.stubGlobal('fetch', vi.fn(async () => new Response(files[kind] + ' ')))
      await expect(loadPackFromUrl(`/static/models/${kind}.json`, { integrity, expected })).rejects.toMatchObject({ code: 'pack_integrity' })
    }
  })
})

describe('small data', () => {
  const labels = (n: number, positives: number) => Array.from({ length: n }, (_, i) => (i < positives ? 1 : 0))
  it.each([
    [labels(5000, 600), labels(1200, 150), []],
    [labels(SMALL_DATA.trainRows - 1, 600), labels(1200, 150), ['only 999 sessions to train on']],
    [labels(5000, 99), labels(1200, 150), ['only 99 purchases to train on']],
    [labels(5000, 600), labels(100, 29), ['only 29 purchases in the test split']],
    [labels(5000, 600), labels(200, 175), ["only 25 sessions without one in the test split"]],
  ])('warns below the documented thresholds (%#)', (train, test, expected) => {
    const warnings = smallDataWarnings('session', train, test)
    expect(warnings).toHaveLength(expected.length)
    expected.forEach((text, i) => expect(warnings[i]).toContain(text))
  })
})

describe('training on a small export', () => {
  it('writes packs whose threshold the SDK accepts when "buy nothing" is the most accurate guess', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const dir = mkdtempSync(join(tmpdir(), 'seglet-train-'))
    const savedTz = process.env.TZ
    try {
      const fixtures = join(PROJECT_ROOT, 'training/fixtures')
      // The lifetime split of the fixtures has one repeat customer: every out-of-fold guess of "repeat" is wrong.
      const code = await train(['--quick', '--events', join(fixtures, 'ga4-events.ndjson'), '--time-zone', 'UTC', '--lifetime-events', join(fixtures, 'shopify-orders.csv'),
        '--out', join(dir, 'models'), '--report', join(dir, 'report.html'), '--docs', join(dir, 'segments.md')])
      expect(code).toBe(0)
      for (const kind of ['session', 'lifetime'] as const) {
        const pack = JSON.parse(readFileSync(join(dir, 'models', `${kind}.json`), 'utf8')) as ModelPack
        expect(() => checkPack(pack, expectedFeatures(kind))).not.toThrow()
      }
    } finally {
      if (savedTz === undefined) delete process.env.TZ
      else process.env.TZ = savedTz
      rmSync(dir, { recursive: true, force: true })
      vi.restoreAllMocks()
    }
  })

  it("computes the lifetime features of a shop's orders in its --time-zone, as its shoppers' browsers do", async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const dir = mkdtempSync(join(tmpdir(), 'seglet-train-'))
    const savedTz = process.env.TZ
    try {
      // Every customer orders at 22:30 and at 01:00 in New York: two days there, one day (03-06) in UTC.
      const header = 'Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price'
      const line = (name: string, who: number, at: string) => `#${name},c${who}@example.com,paid,${at},USD,10.00,${at},1,Book,10.00`
      const rows = Array.from({ length: 12 }, (_, i) => [
        line(`${i}a`, i, '2024-03-06 03:30:00 +0000'), line(`${i}b`, i, '2024-03-06 06:00:00 +0000'),
        ...(i % 2 ? [line(`${i}c`, i, '2024-05-01 12:00:00 +0000')] : []),
      ]).flat()
      writeFileSync(join(dir, 'orders.csv'), [header, ...rows, line('last', 99, '2024-06-20 12:00:00 +0000')].join('\n') + '\n')
      process.env.TZ = 'UTC' // the training machine
      const code = await train(['--quick', '--lifetime-events', join(dir, 'orders.csv'), '--time-zone', 'America/New_York',
        '--out', join(dir, 'models'), '--report', join(dir, 'report.html'), '--docs', join(dir, 'segments.md')])
      expect(code).toBe(0)
      const spec = (JSON.parse(readFileSync(join(dir, 'models', 'lifetime.json'), 'utf8')) as ModelPack).featureSpec
      expect(spec.mean[spec.names.indexOf('active_days')]).toBeCloseTo(Math.log1p(2), 5)
    } finally {
      if (savedTz === undefined) delete process.env.TZ
      else process.env.TZ = savedTz
      rmSync(dir, { recursive: true, force: true })
      vi.restoreAllMocks()
    }
  }, 120_000)
})

describe('failures are one line', () => {
  const silence = () => vi.spyOn(process.stdout, 'write').mockImplementation(() => true)

  it('train without the data says what to do', async () => {
    silence()
    const error = await train(['--data', '/nonexistent/data']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DataError)
    const line = describeFailure(error)!
    expect(line).toMatch(/^\/nonexistent\/data\/online_shoppers_intention\.csv: no such file; download the public data sets/)
    expect(line).not.toContain('\n')
    vi.restoreAllMocks()
  })

  it('train refuses orders from a single customer (held out for testing, none to train on) in one line', async () => {
    silence()
    const dir = mkdtempSync(join(tmpdir(), 'seglet-train-'))
    try {
      const line = (name: string, at: string) => `#${name},c1@example.com,paid,${at},USD,10.00,${at},1,Book,10.00`
      const header = 'Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price'
      writeFileSync(join(dir, 'orders.csv'), [header, line('1', '2024-03-06 12:00:00 +0000'), line('2', '2024-06-20 12:00:00 +0000')].join('\n') + '\n')
      const error = await train(['--quick', '--only', 'lifetime', '--lifetime-events', join(dir, 'orders.csv'), '--time-zone', 'UTC', '--out', join(dir, 'models')]).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DataError)
      expect(describeFailure(error)).toMatch(/1 customer, all held out for testing; a lifetime pack needs orders from at least 2 customers/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
      vi.restoreAllMocks()
    }
  })

  it('train refuses events of a single session (held out for testing, none to train on) in one line', async () => {
    silence()
    const dir = mkdtempSync(join(tmpdir(), 'seglet-train-'))
    try {
      const event = (id: string, ts: number) => JSON.stringify({ type: 'page_view', url: '/', pageType: 'home', id, ts, shopper: 's1' })
      writeFileSync(join(dir, 'events.ndjson'), [event('e1', 1713694080000), event('e2', 1713694095000)].join('\n') + '\n')
      const error = await train(['--quick', '--only', 'session', '--events', join(dir, 'events.ndjson'), '--time-zone', 'UTC', '--out', join(dir, 'models')]).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DataError)
      expect(describeFailure(error)).toMatch(/all held out for testing/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
      vi.restoreAllMocks()
    }
  })

  it('train refuses a Shopify export for sessions; evaluate a missing file', async () => {
    silence()
    const shopify = join(PROJECT_ROOT, 'training/fixtures/shopify-orders.csv')
    expect(describeFailure(await train(['--events', shopify]).catch((e: unknown) => e))).toContain('has orders but no browsing sessions')
    expect(describeFailure(await evaluate(['--pack', 'src/models/session.json', '--data', '/nonexistent/x.ndjson']).catch((e: unknown) => e))).toBe('/nonexistent/x.ndjson: no such file')
    vi.restoreAllMocks()
  })

  it('evaluate scores a pack on every format and gives the same figures for the same journeys', async () => {
    const out: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true))
    const run = async (pack: string, data: string, extra: string[] = []) => {
      out.length = 0
      expect(await evaluate(['--pack', pack, '--data', join(PROJECT_ROOT, 'training/fixtures', data), '--split', 'all', '--json', '--time-zone', 'UTC', ...extra])).toBe(0)
      return JSON.parse(out.join(''))
    }
    const ga4 = await run('src/models/session.json', 'ga4-events.ndjson')
    const seglet = await run('src/models/session.json', 'seglet-events.ndjson', ['--format', 'seglet'])
    expect(ga4.format).toBe('ga4')
    expect(ga4.results.sessions.rows).toBeGreaterThan(20)
    // Sessions come in another order, so sums differ in the last bits.
    const { brier: ga4Brier, ...ga4Rest } = ga4.results.sessions
    const { brier: segletBrier, ...segletRest } = seglet.results.sessions
    expect(ga4Rest).toEqual(segletRest)
    expect(ga4Brier).toBeCloseTo(segletBrier, 12)
    expect(ga4.warnings.join(' ')).toContain('in the test split')
    const shopify = await run('src/models/lifetime.json', 'shopify-orders.csv', ['--cutoff', '2024-04-01'])
    expect(shopify.results.customers.rows).toBeGreaterThanOrEqual(4)
    vi.restoreAllMocks()
  })

  it("evaluate scores a shop's events in the shop's time zone, as training does, and refuses to guess it", async () => {
    const savedTz = process.env.TZ
    const out: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true))
    const run = async (extra: string[]) => {
      out.length = 0
      expect(await evaluate(['--pack', 'src/models/session.json', '--data', join(PROJECT_ROOT, 'training/fixtures/ga4-events.ndjson'), '--split', 'all', '--json', ...extra])).toBe(0)
      return JSON.parse(out.join('')).results.sessions
    }
    try {
      process.env.TZ = 'Pacific/Kiritimati' // the shop (UTC+14): its shoppers' browsers compute weekday and month here
      const shop = await run([])
      process.env.TZ = 'UTC' // the machine that scores the pack
      expect(await run(['--time-zone', 'Pacific/Kiritimati'])).toEqual(shop)
      delete process.env.TZ
      expect(describeFailure(await evaluate(['--pack', 'src/models/session.json', '--data', join(PROJECT_ROOT, 'training/fixtures/ga4-events.ndjson')]).catch((e: unknown) => e))).toMatch(/--time-zone/)
    } finally {
      if (savedTz === undefined) delete process.env.TZ
      else process.env.TZ = savedTz
      vi.restoreAllMocks()
    }
  })
})
