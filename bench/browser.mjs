// The browser half of `npm run bench`: Seglet measured in headless Chromium (Debian's /usr/bin/chromium via
// playwright-core). Called by bench/run.mjs; also runs on its own: `node bench/browser.mjs` (after
// `npm run build` and `npx rollup -c bench/rollup.config.mjs`).
//
// Measures: track() cost, flush throughput, one decision; for a returning shopper, the time from the
// script's responseEnd to the first `seglet:segment` (median, p90, p99) and to the model's first decision;
// on the returning shopper's page, how many of 20 tracked events could change the model inputs and how many
// decisions ran the networks; long tasks and long animation frames attributed to Seglet's files over
// storefront journeys (and a few journeys without Seglet); the IndexedDB bytes of a heavy shopper; long
// tasks while a page calls track() 100,000 times. Figures are reported, never asserted: they depend on the
// machine.
import { seedHistory } from './lib/seedHistory.mjs'
import { mulberry32 } from '../scripts/mulberry32.mjs'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startServer } from '../scripts/serve.mjs'
import { makeHistory } from './history.mjs'
import { parseArgs, summarize as summarizeSamples } from './lib/stats.mjs'

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const DAY = 86_400_000


/** A year of daily visits by a heavy shopper: 4–12 pages a day, searches, carts, an order every ~10 days. */
function makeHeavyYear(now) {
  const random = mulberry32(2024)
  const events = []
  let n = 0
  const push = (ts, event) => events.push({ ...event, id: `heavy-${n++}`, ts })
  for (let day = 365; day >= 1; day--) {
    let ts = now - day * DAY + 18 * 3_600_000
    const pages = 4 + Math.floor(random() * 9)
    for (let p = 0; p < pages; p++) {
      const kind = random()
      const pageType = kind < 0.6 ? 'product' : kind < 0.8 ? 'category' : kind < 0.9 ? 'search' : kind < 0.95 ? 'cart' : 'informational'
      const url = `/${pageType === 'product' ? 'products' : pageType}/${Math.floor(random() * 500)}?ref=nav`
      push(ts, { type: 'page_view', url, pageType })
      if (pageType === 'product') push(ts + 300, { type: 'product_view', productId: `sku-${Math.floor(random() * 500)}`, price: Math.round(random() * 8000) / 100, currency: 'EUR', category: 'books/fiction' })
      if (pageType === 'search') push(ts + 200, { type: 'search', query: `winter boots size ${Math.floor(random() * 12)}` })
      if (random() < 0.1) push(ts + 800, { type: 'add_to_cart', productId: `sku-${Math.floor(random() * 500)}`, quantity: 1, price: 19.9, currency: 'EUR' })
      const visibleMs = Math.round(3_000 + random() * 120_000)
      push(ts + visibleMs, { type: 'engagement', url, pageType, visibleMs, scrollDepth: Math.round(random() * 100) / 100 })
      ts += visibleMs + 1000
    }
    if (random() < 0.1) {
      const items = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => ({ productId: `sku-${i * 7}`, quantity: 1 + Math.floor(random() * 2), price: 12.5 }))
      push(ts, { type: 'begin_checkout', value: 50, currency: 'EUR', items })
      push(ts + 60_000, { type: 'purchase', orderId: `order-${day}`, value: 50, currency: 'EUR', items })
    }
  }
  return events
}

/** In the page: writes `events` through the real store into a fresh database and measures what it takes. */
async function heavyShopperInPage({ events, dbName, storeOptions }) {
  const { createStore } = await import('/.build/bench/internals.mjs')
  const before = (await navigator.storage.estimate()).usage ?? 0
  const store = createStore({ dbName, persist: true, ...storeOptions })
  // Day by day, as the visits would have written them (one flush per visit day, with retention).
  let day = -1
  for (const event of events) {
    const d = Math.floor(event.ts / 86_400_000)
    if (d !== day && day !== -1) await store.flush()
    day = d
    store.enqueue(event)
  }
  await store.flush()
  await store.flush() // a last idle flush: retention as of today
  const kept = await store.getEvents()
  await store.close()
  const raw = await new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName)
    req.onsuccess = () => {
      const db = req.result
      const tx = db.transaction(['events', 'meta'])
      const all = tx.objectStore('events').getAll()
      all.onsuccess = () => {
        db.close()
        resolve(all.result)
      }
      all.onerror = () => reject(all.error)
    }
    req.onerror = () => reject(req.error)
  })
  // Let Chromium's storage backend settle its files before asking for the usage.
  await new Promise((r) => setTimeout(r, 1500))
  const after = (await navigator.storage.estimate()).usage ?? 0
  // The same kept records in a database that never saw a delete: what they take once the storage backend
  // has compacted away the year's pruned events (LevelDB does that lazily, so `usageBytes` above is an
  // upper bound that includes deleted records).
  const compactBefore = (await navigator.storage.estimate()).usage ?? 0
  await new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName + '-compact', 1)
    req.onupgradeneeded = () => req.result.createObjectStore('events', { keyPath: 'id' }).createIndex('ts', 'ts')
    req.onsuccess = () => {
      const db = req.result
      const tx = db.transaction('events', 'readwrite')
      for (const record of raw) tx.objectStore('events').put(record)
      tx.oncomplete = () => {
        db.close()
        resolve()
      }
      tx.onerror = () => reject(tx.error)
    }
    req.onerror = () => reject(req.error)
  })
  await new Promise((r) => setTimeout(r, 1500))
  const compactAfter = (await navigator.storage.estimate()).usage ?? 0
  return {
    written: events.length,
    stored: raw.length,
    compactUsageBytes: compactAfter - compactBefore,
    readBack: kept.length,
    jsonBytes: new TextEncoder().encode(JSON.stringify(raw)).length,
    usageBytes: after - before,
    byType: raw.reduce((acc, e) => ((acc[e.type] = (acc[e.type] ?? 0) + 1), acc), {}),
  }
}

