#!/usr/bin/env node
// Where the script-tag core's time goes when a storefront page loads it: the demo storefront's product page
// for a returning shopper (30 days of stored history, as `npm run bench` section 3) and for a first visit (an
// empty database), and the same page without Seglet, interleaved over rounds in headless Chromium.
//
// Per load, from a Chromium trace: the evaluation of seglet.min.js (compile and run), every task in which
// Seglet's files ran script (the longest, how many ≥ 50 ms, Seglet's script time in all of them), and the
// page's own long animation frames with Seglet's script in them (`forcedStyleAndLayoutDuration` included).
// With `--profile`, a CPU profile (fine sampling interval) of each load too: the top self-time functions of
// the evaluation of seglet.min.js (its top-level code and what it calls), mapped back to their source file and line through a source map of the core built here.
// Medians over rounds; the load average is printed with them, as timings on a busy machine are noisy.
//
// The core is built here from src/ (the build's own settings, scripts/script-tag-build.mjs) and served in
// place of dist/seglet.min.js; the lazy parts come from dist/ (run `npm run build` first). Servers listen on
// 127.0.0.1 only.
// Usage: node bench/evaluation.mjs [--rounds N] [--cpu-throttle N] [--profile] [--interval µs] [--scope all] [--port P] [--core file] [--model file] [--json file]
import { seedHistory } from './lib/seedHistory.mjs'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'
import { chromium } from 'playwright-core'
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping'
import { scriptTagBuild } from '../scripts/script-tag-build.mjs'
import { startServer } from '../scripts/serve.mjs'
import { makeHistory } from './history.mjs'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/peerPages.mjs'
import { loadAverage, summarize } from './lib/stats.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
process.chdir(ROOT)
const argv = process.argv.slice(2)
const flag = (name, fallback) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (i < 0) return fallback
  return argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1]
}
const rounds = Number(flag('rounds', 7))
const profiling = argv.includes('--profile')
const intervalUs = Number(flag('interval', 50))
/** `--scope all`: profile all of the core's script time (the start's own task and callbacks too), not only its evaluation. */
const wholeScript = flag('scope') === 'all'
const port = Number(flag('port', 4730))
/**
 * `--cpu-throttle N`: Chromium runs the page's main thread N times slower (CDP `Emulation.setCPUThrottlingRate`),
 * the way Lighthouse's mobile runs emulate a mid-range phone with 4: what a task of the start costs on a slower
 * device than this one. 1 (the default) is this machine's own speed.
 */
const cpuThrottle = Number(flag('cpu-throttle', 1))
if (!Number.isFinite(cpuThrottle) || cpuThrottle < 1) throw new Error(`--cpu-throttle: a number ≥ 1, got ${flag('cpu-throttle')}`)
const PAGE = '/products/the-salt-road.html'
const SEGLET_URL = /\/dist\/seglet[^/]*\.js/

if (!existsSync('dist/seglet-model.min.js')) throw new Error('run `npm run build` first: the lazy parts are served from dist/')
if (!existsSync('.build/bench/internals.mjs')) execFileSync('npx', ['rollup', '-c', 'bench/rollup.config.mjs', '--silent'], { stdio: 'inherit' })

// The core as the build makes it, with a source map kept here (the page never sees it); or, with
// `--core file`, a core built before (another version, to compare in the same run conditions; no source map).
const coreFile = flag('core')
let chunk
if (coreFile) chunk = { code: readFileSync(coreFile, 'utf8'), map: { version: 3, sources: [], names: [], mappings: '' } }
else {
  const { input, output } = scriptTagBuild('src/script/index.ts', { sourcemap: true })
  const bundle = await rollup({ ...input, onwarn: () => {} })
  chunk = (await bundle.generate(output)).output[0]
  await bundle.close()
}
const map = new TraceMap(chunk.map)
// `--model file`: a model part built before, served in place of dist/seglet-model.min.js (to compare its
// tasks with the current one's in the same conditions).
const modelFile = flag('model')
const modelCode = modelFile ? readFileSync(modelFile, 'utf8') : undefined

/** Installed before each page: long animation frames with the scripts that ran in them. */
function observeFrames() {
  window.__frames = []
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__frames.push({
          duration: e.duration,
          blockingDuration: e.blockingDuration,
          scripts: e.scripts.map((s) => ({ url: s.sourceURL, invoker: s.invoker, invokerType: s.invokerType, duration: s.duration, compileMs: s.executionStart - s.startTime, forcedStyleAndLayoutMs: s.forcedStyleAndLayoutDuration })),
        })
      }
    }).observe({ type: 'long-animation-frame', buffered: true })
  } catch {
    // No long-animation-frame support: none reported.
  }
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'disabled-by-default-v8.compile', 'toplevel']

async function readTrace(cdp) {
  const events = []
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
  const onData = ({ value }) => events.push(...value)
  cdp.on('Tracing.dataCollected', onData)
  await cdp.send('Tracing.end')
  await done
  cdp.off('Tracing.dataCollected', onData)
  return events
}

/**
 * Seglet's share of one trace: the evaluation of seglet.min.js (its compile inside), and every top-level task
 * of the page's main thread in which one of Seglet's files ran script.
 */
