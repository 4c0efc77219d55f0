// 200 scripted shoppers in fresh Chromium contexts browse the demo shop, with the script tag's private reports
// going to a real collector process (its own command, on the embedded store) behind the shop's origin. The
// dashboard's estimates must agree with what the shoppers did, within its intervals; the report bodies carry no
// event field; nothing goes anywhere but the shop's origin and its report endpoint; and no report leaves while
// consent is pending or Global Privacy Control is on.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORDER_VALUE_BUCKETS, orderValueBucket, MAX_REPORT_PAGES } from '../../src/reports/schema'
import { createRng } from '../../training/rng'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'
// @ts-expect-error: plain ES module without types
import { storefrontPageKeys } from '../../scripts/storefrontPageKeys.mjs'
import { launchBrowser } from './harness'
import { probeScript, probes, readDb, waitForSeglet, waitForSegment } from './helpers'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SHOP_PORT = 4740
const COLLECTOR_PORT = 4741
const SHOP = `http://127.0.0.1:${SHOP_PORT}`
const ENDPOINT = '/seglet/reports'
/**
 * Shoppers in all (SEGLET_SHOPPERS sets fewer for a quick run while editing this file), and of them the ones whose
 * later visit has consent pending, or Global Privacy Control on (every tenth, from the fourth and the eighth).
 */
const SHOPPERS = Number(process.env.SEGLET_SHOPPERS ?? 200)
const PENDING = 10
const GPC = 10
/** Fresh contexts open at once: enough to keep two cores busy while pages wait, few enough that none time out. */
const PARALLEL = 8
/** Where the dashboard's screenshot is written (a generated file, not committed). */
export const DASHBOARD_SCREENSHOT = join(ROOT, '.build', 'screenshots', 'insights-dashboard.png')

const PRODUCTS = ['the-salt-road', 'winter-harbour', 'letters-to-nobody', 'numbers-in-the-dark', 'field-guide-to-clouds', 'the-quiet-orbit'].map((p) => `/products/${p}.html`)
const BROWSE = ['/', '/collections/fiction.html', '/collections/science.html', ...PRODUCTS, '/pages/about.html', '/pages/shipping.html', '/account.html']
const LANDING = ['/', '/collections/fiction.html', '/collections/science.html', ...PRODUCTS, '/pages/about.html']

type Kind = 'granted' | 'pending' | 'gpc'

/** What one shopper will do: pages to browse (adding some products to the cart), and whether they then buy. */
interface Plan {
  kind: Kind
  steps: { url: string; add: boolean }[]
  buy: boolean
}

/** What one shopper did, as the test saw it: the page keys of the pages they saw, in order, and their order. */
interface Visit {
  plan: Plan
  pages: string[]
  /** Order total in the shop's currency, or null without an order. */
  order: number | null
  /** Index of the page (in `pages`) after which the order was placed (the checkout page). */
  orderAfter: number
  /** The device's record of the session's decision: leaf indexes (null: cold start / none). */
  segmentLeaf: number | null
  valueSegment: number | null
  /** The name of the segment the page was given at the end of the visit. */
  segmentName: string | null
  coldStart: boolean
  /** Report requests made by the later visit. */
  reportsSent: number
  /** The collector's answer to the report (0: none sent). */
  status: number
}

/**
 * The shoppers' plans, reproducible from the seed: 2–3 pages (then the cart and checkout when buying), and about four in ten buy. No first visit is a
 * one-page session: Seglet decides a new visitor's first page without its model part (the cold-start default),
 * so no decision is recorded and that session is never reported.
 */