/** In the page: track() cost (timed in batches of 100, see below), flush throughput and decisions. */
async function internalsInPage({ history, now }) {
  const { createCapture, createStore, createModelRuntime, createSegmentEngine, decideSegment } = await import('/.build/bench/internals.mjs')
  const out = {}

  // Chromium coarsens performance.now() (~100 µs without cross-origin isolation), far above one track()
  // call: each sample times a batch of 100 calls and is divided by 100.
  let resolution = Infinity
  for (let i = 0, last = performance.now(); i < 1e5; i++) {
    const t = performance.now()
    if (t > last) resolution = Math.min(resolution, t - last)
    last = t
  }
  out.timerResolutionMs = resolution

  {
    const store = createStore({ dbName: 'bench-track', persist: true, maxEvents: Infinity, maxEventsPerSecond: Infinity })
    const capture = createCapture({ enqueue: (e) => store.enqueue(e), onError: () => {}, options: { autocapture: false } })
    const event = { type: 'add_to_cart', productId: 'sku-42', quantity: 1, price: 19.9, currency: 'EUR' }
    for (let i = 0; i < 2000; i++) capture.track(event)
    const perCall = []
    for (let b = 0; b < 400; b++) {
      const t = performance.now()
      for (let i = 0; i < 100; i++) capture.track(event)
      perCall.push((performance.now() - t) / 100)
    }
    await store.flush()
    await store.close()
    out.trackPerCall = perCall
  }

  {
    const store = createStore({ dbName: 'bench-flush', persist: true, maxEvents: Infinity, maxEventsPerSecond: Infinity })
    const capture = createCapture({ enqueue: (e) => store.enqueue(e), onError: () => {}, options: { autocapture: false } })
    await store.getEvents() // open the database first: measure the write, not the open
    for (let i = 0; i < 10_000; i++) capture.track({ type: 'search', query: `q-${i}` })
    const t = performance.now()
    await store.flush()
    const ms = performance.now() - t
    const stored = (await store.getEvents()).filter((e) => e.type === 'search').length
    await store.close()
    out.flush = { events: 10_000, stored, lost: 10_000 - stored, ms, eventsPerSecond: Math.round(10_000 / (ms / 1000)) }
  }

  {
    const runtime = createModelRuntime()
    const engine = createSegmentEngine()
    const decide = () => decideSegment({ events: history, now, runtime, engine, model: {} })
    for (let i = 0; i < 200; i++) await decide()
    // Batches of 10 for the same reason as track(): a decision takes about the timer's resolution.
    const samples = []
    for (let b = 0; b < 200; b++) {
      const t = performance.now()
      for (let i = 0; i < 10; i++) await decide()
      samples.push((performance.now() - t) / 10)
    }
    out.decision = { events: history.length, samples }
  }
  return out
}

/**
 * In the page: the declarative blocks on a busy storefront page (8,000 elements, 1,000 blocks: a badge on each of 900
 * product cards, 100 intent rules). A decision's refresh when it moves nothing the blocks read (a cart event's funnel
 * facts), only the intent, or the segment's ids; and 200 promos of 2 blocks each inserted at once, from the insertion
 * to the end of the observer's batch (its microtasks). Each sample times a batch (see track() above).
 */