function analyseTrace(events) {
  // The renderer's main thread: the one that evaluated the page's scripts.
  const evaluations = events.filter((e) => e.name === 'EvaluateScript' && e.ph === 'X')
  const mine = evaluations.find((e) => /\/dist\/seglet\.min\.js/.test(e.args?.data?.url ?? ''))
  if (!mine) return undefined
  const { pid, tid } = mine
  const thread = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined)
  const within = (outer, e) => e.ts >= outer.ts && e.ts + e.dur <= outer.ts + outer.dur
  const compile = thread.filter((e) => e.name === 'v8.compile' && within(mine, e)).reduce((s, e) => s + e.dur, 0)
  const tasks = thread.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
  const segletScripts = thread.filter(
    (e) =>
      (e.name === 'EvaluateScript' && SEGLET_URL.test(e.args?.data?.url ?? '')) ||
      (e.name === 'FunctionCall' && SEGLET_URL.test(e.args?.data?.url ?? e.args?.data?.scriptName ?? '')) ||
      (e.name === 'v8.evaluateModule' && SEGLET_URL.test(JSON.stringify(e.args ?? {}))),
  )
  const byTask = new Map()
  for (const s of segletScripts) {
    const task = tasks.find((t) => within(t, s))
    if (!task) continue
    const entry = byTask.get(task) ?? { ms: task.dur / 1000, segletMs: 0 }
    entry.segletMs += s.dur / 1000
    byTask.set(task, entry)
  }
  // Nested script entries (a FunctionCall inside an evaluation) would count twice: keep the outermost.
  for (const [task, entry] of byTask) {
    const outer = segletScripts.filter((s) => within(task, s) && !segletScripts.some((o) => o !== s && within(o, s)))
    entry.segletMs = outer.reduce((sum, s) => sum + s.dur / 1000, 0)
  }
  const segletTasks = [...byTask.values()]
  const evalTask = tasks.find((t) => within(t, mine))
  return {
    evaluationMs: mine.dur / 1000,
    evaluationCompileMs: compile / 1000,
    evaluationTaskMs: evalTask ? evalTask.dur / 1000 : NaN,
    segletTasks: segletTasks.length,
    segletTaskMaxMs: Math.max(0, ...segletTasks.map((t) => t.ms)),
    segletTasksOver50: segletTasks.filter((t) => t.ms >= 50).length,
    segletScriptMs: segletTasks.reduce((s, t) => s + t.segletMs, 0),
    segletScriptMaxMs: Math.max(0, ...segletTasks.map((t) => t.segletMs)),
  }
}

/** Self time (µs) by function of Seglet's core in a CPU profile, and its total. */
function profileSelfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map()
  // Only the evaluation of seglet.min.js: samples under its top-level code (line 0, column 0).
  const inSeglet = (id) => {
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { url, lineNumber, columnNumber } = byId.get(at).callFrame
      if (/\/dist\/seglet\.min\.js/.test(url) && (wholeScript || (lineNumber === 0 && columnNumber === 0))) return true
    }
    return false
  }
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0
    if (!inSeglet(id)) return
    total += dt
    const { callFrame } = byId.get(id)
    let key
    if (/\/dist\/seglet\.min\.js/.test(callFrame.url)) {
      const at = originalPositionFor(map, { line: callFrame.lineNumber + 1, column: callFrame.columnNumber })
      key = `${(at.source ?? '?').replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, '')}:${at.line} ${at.name ?? callFrame.functionName ?? ''}`
    } else key = `${callFrame.functionName || '(anonymous)'} [${callFrame.url ? callFrame.url.split('/').pop() : 'native'}]`
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  return { total, self }
}