function plans(seed: number): Plan[] {
  const rng = createRng(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!
  return Array.from({ length: SHOPPERS }, (_, i) => {
    const kind: Kind = i % 10 === 3 && i < PENDING * 10 ? 'pending' : i % 10 === 7 && i < GPC * 10 ? 'gpc' : 'granted'
    const steps = [{ url: pick(LANDING), add: false }]
    const more = 1 + Math.floor(rng() * 2)
    for (let s = 0; s < more; s++) steps.push({ url: pick(BROWSE), add: false })
    const buy = rng() < 0.4
    if (buy) {
      // 1–2 more products in the basket, so orders fall into different value buckets.
      const items = 1 + Math.floor(rng() * 2)
      for (let s = 0; s < items; s++) steps.push({ url: pick(PRODUCTS), add: true })
    }
    return { kind, steps, buy }
  })
}

/** Every request a context made, and the report requests with their bodies and headers. */
interface Recorded {
  requests: { url: string; method: string; type: string }[]
  reports: { body: string; headers: Record<string, string>; status: number }[]
}

const pageKeyOf = (page: Page) => page.evaluate(() => document.querySelector('meta[name="seglet:page-key"]')?.getAttribute('content') ?? null)

/** Stores what the page queued, so that navigating away loses nothing (a shopper's next click comes later). */
async function settle(page: Page): Promise<void> {
  await waitForSeglet(page)
  await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
}

/** One shopper: a first visit, then (two hours later, the session closed) one more page, in a fresh context. */
async function shop(browser: Browser, plan: Plan, record: Recorded): Promise<Visit> {
  const context = await browser.newContext()
  // A loaded machine slows pages down; waits end on events, so a generous ceiling costs nothing when idle.
  context.setDefaultTimeout(120_000)
  const reports: Promise<{ body: string; headers: Record<string, string> }>[] = []
  try {
    context.on('request', (request) => {
      record.requests.push({ url: request.url(), method: request.method(), type: request.resourceType() })
      if (new URL(request.url()).pathname === ENDPOINT) reports.push(request.allHeaders().then((headers) => ({ body: request.postData() ?? '', headers }), () => ({ body: request.postData() ?? '', headers: {} })))
    })
    await context.addInitScript(probeScript)
    const page = await context.newPage()
    const pages: string[] = []
    let order: number | null = null
    let orderAfter = -1
    for (const step of plan.steps) {
      await page.goto(SHOP + step.url)
      pages.push((await pageKeyOf(page))!)
      if (step.add) {
        await settle(page)
        await page.click('[data-demo-action="add"]')
        order = (order ?? 0) + Number(await page.getAttribute('[data-demo-action="add"]', 'data-price'))
      }
      await settle(page)
    }
    if (plan.buy) {
      await page.click('a[href="/cart.html"]')
      await page.waitForURL('**/cart.html')
      pages.push((await pageKeyOf(page))!)
      await page.click('[data-demo-action="checkout"]')
      await page.waitForURL('**/checkout.html')
      pages.push((await pageKeyOf(page))!)
      await page.click('[data-demo-action="buy"]')
      await page.waitForSelector('#thanks', { state: 'visible' })
      orderAfter = pages.length - 1
      await settle(page)
    } else order = null
    // The decision of the session's last page is recorded before the shopper leaves.
    await waitForSegment(page, 120_000)
    await expect.poll(async () => Array.isArray((await readDb(page)).meta['report-sessions']), { timeout: 120_000, interval: 200 }).toBe(true)
    const segment = await page.evaluate(() => (window as unknown as { Seglet: { getSegment(): { id: string; name: string; coldStart: boolean } | null } }).Seglet.getSegment())
    await page.close()

    // Two hours later: the first session is closed, and the next page may report it.
    await context.addInitScript(() => {
      const real = Date.now
      Date.now = () => real() + 2 * 3_600_000
    })
    if (plan.kind === 'gpc') {
      await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }))
    }
    if (plan.kind === 'pending') {
      // The shop asks again: its pages now load Seglet with consent pending.
      await context.route('**/*', async (route) => {
        if (route.request().resourceType() !== 'document') return route.fallback()
        const response = await route.fetch()
        await route.fulfill({ response, body: (await response.text()).replace('data-consent="granted"', 'data-consent="pending"') })
      })
    }
    const later = await context.newPage()
    const sent = plan.kind === 'granted' ? later.waitForResponse((r) => new URL(r.url()).pathname === ENDPOINT, { timeout: 120_000 }) : undefined
    await later.goto(SHOP + '/')
    await waitForSeglet(later)
    let status = 0
    if (sent) {
      const response = await sent.catch(async (error: Error) => {
        // What the device holds, to say why no report left.
        const state = await readDb(later).catch(() => null)
        const t = await probes(later).catch(() => null)
        throw new Error(`${error.message}; ${JSON.stringify({ plan, meta: state?.meta, events: state?.events.map((e) => [e.type, e.ts]), probes: t })}`)
      })
      status = response.status()
    }
    if (!sent) await later.waitForTimeout(3000)
    const t = await probes(later)
    expect(t.network).toEqual(plan.kind === 'granted' ? ['fetch ' + SHOP + ENDPOINT] : [])
    // Global Privacy Control withdraws consent, and Seglet says it deleted what it had stored.
    // A refused report (409: the same body from the same address today) is reported once through onError.
    expect(t.errors.map((e) => e.code)).toEqual(plan.kind === 'gpc' ? ['data_deleted'] : status === 409 ? ['report_failed'] : [])
    expect(t.escaped).toEqual([])
    record.reports.push(...(await Promise.all(reports)).map((r) => ({ ...r, status })))
    // The device's record of the first session's decision (gone where Global Privacy Control cleared the store).
    const db = await readDb(later)
    const records = ((db.meta['report-sessions'] ?? []) as { start: number; segmentLeaf: number | null; valueSegment: number | null }[]).slice().sort((a, b) => a.start - b.start)
    const first = records[0] ?? { segmentLeaf: null, valueSegment: null }
    if (plan.kind === 'granted') expect(records.length).toBeGreaterThan(0)
    return {
      plan,
      pages,
      order,
      orderAfter,
      segmentLeaf: first.segmentLeaf,
      valueSegment: first.valueSegment,
      segmentName: segment?.name ?? null,
      coldStart: segment?.coldStart ?? true,
      reportsSent: t.network.length,
      status,
    }
  } finally {
    await context.close()
  }
}