export async function blocksInPage() {
  const { createBlocks } = await import('/.build/bench/internals.mjs')
  const segment = (id, parent, intent) => ({ id, name: id, path: [parent, id], pathNames: [parent, id], intent, confidence: 0.8 })
  const card = (i) => `<div class="card"><h3>Product ${i}</h3><p>Price</p><span data-seglet-show="${i % 3 ? 'engaged' : 'casual, repeat'}">Free shipping</span></div>`
  const intent = (i) => `<div class="promo"><span data-seglet-intent-above="${(i % 10) / 10}">Order today</span></div>`
  const host = document.createElement('main')
  host.innerHTML = Array.from({ length: 900 }, (_, i) => card(i)).join('') + Array.from({ length: 100 }, (_, i) => intent(i)).join('') + '<p>filler</p>'.repeat(4200)
  document.body.append(host)
  let current = segment('deal-seeker', 'engaged', 0.2)
  const blocks = createBlocks(document, () => current, () => {})
  blocks.start()
  const time = (n, run) => {
    const samples = []
    for (let b = 0; b < n; b++) {
      const t = performance.now()
      for (let i = 0; i < 10; i++) run(i)
      samples.push((performance.now() - t) / 10)
    }
    return samples
  }
  const out = { elements: host.getElementsByTagName('*').length, blocks: host.querySelectorAll('[data-seglet-show],[data-seglet-intent-above]').length }
  out.refreshUnchanged = time(100, () => ((current = { ...current }), blocks.refresh()))
  out.refreshIntent = time(100, (i) => ((current = { ...current, intent: 0.2 + (i % 2) * 0.5 }), blocks.refresh()))
  out.refreshIds = time(50, (i) => ((current = i % 2 ? segment('window-shopper', 'casual', 0.2) : segment('deal-seeker', 'engaged', 0.2)), blocks.refresh()))
  const insert = []
  for (let b = 0; b < 50; b++) {
    const promos = document.createElement('section')
    promos.innerHTML = Array.from({ length: 200 }, (_, i) => `<div class="promo"><span data-seglet-show="engaged, repeat">A</span><span data-seglet-hide="casual">B</span></div>`).join('')
    const t = performance.now()
    host.append(promos)
    // The observer's callback and the batch it schedules run as microtasks before these awaits return.
    for (let i = 0; i < 4; i++) await null
    insert.push(performance.now() - t)
    promos.remove()
    for (let i = 0; i < 4; i++) await null
  }
  out.insert400 = insert
  blocks.stop()
  host.remove()
  return out
}

/**
 * Installed before each storefront page: long tasks, long animation frames with the scripts they ran, and
 * every `seglet:segment` event (time and whether it was the stored segment, restored).
 */
function observePage() {
  const w = window
  w.__bench = { longTasks: [], frames: [], segments: [], firstSegmentAt: undefined }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__bench.longTasks.push({ start: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__bench.frames.push({ start: e.startTime, duration: e.duration, scripts: e.scripts.map((s) => ({ url: s.sourceURL, start: s.startTime, ms: s.duration, invoker: s.invoker })) })
      }
    }).observe({ type: 'long-animation-frame', buffered: true })
  } catch {
    // No longtask or long-animation-frame support: reported as none.
  }
  addEventListener('seglet:segment', (e) => {
    const at = performance.now()
    if (w.__bench.firstSegmentAt === undefined) w.__bench.firstSegmentAt = at
    w.__bench.segments.push({ at, id: e.detail?.id, restored: e.detail?.restored === true, coldStart: e.detail?.coldStart === true })
  })
}

const isSegletScript = (s) => /\/dist\/seglet[^/]*\.js/.test(s.url ?? '')

/**
 * Which scripts ran inside each long task over 50 ms: the script entries of the long animation frames of the same
 * page (the browser lists every script of 5 ms or more; a long task is always inside a long frame) that overlap
 * the task, clipped to it. `segletMs` is the time of Seglet's files; a task whose duration minus it is still over
 * 50 ms would have been long without Seglet's script. `others` names the rest, for the tasks Seglet was not in.
 */
const scriptsInLongTasks = (tasks, frames) => {
  const scripts = frames.flatMap((f) => f.scripts.map((s) => ({ ...s, doc: f.doc })))
  return tasks
    .filter((t) => t.duration > 50)
    .map((t) => {
      const end = t.start + t.duration
      const inTask = scripts
        .filter((s) => s.doc === t.doc)
        .map((s) => ({ ...s, ms: Math.max(0, Math.min(end, s.start + s.ms) - Math.max(t.start, s.start)) }))
        .filter((s) => s.ms > 0)
      const segletMs = inTask.filter(isSegletScript).reduce((a, s) => a + s.ms, 0)
      // What else ran in it (the page's own scripts, by file and invoker), for a task Seglet's script was not in.
      const others = inTask.filter((s) => !isSegletScript(s)).map((s) => `${(s.url || '(no file)').split('/').pop()} ${/^https?:/.test(s.invoker) ? '(evaluation)' : s.invoker} ${Math.round(s.ms)} ms`)
      return { duration: Math.round(t.duration), segletMs: Math.round(segletMs), others }
    })
}

/** Long animation frames (≥ 50 ms) in which one of Seglet's files ran a script, and Seglet's share of each. */
const segletFrames = (frames) =>
  frames
    .filter((f) => f.duration >= 50)
    .map((f) => ({ duration: f.duration, segletMs: f.scripts.filter(isSegletScript).reduce((a, s) => a + s.ms, 0), scripts: f.scripts }))
    .filter((f) => f.segletMs > 0)

let journeyPages = 0