const profileDir = mkdtempSync(join(os.tmpdir(), 'seglet-evaluation-'))
const returning = await startServer({ port })
const first = await startServer({ port: port + 1 })
const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
const rows = { none: [], first: [], returning: [] }
const selfTimes = { first: new Map(), returning: new Map() }
const profileTotals = { first: [], returning: [] }
try {
  // A returning shopper's history, written through the real store on the returning shopper's origin.
  await seedHistory(context, returning.url, makeHistory({ days: 30 }))
  await context.addInitScript(observeFrames)

  const load = async (variant) => {
    const page = await context.newPage()
    const base = variant === 'returning' ? returning.url : first.url
    if (variant === 'first') {
      await page.goto(first.url + '/bench/pages/blank.html')
      await page.evaluate(() => new Promise((resolve) => Object.assign(indexedDB.deleteDatabase('seglet'), { onsuccess: resolve, onerror: resolve, onblocked: resolve })))
    }
    await page.route('**/dist/seglet*.js', (route) => {
      if (variant === 'none') return route.abort()
      if (route.request().url().endsWith('/dist/seglet.min.js')) return route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: chunk.code })
      if (modelCode && route.request().url().endsWith('/dist/seglet-model.min.js')) return route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: modelCode })
      return route.continue()
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    if (cpuThrottle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuThrottle })
    await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES.join(','), transferMode: 'ReportEvents' })
    if (profiling) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs })
      await cdp.send('Profiler.start')
    }
    await page.goto(base + PAGE)
    if (variant !== 'none') await page.waitForFunction(() => document.documentElement.hasAttribute('data-seglet-segment'), undefined, { timeout: 10_000 }).catch(() => {})
    await page.waitForTimeout(1000)
    const profile = profiling ? (await cdp.send('Profiler.stop')).profile : undefined
    const trace = await readTrace(cdp)
    const { metrics } = await cdp.send('Performance.getMetrics')
    const metric = (name) => metrics.find((m) => m.name === name)?.value * 1000
    const frames = await page.evaluate(() => window.__frames)
    await page.close()
    const segletFrames = frames.filter((f) => f.duration >= 50 && f.scripts.some((s) => SEGLET_URL.test(s.url ?? '')))
    const evalEntry = frames.flatMap((f) => f.scripts).find((s) => /\/dist\/seglet\.min\.js$/.test(s.url ?? '') && s.invokerType === 'classic-script')
    return {
      scriptMs: metric('ScriptDuration'),
      taskMs: metric('TaskDuration'),
      ...(variant === 'none' ? {} : analyseTrace(trace)),
      longFramesWithSeglet: segletFrames.length,
      loafEvaluationMs: evalEntry?.duration,
      loafEvaluationCompileMs: evalEntry?.compileMs,
      forcedStyleAndLayoutMs: segletFrames.flatMap((f) => f.scripts).filter((s) => SEGLET_URL.test(s.url ?? '')).reduce((s, x) => s + (x.forcedStyleAndLayoutMs ?? 0), 0),
      profile,
    }
  }
  // SEGLET_URL is used inside page.evaluate's callers only; frames are filtered here.
  for (let round = 0; round <= rounds; round++) {
    for (const variant of ['none', 'first', 'returning']) {
      const row = await load(variant)
      // Round 0 warms the server, the disk cache and the code cache: not counted.
      if (round === 0) continue
      if (row.profile && variant !== 'none') {
        const { total, self } = profileSelfTimes(row.profile)
        profileTotals[variant].push(total / 1000)
        for (const [k, v] of self) selfTimes[variant].set(k, (selfTimes[variant].get(k) ?? 0) + v)
      }
      delete row.profile
      rows[variant].push(row)
    }
    process.stdout.write('.')
  }
} finally {
  await context.close()
  await returning.close()
  await first.close()
  rmSync(profileDir, { recursive: true, force: true })
}
process.stdout.write('\n')

const med = (variant, key) => summarize(rows[variant].map((r) => r[key])).median
const fmt = (x) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(1))
const report = { generated: 'by bench/evaluation.mjs', load: loadAverage(), rounds, cpuThrottle, modelPart: modelFile ?? 'dist/seglet-model.min.js', coreBytes: chunk.code.length, medians: {} }
console.log(`seglet.min.js evaluation on ${PAGE}${cpuThrottle > 1 ? ` with the CPU ${cpuThrottle}× slower` : ''}: ${rounds} rounds, load average ${loadAverage().join(' ')}, medians (ms)`)
const keys = ['scriptMs', 'taskMs', 'evaluationMs', 'evaluationCompileMs', 'evaluationTaskMs', 'segletTasks', 'segletTaskMaxMs', 'segletTasksOver50', 'segletScriptMs', 'segletScriptMaxMs', 'longFramesWithSeglet', 'forcedStyleAndLayoutMs']
console.log(`  ${'measure'.padEnd(24)} ${'none'.padStart(9)} ${'first'.padStart(9)} ${'returning'.padStart(9)}`)
for (const key of keys) {
  const values = ['none', 'first', 'returning'].map((v) => med(v, key))
  report.medians[key] = Object.fromEntries(['none', 'first', 'returning'].map((v, i) => [v, values[i]]))
  console.log(`  ${key.padEnd(24)} ${values.map((x) => fmt(x).padStart(9)).join(' ')}`)
}
for (const variant of ['first', 'returning']) {
  const worst = Math.max(0, ...rows[variant].map((r) => r.segletTaskMaxMs ?? 0))
  console.log(`  ${variant}: longest task with Seglet script over all loads ${fmt(worst)} ms; p90 of the evaluation ${fmt(summarize(rows[variant].map((r) => r.evaluationMs)).p90)} ms`)
}
if (profiling) {
  for (const variant of ['first', 'returning']) {
    const n = rows[variant].length
    console.log(`  ${variant}: the core's sampled time (${wholeScript ? 'all of its script' : 'its evaluation'}) ${fmt(summarize(profileTotals[variant]).median)} ms median (sampling every ${intervalUs} µs); top self time, ms per load:`)
    const top = [...selfTimes[variant]].sort((a, b) => b[1] - a[1]).slice(0, 20)
    report[`${variant}Top`] = top.map(([k, v]) => [k, v / 1000 / n])
    for (const [k, v] of top) console.log(`    ${(v / 1000 / n).toFixed(2).padStart(7)}  ${k}`)
  }
}
const out = flag('json')
if (out) writeFileSync(out, JSON.stringify({ ...report, rows }, null, 2))