interface Estimate {
  value: number | null
  low: number | null
  high: number | null
  enough: boolean
}

/** An estimate of the dashboard next to what the shoppers actually did. */
interface Comparison {
  name: string
  estimate: Estimate
  truth: number
}

/**
 * Pairs each estimate of the insights document that has a plain truth with that truth, computed from the
 * reporting shoppers' visits alone. Estimates that rest on an assumption (a segment's revenue assumes the
 * average order value) or that the document does not carry are left out; any estimate it carries for the
 * fields below is compared.
 */
function compare(doc: InsightsDoc, visits: readonly Visit[]): Comparison[] {
  const n = visits.length
  const out: Comparison[] = []
  const add = (name: string, estimate: Estimate | undefined, truth: number) => {
    // Only estimates the dashboard shows with an interval: below its minimum of reports it says "not enough
    // reports yet" and the value carries no interval.
    if (estimate && estimate.enough && typeof estimate.value === 'number' && typeof estimate.low === 'number' && typeof estimate.high === 'number' && Number.isFinite(truth)) out.push({ name, estimate, truth })
  }
  const mean = (f: (v: Visit) => number, among: readonly Visit[] = visits) => (among.length === 0 ? Number.NaN : among.reduce((s, v) => s + f(v), 0) / among.length)
  const bucketValue = (v: Visit) => (v.order === null ? 0 : ORDER_VALUE_BUCKETS[orderValueBucket(v.order)]!.value)
  const ordered = visits.filter((v) => v.order !== null)
  const ins = doc.insights
  for (const s of ins.segments) {
    const inLeaf = visits.filter((v) => v.segmentLeaf === s.leaf)
    add(`segment ${s.leaf} share`, s.share, inLeaf.length / n)
    add(`segment ${s.leaf} conversion`, s.conversion, mean((v) => (v.order === null ? 0 : 1), inLeaf))
  }
  for (const s of ins.valueSegments) add(`value segment ${s.leaf} share`, s.share, visits.filter((v) => v.valueSegment === s.leaf).length / n)
  add('conversion', ins.overall?.conversion, ordered.length / n)
  add('average order value', ins.overall?.averageOrderValue, mean(bucketValue, ordered))
  add('revenue per session', ins.overall?.revenuePerSession, mean(bucketValue))
  // No holdout is configured: every session is in neither arm.
  add('treatment share', ins.lift?.treatmentShare, 0)
  add('holdout share', ins.lift?.holdoutShare, 0)
  const reported = (v: Visit) => v.pages.slice(-MAX_REPORT_PAGES)
  add('page views per session', ins.pageViewsPerSession, mean((v) => reported(v).length))
  const allViews = visits.reduce((s, v) => s + reported(v).length, 0)
  for (const p of ins.pages ?? []) {
    const views = visits.reduce((s, v) => s + reported(v).filter((k) => k === p.key).length, 0)
    const exits = visits.filter((v) => v.pages.at(-1) === p.key).length
    const bounces = visits.filter((v) => v.pages.length === 1 && v.pages[0] === p.key).length
    const viewing = visits.filter((v) => v.pages.includes(p.key))
    add(`page ${p.key} views per session`, p.viewsPerSession, views / n)
    add(`page ${p.key} view share`, p.viewShare, views / allViews)
    add(`page ${p.key} exits per session`, p.exitsPerSession, exits / n)
    add(`page ${p.key} session share`, p.sessionShare, viewing.length / n)
    // An order followed a view of the page: the page was seen at or before the checkout that ordered.
    add(`page ${p.key} order rate`, p.orderRate, mean((v) => (v.order !== null && v.pages.indexOf(p.key) <= v.orderAfter ? 1 : 0), viewing))
    if (views > 0) {
      add(`page ${p.key} bounce rate`, p.bounceRate, bounces / views)
      add(`page ${p.key} exit rate`, p.exitRate, exits / views)
    }
  }
  return out
}