/** One storefront journey (home, category, product, cart, checkout, purchase); returns what the pages saw. */
async function journey(page, base) {
  const tasks = []
  const frames = []
  // Each page's entries carry its number, unique over the run: their times count from that page's own origin.
  const collect = async () => {
    const seen = await page.evaluate(() => window.__bench)
    const doc = ++journeyPages
    tasks.push(...seen.longTasks.map((t) => ({ ...t, doc })))
    frames.push(...seen.frames.map((f) => ({ ...f, doc })))
  }
  await page.goto(base + '/')
  await page.waitForTimeout(600)
  await collect()
  for (const path of ['/collections/fiction.html', '/products/the-salt-road.html']) {
    await page.click(`a[href="${path}"]`)
    await page.waitForURL('**' + path)
    await page.waitForTimeout(600)
    await collect()
  }
  await page.click('[data-demo-action="add"]')
  await page.click('a[href="/cart.html"]')
  await page.waitForURL('**/cart.html')
  await page.waitForTimeout(600)
  await collect()
  await page.click('[data-demo-action="checkout"]')
  await page.waitForURL('**/checkout.html')
  await page.click('[data-demo-action="buy"]')
  await page.waitForTimeout(1500) // the flush and the decision after the purchase
  await collect()
  return { tasks, frames }
}

/**
 * Twenty events a shopper's page tracks (recommendations viewed, searches, cart changes, an SPA page view,
 * a purchase), one flush each.
 */
const TWENTY_EVENTS = [
  { type: 'product_view', productId: 'sku-101', price: 18.5, currency: 'EUR' },
  { type: 'product_view', productId: 'sku-102', price: 12, currency: 'EUR' },
  { type: 'search', query: 'sea novels' },
  { type: 'add_to_cart', productId: 'sku-101', quantity: 1, price: 18.5, currency: 'EUR' },
  { type: 'product_view', productId: 'sku-103', price: 9.9, currency: 'EUR' },
  { type: 'add_to_cart', productId: 'sku-103', quantity: 1, price: 9.9, currency: 'EUR' },
  { type: 'remove_from_cart', productId: 'sku-103', quantity: 1, price: 9.9, currency: 'EUR' },
  { type: 'search', query: 'salt road paperback' },
  { type: 'product_view', productId: 'sku-104', price: 22, currency: 'EUR' },
  { type: 'search', query: 'gift card' },
  { type: 'add_to_cart', productId: 'sku-104', quantity: 2, price: 22, currency: 'EUR' },
  { type: 'product_view', productId: 'sku-105', price: 15, currency: 'EUR' },
  { type: 'page_view', url: '/products/the-quiet-orbit', pageType: 'product' },
  { type: 'product_view', productId: 'sku-106', price: 14, currency: 'EUR' },
  { type: 'remove_from_cart', productId: 'sku-104', quantity: 1, price: 22, currency: 'EUR' },
  { type: 'search', query: 'maps' },
  { type: 'begin_checkout', value: 40.5, currency: 'EUR', items: [{ productId: 'sku-101', quantity: 1, price: 18.5 }, { productId: 'sku-104', quantity: 1, price: 22 }] },
  { type: 'purchase', orderId: 'bench-order-20', value: 40.5, currency: 'EUR', items: [{ productId: 'sku-101', quantity: 1, price: 18.5 }, { productId: 'sku-104', quantity: 1, price: 22 }] },
  { type: 'product_view', productId: 'sku-107', price: 11, currency: 'EUR' },
  { type: 'search', query: 'bookmarks' },
]

/**
 * In a returning shopper's page, after the model's first decision: tracks each event, flushes, and gives
 * Seglet time to decide. Counts the decisions that ran the networks (the `seglet:decision` User Timing
 * entries the model part records) and the `seglet:segment` events, and, as a reference, whether the event
 * moved the model inputs: the same feature code (bench build) over what IndexedDB holds, normalised with the
 * shipped packs' specs, compared with the decider's own tolerances (`decisionTolerance()`).
 */
async function trackedEventsInPage({ events, settleMs }) {
  const { computeFeatures, applyFeatureSpec, SHIPPED_PACKS, decisionTolerance } = await import('/.build/bench/internals.mjs')
  const readAll = () =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open('seglet')
      req.onsuccess = () => {
        const all = req.result.transaction('events').objectStore('events').getAll()
        all.onsuccess = () => (req.result.close(), resolve(all.result.sort((a, b) => a.ts - b.ts)))
        all.onerror = () => reject(all.error)
      }
      req.onerror = () => reject(req.error)
    })
  // `withTime: false` leaves out the engagement records (visible time, written with every flush): what the
  // tracked events themselves can move, apart from the time the shopper spends on the page meanwhile.
  const inputs = async (withTime = true) => {
    const now = Date.now()
    const events = (await readAll()).filter((e) => withTime || e.type !== 'engagement')
    const f = computeFeatures(events, now)
    return {
      session: applyFeatureSpec(f.sessionRaw, SHIPPED_PACKS.session.featureSpec),
      lifetime: f.lifetime.orders > 0 ? applyFeatureSpec(f.lifetimeRaw, SHIPPED_PACKS.lifetime.featureSpec) : undefined,
      pageViews: f.session.pageViews,
      orders: f.lifetime.orders,
    }
  }
  const moved = (a, b) => {
    if (a.pageViews !== b.pageViews || a.orders !== b.orders || !a.lifetime !== !b.lifetime) return ['evidence']
    const names = []
    const check = (x, y, spec) => x && x.forEach((v, i) => Math.abs(v - y[i]) > decisionTolerance(spec.names[i]) && names.push(spec.names[i]))
    check(a.session, b.session, SHIPPED_PACKS.session.featureSpec)
    check(a.lifetime, b.lifetime, SHIPPED_PACKS.lifetime.featureSpec)
    return names
  }
  const decisions = () => performance.getEntriesByName('seglet:decision').length
  const segments = () => window.__bench.segments.length
  const wait = (ms) => new Promise((r) => setTimeout(r, ms))
  // Whatever the page load itself wrote and decided settles first.
  await window.Seglet.flush()
  await wait(settleMs)
  const startDecisions = decisions()
  const startSegments = segments()
  let before = await inputs()
  let beforeOwn = await inputs(false)
  const perEvent = []
  for (const event of events) {
    const d = decisions()
    const s = segments()
    window.Seglet.track(event)
    await window.Seglet.flush()
    await wait(settleMs)
    const after = await inputs()
    const afterOwn = await inputs(false)
    perEvent.push({ type: event.type, moved: moved(before, after), movedByEvent: moved(beforeOwn, afterOwn), decisions: decisions() - d, segmentEvents: segments() - s })
    before = after
    beforeOwn = afterOwn
  }
  return {
    events: events.length,
    /** Events whose own content moves a model input (time on the page aside). */
    couldChange: perEvent.filter((e) => e.movedByEvent.length > 0).length,
    /** Writes after which an input had moved, the visible time they carry included (what the decider compares). */
    writesThatMovedInputs: perEvent.filter((e) => e.moved.length > 0).length,
    decisions: decisions() - startDecisions,
    segmentEvents: segments() - startSegments,
    /** Decisions that ran the networks after an event that could not change an input by itself. */
    decisionsOnUnchanged: perEvent.filter((e) => e.movedByEvent.length === 0 && e.decisions > 0).length,
    /** The same, after a write that moved no input at all (visible time included): none expected. */
    decisionsOnUnmovedWrites: perEvent.filter((e) => e.moved.length === 0 && e.decisions > 0).length,
    /** Inputs that moved after the writes of events that could not change any by themselves. */
    movedByTimeOnly: [...new Set(perEvent.filter((e) => e.movedByEvent.length === 0).flatMap((e) => e.moved))],
    perEvent,
  }
}

/**
 * Runs every browser measurement and prints a table.
 * @param {{ summarize?: (samples: number[]) => object, loads?: number, journeys?: number, repeats?: number }} [options]
 *   `loads`: returning-shopper page loads timed to the first segment; `journeys`: storefront journeys watched
 *   for long work; `repeats`: runs of the 20-event page and of the 100,000-call flood; `heavy`: measure a heavy
 *   shopper's year of IndexedDB records (a few minutes on a busy machine).
 */