type InsightsDoc = {
  reports: number
  epsilon: number
  segmentNames: string[] | null
  valueNames: string[] | null
  insights: {
    reports: number
    reportsByQuestion: Record<string, number>
    segments: { leaf: number | null; share: Estimate; conversion: Estimate; revenuePerSession: Estimate }[]
    valueSegments: { leaf: number | null; share: Estimate }[]
    overall?: Record<string, Estimate>
    lift?: Record<string, Estimate>
    pageViewsPerSession?: Estimate
    pages?: ({ key: string; published: boolean } & Record<string, Estimate>)[]
  }
}

/** Runs `task` over `items`, `parallel` at a time, in order of start. */
async function pool<T, R>(items: readonly T[], parallel: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await task(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
  return results
}

/** Starts the collector with its own command, as a shop would, and resolves once it listens. */
async function startCollector(database: string, pageStatsDir: string): Promise<ChildProcess> {
  // The command runs the compiled collector (`npm run collector` compiles it the same way).
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'collector/tsconfig.json')], { cwd: ROOT, stdio: 'inherit' })
  const args = [
    'collector/run.mjs', '--host', '127.0.0.1', '--port', String(COLLECTOR_PORT), '--database', database, '--page-stats-dir', pageStatsDir,
    '--page-keys', storefrontPageKeys().join(','), '--trust-proxy', '--allowed-origin', SHOP,
    // Every shopper of this test comes from the one loopback address.
    '--rate-limit', '100000', '--rate-burst', '1000',
    // 200 shoppers give each question a few dozen reports: show estimates from ten, so the intervals are checked.
    '--min-reports', '10',
  ]
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk
      if (output.includes('seglet collector listening on')) ready()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
    child.once('exit', (code) => fail(new Error(`the collector exited (${code}): ${output}`)))
  })
  return child
}

describe('200 shoppers, one collector', () => {
  let dir: string
  let collector: ChildProcess | undefined
  let shopServer: { close(): Promise<void> } | undefined
  let browser: Browser | undefined
  const serverRequests: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seglet-shoppers-'))
    collector = await startCollector(join(dir, 'db'), join(dir, 'public'))
    shopServer = await startServer({ port: SHOP_PORT, collector: `http://127.0.0.1:${COLLECTOR_PORT}`, onRequest: (req: { url?: string }) => serverRequests.push(req.url ?? '') })
    browser = await launchBrowser()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await shopServer?.close()
    if (collector && collector.exitCode === null) {
      const exited = new Promise((done) => collector!.once('exit', done))
      collector.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('reports only with consent and GPC off, to the endpoint only, without event fields; the dashboard agrees with the truth', async () => {
    const record: Recorded = { requests: [], reports: [] }
    const started = Date.now()
    let done = 0
    const visits = await pool(plans(9), PARALLEL, async (plan) => {
      const visit = await shop(browser!, plan, record)
      if (++done % 25 === 0) console.log(`[shoppers] ${done}/${SHOPPERS} after ${((Date.now() - started) / 1000).toFixed(0)} s`)
      return visit
    })
    const shoppingMs = Date.now() - started
    const granted = visits.filter((v) => v.plan.kind === 'granted')
    expect(visits.filter((v) => v.plan.kind !== 'granted').every((v) => v.reportsSent === 0)).toBe(true)
    expect(granted.every((v) => v.reportsSent === 1)).toBe(true)
    // All shoppers here reach the collector from one address, like shoppers behind one proxy: an answer that
    // carries no random bits (a randomized-response value) can be byte-identical to one sent earlier today,
    // and the replay guard counts it once (409). Every other report is accepted.
    const accepted = new Set<string>()
    for (const r of record.reports) {
      if (r.status === 409) expect(accepted.has(r.body), r.body).toBe(true)
      else expect(r.status).toBe(202)
      accepted.add(r.body)
    }
    const reporting = granted.filter((v) => v.status === 202)
    expect(reporting.length).toBeGreaterThan(granted.length * 0.5)

    // Every request stayed on the shop's origin; the only one that was not a page or a file of the shop went
    // to the report endpoint, as a POST.
    const reports = record.reports
    expect(reports).toHaveLength(granted.length)
    for (const r of record.requests) {
      const url = new URL(r.url)
      expect(url.origin, r.url).toBe(SHOP)
      if (url.pathname.startsWith('/seglet/') || ['fetch', 'xhr', 'ping', 'eventsource', 'websocket'].includes(r.type)) {
        expect({ path: url.pathname, method: r.method, type: r.type }, r.url).toEqual({ path: ENDPOINT, method: 'POST', type: 'fetch' })
      } else expect(r.method, r.url).toBe('GET')
    }
    expect(serverRequests.filter((u) => u.startsWith('/seglet/'))).toEqual(reports.map(() => ENDPOINT))

    // The bodies: one size, the session's day only, and none of the shoppers' event fields.
    const today = new Date().toISOString().slice(0, 10)
    const secrets = [...PRODUCTS.map((p) => p.slice('/products/'.length, -'.html'.length)), ...storefrontPageKeys(), 'demo-', 'EUR', 'http', '/', '.html']
    for (const { body, headers } of reports) {
      expect(body.length).toBe(reports[0]!.body.length)
      expect(headers.cookie).toBeUndefined()
      expect(headers.referer).toBeUndefined()
      const parsed = JSON.parse(body) as Record<string, unknown>
      for (const secret of secrets) expect(body, secret).not.toContain(secret)
      expect(Object.keys(parsed).sort()).toEqual(Object.keys(JSON.parse(reports[0]!.body)).sort())
      for (const value of Object.values(parsed)) {
        // The answer: fixed-length hex bits, opaque. Anything else is a small number, a code, the pack id or the day.
        if (typeof value === 'string' && /^([0-9a-f]{2}){8,}$/.test(value)) continue
        if (typeof value === 'string' && /^\d{4}-/.test(value)) expect(value).toBe(today)
        else if (typeof value === 'string') expect(value).toMatch(/^[a-z0-9@.+_-]*$/i)
        else expect(typeof value).toBe('number')
        // No price (the shop's prices have cents), no time finer than the day.
        expect(String(value)).not.toMatch(/\d+\.\d{2}$|\d{10,}/)
      }
    }

    // The collector's estimates against what the shoppers did.
    const doc = (await (await fetch(`${SHOP}/seglet/insights.json`)).json()) as InsightsDoc
    expect(doc.reports).toBe(reporting.length)
    expect(Object.values(doc.insights.reportsByQuestion).reduce((a, b) => a + b, 0)).toBe(reporting.length)
    // The device's record and the page's segment agree, and the dashboard names the leaves as the pack does.
    expect(doc.segmentNames).not.toBeNull()
    for (const v of reporting) {
      if (v.segmentLeaf !== null && !v.coldStart) expect(doc.segmentNames![v.segmentLeaf]).toBe(v.segmentName)
    }
    const comparisons = compare(doc, reporting)
    const names = comparisons.map((c) => c.name)
    // With the full 200 shoppers every question has answers; a shorter run may leave one without.
    if (SHOPPERS >= 200) {
      for (const required of ['conversion', 'segment null share', 'page views per session']) expect(names).toContain(required)
      expect(comparisons.length).toBeGreaterThan(40)
    }
    const outside = comparisons.filter((c) => c.truth < c.estimate.low! - 1e-9 || c.truth > c.estimate.high! + 1e-9)
    // 95% intervals: about one in twenty may miss; more than this many misses happens with probability < 1e-4
    // (binomial tail), and no estimate is far off (4 half-widths: ~3e-15 for a normal estimate).
    const k = comparisons.length
    const allowed = Math.ceil(0.05 * k + 3.72 * Math.sqrt(0.05 * 0.95 * k))
    expect(outside.length, JSON.stringify(outside)).toBeLessThanOrEqual(allowed)
    for (const c of comparisons) {
      const half = (c.estimate.high! - c.estimate.low!) / 2
      expect(Math.abs(c.estimate.value! - c.truth), c.name).toBeLessThanOrEqual(4 * half + 1e-9)
    }

    // The dashboard shows the same: the report count, named segments, intervals or "not enough reports yet".
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } })
    const dashboard = await context.newPage()
    const pageErrors: string[] = []
    dashboard.on('pageerror', (e) => pageErrors.push(String(e)))
    await dashboard.goto(`${SHOP}/seglet/dashboard`)
    await dashboard.waitForSelector('#segments tbody')
    const shown = await dashboard.evaluate(() => {
      const facts = Object.fromEntries([...document.querySelectorAll('#facts div')].map((d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent]))
      const rows = (id: string) => [...document.querySelectorAll(`#${id} tbody tr`)].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''))
      return { facts, segments: rows('segments'), values: rows('value-segments'), pages: rows('pages') }
    })
    expect(shown.facts.Reports).toBe(reporting.length.toLocaleString('en-US'))
    expect(shown.facts['ε in force']).toBe(String(doc.epsilon))
    expect(shown.segments.map((r) => r[0])).toEqual(doc.insights.segments.map((s) => (s.leaf === null ? 'No segment yet' : doc.segmentNames![s.leaf])))
    doc.insights.segments.forEach((s, i) => {
      const cells = [s.share, s.conversion, s.revenuePerSession]
      cells.forEach((estimate, j) => {
        const text = shown.segments[i]![j + 1]!
        if (estimate.enough) expect(text).toMatch(/95%: .* to /)
        else expect(text).toBe('not enough reports yet')
      })
    })
    if (doc.valueNames) expect(shown.values.map((r) => r[0])).toEqual(doc.insights.valueSegments.map((s) => (s.leaf === null ? 'No value segment yet' : doc.valueNames![s.leaf])))
    expect(shown.pages.map((r) => r[0]).sort()).toEqual(storefrontPageKeys().sort())
    mkdirSync(dirname(DASHBOARD_SCREENSHOT), { recursive: true })
    await dashboard.screenshot({ path: DASHBOARD_SCREENSHOT, fullPage: true })
    expect(pageErrors).toEqual([])
    await context.close()
    console.log(`[shoppers] ${SHOPPERS} shoppers in ${(shoppingMs / 1000).toFixed(1)} s; ${comparisons.length} estimates compared, ${outside.length} outside their 95% interval; dashboard: ${DASHBOARD_SCREENSHOT}`)
  }, 1_500_000)
})