export async function runBrowserBench({ summarize = summarizeSamples, loads = 50, journeys = 30, without: withoutRuns = Math.min(3, journeys), repeats = 3, heavy = true } = {}) {
  const server = await startServer({ port: 0 })
  const profile = mkdtempSync(join(os.tmpdir(), 'seglet-bench-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS })
  const results = {}
  try {
    const version = context.browser()?.version() ?? (await (await context.newPage()).evaluate(() => navigator.userAgent))
    results.browser = version
    const page = await context.newPage()
    await page.goto(server.url + '/bench/pages/blank.html')

    // 1. A heavy shopper's bytes first, while the origin holds nothing else.
    const now = Date.now()
    if (heavy) {
      const year = makeHeavyYear(now)
      // A year of visits written in seconds: without the per-page rate limit, which is for one page.
      results.heavyShopper = await page.evaluate(heavyShopperInPage, { events: year, dbName: 'bench-heavy', storeOptions: { maxEventsPerSecond: Infinity } })
      results.heavyShopperUnpruned = await page.evaluate(heavyShopperInPage, { events: year, dbName: 'bench-heavy-unpruned', storeOptions: { retentionDays: 3650, purchaseRetentionDays: 3650, maxEvents: Infinity, maxEventsPerSecond: Infinity } })
    }

    // 2. Stage costs.
    const history = makeHistory({ days: 30, now })
    const internals = await page.evaluate(internalsInPage, { history, now })
    results.timerResolutionMs = internals.timerResolutionMs
    results.track = summarize(internals.trackPerCall)
    results.flush = internals.flush
    results.decision = { events: internals.decision.events, ...summarize(internals.decision.samples) }
    const b = await page.evaluate(blocksInPage)
    results.blocks = { elements: b.elements, blocks: b.blocks, refreshUnchanged: summarize(b.refreshUnchanged), refreshIntent: summarize(b.refreshIntent), refreshIds: summarize(b.refreshIds), insert400: summarize(b.insert400) }
    await page.close()

    // 3. Time from the script's responseEnd to the first `seglet:segment`, returning shopper: 30 days of
    // history in the 'seglet' database of the storefront origin (written through the real store), then
    // `loads` page loads of a product page (one more first, to warm the server and the disk cache).
    await seedHistory(context, server.url, history)
    await context.addInitScript(observePage)
    const sinceScript = []
    const sinceNavigation = []
    const modelSinceScript = []
    const runtimeLoaded = []
    let restored = 0
    const shopper = await context.newPage()
    for (let i = 0; i <= loads; i++) {
      await shopper.goto(server.url + '/products/the-salt-road.html')
      await shopper.waitForFunction(() => window.__bench.firstSegmentAt !== undefined && performance.getEntriesByName('seglet:decision').length > 0, undefined, { timeout: 15_000 })
      const t = await shopper.evaluate(() => {
        const find = (file) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(file))
        return {
          first: window.__bench.segments[0],
          decided: performance.getEntriesByName('seglet:decision')[0],
          scriptEnd: find('/dist/seglet.min.js')?.responseEnd ?? 0,
          runtimeEnd: find('/dist/seglet-model.min.js')?.responseEnd,
        }
      })
      if (i === 0) continue
      sinceScript.push(t.first.at - t.scriptEnd)
      sinceNavigation.push(t.first.at)
      if (t.first.restored) restored++
      modelSinceScript.push(t.decided.startTime + t.decided.duration - t.scriptEnd)
      if (t.runtimeEnd !== undefined) runtimeLoaded.push(t.runtimeEnd - t.scriptEnd)
    }
    results.firstSegment = {
      loads,
      fromScript: summarize(sinceScript),
      fromNavigation: summarize(sinceNavigation),
      restoredFirst: restored,
      modelDecisionFromScript: summarize(modelSinceScript),
      runtimeFetchedAfterScript: summarize(runtimeLoaded),
      storedEvents: history.length,
    }

    // 4. Twenty tracked events on the returning shopper's page: decisions that ran the networks, against the
    // events that could change the model inputs at all.
    results.trackedEvents = []
    for (let run = 0; run < repeats; run++) {
      await shopper.goto(server.url + '/products/the-salt-road.html')
      await shopper.waitForFunction(() => performance.getEntriesByName('seglet:decision').length > 0, undefined, { timeout: 15_000 })
      results.trackedEvents.push(await shopper.evaluate(trackedEventsInPage, { events: TWENTY_EVENTS, settleMs: 700 }))
    }
    await shopper.close()

    // 5. Long work during storefront journeys of the returning shopper: long tasks, and long animation frames
    // in which Seglet's files ran (attribution by script URL); `withoutRuns` journeys (`--without N`, default 3)
    // with Seglet's scripts blocked for comparison, spread evenly among the others.
    const withSeglet = { tasks: [], frames: [], runs: 0 }
    const without = { tasks: [], frames: [], runs: 0 }
    const blockedAt = new Set(Array.from({ length: withoutRuns }, (_, k) => Math.floor(((k + 0.5) * (journeys + withoutRuns)) / withoutRuns)))
    for (let run = 0; run < journeys + withoutRuns; run++) {
      const blocked = blockedAt.has(run)
      const p = await context.newPage()
      if (blocked) await p.route('**/dist/seglet*.js', (route) => route.abort())
      const seen = await journey(p, server.url)
      const into = blocked ? without : withSeglet
      into.tasks.push(...seen.tasks)
      into.frames.push(...seen.frames)
      into.runs++
      await p.close()
    }
    const sum = ({ tasks, frames, runs }) => {
      const seglet = segletFrames(frames)
      return {
        runs,
        longTasks: tasks.length,
        over50ms: tasks.filter((t) => t.duration > 50).length,
        // Each task over 50 ms: Seglet's script time in it and what else ran (ms, rounded).
        over50msScripts: scriptsInLongTasks(tasks, frames),
        maxMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
        totalMs: tasks.reduce((s, t) => s + t.duration, 0),
        segletLongFrames: seglet.length,
        segletLongFramesOwn50ms: seglet.filter((f) => f.segletMs >= 50).length,
        segletScriptMsInLongFrames: seglet.reduce((s, f) => s + f.segletMs, 0),
        // Which of Seglet's scripts ran in those frames: file and what invoked it (evaluation, a callback).
        segletScriptsInLongFrames: Object.entries(
          seglet
            .flatMap((f) => f.scripts.filter(isSegletScript))
            .reduce((acc, x) => {
              const key = `${x.url.split('/').pop()} ${/^https?:/.test(x.invoker) ? '(evaluation)' : x.invoker}`
              acc[key] = acc[key] ?? { count: 0, ms: 0 }
              acc[key].count++
              acc[key].ms += x.ms
              return acc
            }, {}),
        ).map(([script, v]) => ({ script, count: v.count, ms: Math.round(v.ms) })),
      }
    }
    results.longTasks = { with: sum(withSeglet), without: sum(without) }

    // 6. A runaway page: 100,000 track() calls in tasks of 1,000, through the script tag (default limits) and
    // through the store without its rate limit (the write slices alone).
    results.flood = {}
    for (const variant of ['tag', 'unlimited']) {
      const samples = []
      const over50 = []
      const stored = []
      for (let run = 0; run < repeats; run++) {
        const p = await context.newPage()
        await p.goto(server.url + '/test/browser/pages/blank.html')
        await p.evaluate(() => new Promise((resolve) => {
          const req = indexedDB.deleteDatabase('seglet')
          req.onsuccess = req.onerror = req.onblocked = () => resolve()
        }))
        if (variant === 'tag') await p.goto(server.url + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent('{"consent":"granted","autocapture":"false"}'))
        const r = await p.evaluate(floodInPage, variant)
        samples.push(...r.chunkMs)
        over50.push(r.longTasks)
        stored.push(r.stored)
        results.flood[variant] = { ...r, chunkMs: undefined }
        await p.close()
      }
      results.flood[variant] = {
        ...results.flood[variant],
        runs: repeats,
        chunk: summarize(samples),
        longTasksOver50ms: over50.flat().filter((d) => d > 50).length / repeats,
        maxLongTaskMs: Math.max(0, ...over50.flat()),
        stored,
      }
    }
  } finally {
    await context.close()
    await server.close()
    rmSync(profile, { recursive: true, force: true })
  }
  print(results)
  return results
}

/**
 * In the page: 100 tasks of 1,000 `track()` calls, then waits until everything is written and the page has
 * been idle for a second. Returns each task's duration, every long task (ms) the page saw meanwhile, and
 * how many events the database keeps.
 */
export async function floodInPage(variant) {
  const longTasks = []
  new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask' })
  let seglet
  let errors = []
  if (variant === 'tag') {
    await new Promise((resolve) => {
      const wait = () => (typeof window.Seglet === 'object' && !Array.isArray(window.seglet) ? resolve() : setTimeout(wait, 20))
      wait()
    })
    window.Seglet.onError((e) => errors.push(e.code))
    seglet = window.Seglet
  } else {
    const { createCapture, createStore } = await import('/.build/bench/internals.mjs')
    const store = createStore({ persist: true, maxEventsPerSecond: Infinity, onError: (e) => errors.push(e.code) })
    const capture = createCapture({ enqueue: (e) => store.enqueue(e), onError: () => {}, options: { autocapture: false } })
    seglet = { track: capture.track, flush: () => store.flush() }
  }
  // Starts clean: what loading the page cost is not counted.
  await new Promise((r) => setTimeout(r, 500))
  longTasks.length = 0
  const chunkMs = []
  const started = performance.now()
  for (let task = 0; task < 100; task++) {
    const t = performance.now()
    for (let i = 0; i < 1000; i++) seglet.track({ type: 'search', query: `flood-${task}-${i}` })
    chunkMs.push(performance.now() - t)
    await new Promise((r) => setTimeout(r, 0))
  }
  const tracked = performance.now() - started
  await seglet.flush()
  const written = performance.now() - started
  await new Promise((r) => setTimeout(r, 1000))
  const stored = await new Promise((resolve, reject) => {
    const req = indexedDB.open('seglet')
    req.onsuccess = () => {
      const count = req.result.transaction('events').objectStore('events').count()
      count.onsuccess = () => (req.result.close(), resolve(count.result))
      count.onerror = () => reject(count.error)
    }
    req.onerror = () => reject(req.error)
  })
  return { chunkMs, longTasks, trackedMs: tracked, writtenMs: written, stored, errors: [...new Set(errors)] }
}

function print(r) {
  const us = (ms) => `${(ms * 1000).toFixed(2)} µs`
  const ms = (v) => `${v.toFixed(2)} ms`
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`
  console.log(`\nChromium (${r.browser}) — timer resolution ${us(r.timerResolutionMs)}`)
  console.log(`  track()             median ${us(r.track.median)}   p99 ${us(r.track.p99)}   (per call, ${r.track.n} batches of 100; target median ≤ 20 µs)`)
  console.log(`  flush 10,000        ${ms(r.flush.ms)}   ${r.flush.eventsPerSecond} events/s   stored ${r.flush.stored}, lost ${r.flush.lost}`)
  console.log(`  one decision        median ${ms(r.decision.median)}   p99 ${ms(r.decision.p99)}   (${r.decision.events} stored events; target median ≤ 1 ms, p99 ≤ 5 ms)`)
  const bl = r.blocks
  console.log(`  blocks refresh      median ${ms(bl.refreshUnchanged.median)} p99 ${ms(bl.refreshUnchanged.p99)} for a decision that moves nothing they read; ${ms(bl.refreshIntent.median)} (p99 ${ms(bl.refreshIntent.p99)}) only the intent; ${ms(bl.refreshIds.median)} (p99 ${ms(bl.refreshIds.p99)}) new ids (${bl.blocks} blocks in ${bl.elements} elements)`)
  console.log(`  400 blocks added    median ${ms(bl.insert400.median)} p99 ${ms(bl.insert400.p99)} from the insertion to the end of the observer's batch`)
  const fs = r.firstSegment
  // With fewer than 100 samples the nearest-rank p99 is the slowest one, and is named so.
  const pct = (m) => `median ${ms(m.median)}   p90 ${ms(m.p90)}   ${m.n < 100 ? 'max' : 'p99'} ${ms(m.p99)}`
  console.log(`  first segment       ${pct(fs.fromScript)}   from seglet.min.js responseEnd (returning shopper, ${fs.loads} loads, ${fs.storedEvents} stored events; goal median ≤ 50 ms, p90 ≤ 100 ms)`)
  console.log(`                      the first was the restored segment in ${fs.restoredFirst} of ${fs.loads} loads; from navigation start ${pct(fs.fromNavigation)}`)
  console.log(`                      the model's first decision ${pct(fs.modelDecisionFromScript)} after responseEnd; seglet-model.min.js fetched ${ms(fs.runtimeFetchedAfterScript.median ?? NaN)} after seglet.min.js (median)`)
  for (const [i, t] of r.trackedEvents.entries()) {
    console.log(`  20 tracked events   run ${i + 1}: ${t.couldChange} could change the model inputs by themselves; ${t.writesThatMovedInputs} writes moved an input (with the visible time each write carries: ${t.movedByTimeOnly.join(', ') || 'nothing else'})`)
    console.log(`                      ${t.decisions} decisions ran the networks: ${t.decisionsOnUnchanged} after an event that could not change the inputs, ${t.decisionsOnUnmovedWrites} after a write that moved none; ${t.segmentEvents} seglet:segment events (goal: no re-decision for events that cannot change the vector)`)
  }
  const lt = r.longTasks
  const perJourney = (n, runs) => (runs ? (n / runs).toFixed(2) : '-')
  const row = (x) => `${x.longTasks} long tasks in ${x.runs} journeys (${x.over50ms} over 50 ms: ${perJourney(x.over50ms, x.runs)} per journey, max ${ms(x.maxMs)}, total ${ms(x.totalMs)})`
  console.log(`  long work/journey   with Seglet ${row(lt.with)}`)
  console.log(`                      without     ${row(lt.without)}`)
  const over = lt.with.over50msScripts
  const ran = over.filter((t) => t.segletMs > 0)
  console.log(`                      of the ${over.length} over 50 ms with Seglet: ${ran.length} ran Seglet's script (${ran.map((t) => `${t.segletMs} of ${t.duration} ms`).join(', ') || 'none'}); ${ran.filter((t) => t.duration - t.segletMs <= 50).length} would have been 50 ms or less without it`)
  for (const t of over.filter((x) => x.segletMs === 0)) console.log(`                        a ${t.duration} ms task without Seglet's script: ${t.others.join(', ') || 'no script of 5 ms or more in a long frame over it'}`)
  for (const t of lt.without.over50msScripts) console.log(`                        without Seglet, a ${t.duration} ms task: ${t.others.join(', ') || 'no script of 5 ms or more in a long frame over it'}`)
  console.log(`                      long animation frames in which Seglet's files ran: ${lt.with.segletLongFrames} (${lt.with.segletLongFramesOwn50ms} with ≥ 50 ms of Seglet's own script; ${ms(lt.with.segletScriptMsInLongFrames)} of Seglet script in them; goal: none)`)
  for (const x of lt.with.segletScriptsInLongFrames) console.log(`                        ${x.script}: in ${x.count} of them, ${x.ms} ms in all`)
  const h = r.heavyShopper
  if (h) console.log(`  heavy shopper       ${kb(h.usageBytes)} IndexedDB usage (storage.estimate), ${kb(h.jsonBytes)} as JSON: ${h.stored} of ${h.written} events kept after retention (target ≤ 1 MB)`)
  if (h) console.log(`                      ${kb(h.compactUsageBytes)} for the kept records in a database without deletes; the first figure counts LevelDB files with the year's pruned records not yet compacted away: an upper bound`)
  for (const [variant, f] of Object.entries(r.flood ?? {})) {
    console.log(`  100,000 track() ${variant === 'tag' ? '(script tag, default limits)' : '(store without rate limit)'}`)
    console.log(`                      per 1,000 calls median ${ms(f.chunk.median)} p99 ${ms(f.chunk.p99)}; written ${ms(f.writtenMs)} after the first call; stored ${f.stored.join(', ')} (cap 5,000); reported ${f.errors.join(', ') || 'nothing'}`)
    console.log(`                      long tasks over 50 ms: ${f.longTasksOver50ms.toFixed(1)} per run (max ${ms(f.maxLongTaskMs)}, ${f.runs} runs)`)
  }
  const u = r.heavyShopperUnpruned
  if (u) console.log(`  same, no retention  ${kb(u.compactUsageBytes)} IndexedDB usage (no deletes), ${kb(u.jsonBytes)} as JSON: ${u.stored} events`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runBrowserBench(browserRounds(parseArgs()))
}

/** What `--rounds N` and `--quick` mean for the browser half: page loads, journeys and repeats. */
export function browserRounds({ quick, rounds, without }) {
  const counts = rounds !== undefined
    ? { loads: rounds, journeys: rounds, repeats: Math.max(1, Math.min(3, Math.round(rounds / 10))) }
    : quick ? { loads: 8, journeys: 3, repeats: 1, heavy: false } : { loads: 50, journeys: 30, repeats: 3 }
  return without === undefined ? counts : { ...counts, without }
}
