#!/usr/bin/env node
// What a first visit's heap holds because of the script-tag core, in detail: builds the core as the build
// does (scripts/script-tag-build.mjs) or takes a given file, loads the bench's plain or product page
// (bench/lib/peerPages.mjs: every request answered here, nothing leaves the machine) without an SDK and with
// the core, in interleaved rounds, and prints the medians of JSHeapUsedSize added and of the heap snapshot
// difference by group and by (type, name). Heap figures, unlike timings, hold on a loaded machine.
// Usage: node scripts/start-heap.mjs [plain|product] [--rounds=N] [--settle=S] [--file=path/to/core.js] [--top=N]
//   [--attrs='data-autocapture="false"']  (more attributes on the script tag) [--strings[=N]] (the N largest strings added)
//   [--peer=growthbook|segment|posthog]  (that SDK's page instead of Seglet's, broken down the same way)
//   [--no-hint]  (the core built without its `//# allFunctionsCalledOnLoad` compile hint)
//   [--bindings]  (the Web API binding templates added, by interface) [--regexps]  (each regexp's compiled data)
//   [--page-script='document.documentElement.className = …']  (an inline script of the page's own, before the SDK's
//   tag, on both pages: what the SDK adds to a page whose own script already touched the DOM)
// `--file=bench/lib/firstVisitFloor.js`: the floor, 13 functions touching the Web APIs a first visit of the core touches.
// EXTRA_CHROMIUM_ARGS='--js-flags=--stress-flush-code' flushes the bytecode of every function not running at each
// garbage collection: what is left is what the heap holds besides compiled functions, the floor that running
// fewer functions at start cannot go below.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { rollup } from 'rollup'
import { chromium } from 'playwright-core'
import { scriptTagBuild } from './script-tag-build.mjs'
import { summarizeSnapshot, takeHeapSnapshot } from '../bench/lib/heapSnapshot.mjs'
import { CHROMIUM_ARGS, CHROMIUM_PATH, ORIGIN, PAGES, routePage, VARIANTS, waitUntil } from '../bench/lib/peerPages.mjs'

const args = process.argv.slice(2)
const flags = new Map(args.filter((a) => a.startsWith('--')).map((a) => { const i = a.indexOf('='); return i < 0 ? [a.slice(2), ''] : [a.slice(2, i), a.slice(i + 1)] }))
const pageName = args.find((a) => !a.startsWith('--')) ?? 'plain'
const measured = flags.get('peer') || 'seglet'
if (!VARIANTS[measured] || measured === 'none') throw new Error(`--peer: one of ${Object.keys(VARIANTS).filter((v) => v !== 'none' && v !== 'seglet').join(', ')}`)
const rounds = Number(flags.get('rounds') ?? 3)
const top = Number(flags.get('top') ?? 40)
// `--settle=S`: seconds the page stays open after it is ready before the reading (3 by default). V8 ages a
// function's bytecode only in the collections it runs by itself (not in forced ones), so a longer stay shows what
// a page holds once the shopper has been reading it for a while.
const SETTLE_MS = flags.has('settle') ? Number(flags.get('settle')) * 1000 : 3000

let code
if (flags.has('file')) code = readFileSync(flags.get('file'), 'utf8')
else {
  // `--no-hint`: the same core without Chromium's compile hint, so only the functions that run are compiled.
  const { input, output } = scriptTagBuild('src/script/index.ts', { compileHint: !flags.has('no-hint') })
  const bundle = await rollup({ ...input, onwarn: () => {} })
  code = (await bundle.generate(output)).output[0].code
  await bundle.close()
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** The string values of a snapshot with their sizes (for `--strings`: which strings the core adds). */
function stringsOf(snapshot) {
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f))
  const values = new Map()
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (!types[snapshot.nodes[i + iType]].includes('string')) continue
    const value = snapshot.strings[snapshot.nodes[i + iName]]
    values.set(value, (values.get(value) ?? 0) + snapshot.nodes[i + iSize])
  }
  return values
}

/**
 * `--bindings`: the binding templates (`FunctionTemplateInfo`) by Web API interface. Blink creates an interface's
 * templates, one per attribute accessor and method, the first time a script touches an object of it: the
 * first script that reads an element pays for `HTMLElement` and `Element`, whichever script it is.
 */
function bindingsOf(snapshot) {
  const { node_fields: fields, edge_fields: edgeFields, edge_types: [edgeTypes] } = snapshot.snapshot.meta
  const width = fields.length
  const [iName, iEdges] = ['name', 'edge_count'].map((f) => fields.indexOf(f))
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f))
  const { nodes, edges, strings } = snapshot
  const byInterface = new Map()
  for (let n = 0, e = 0; n < nodes.length; e += nodes[n + iEdges] * edgeFields.length, n += width) {
    if (strings[nodes[n + iName]] !== 'system / FunctionTemplateInfo') continue
    // Hidden edge 3 names the interface of a member's template; an interface's own template names itself at 2.
    let own, member
    for (let k = 0, x = e; k < nodes[n + iEdges]; k++, x += edgeFields.length) {
      if (edgeTypes[edges[x + eType]] !== 'hidden') continue
      if (edges[x + eName] === 2) own = strings[nodes[edges[x + eTo] + iName]]
      if (edges[x + eName] === 3) member = strings[nodes[edges[x + eTo] + iName]]
    }
    const name = member ?? own ?? '(unnamed)'
    byInterface.set(name, (byInterface.get(name) ?? 0) + 1)
  }
  return byInterface
}

/** `--regexps`: each regexp of the page with what its data holds (bytecode, native code once tiered up). */
function regexpsOf(snapshot) {
  const { node_fields: fields, node_types: [types], edge_fields: edgeFields } = snapshot.snapshot.meta
  const width = fields.length
  const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => fields.indexOf(f))
  const [eTo] = ['to_node'].map((f) => edgeFields.indexOf(f))
  const { nodes, edges, strings } = snapshot
  const firstEdge = []
  for (let i = 0, e = 0; i < nodes.length; i += width) {
    firstEdge[i / width] = e
    e += nodes[i + iEdges] * edgeFields.length
  }
  const children = (n) => {
    const out = []
    for (let k = 0, e = firstEdge[n]; k < nodes[n * width + iEdges]; k++, e += edgeFields.length) out.push(edges[e + eTo] / width)
    return out
  }
  for (let n = 0; n < nodes.length / width; n++) {
    if (types[nodes[n * width + iType]] !== 'regexp') continue
    const seen = new Set([n])
    let frontier = [n]
    const held = []
    for (let depth = 0; depth < 3; depth++) {
      const next = []
      for (const m of frontier) for (const c of children(m)) if (!seen.has(c)) {
        seen.add(c)
        const name = strings[nodes[c * width + iName]]
        if (/RegExpData|InstructionStream|TrustedByteArray|Code/.test(name)) { held.push(`${name.replace('system / ', '')} ${nodes[c * width + iSize]}`); next.push(c) }
      }
      frontier = next
    }
    console.log(`  regexp /${strings[nodes[n * width + iName]].slice(0, 60)}/: ${held.join(', ')}`)
  }
}

async function visit(context, variant) {
  const page = await context.newPage()
  await routePage(page, variant, [], undefined)
  // The page's own inline script (`--page-script`) before the tag; extra `data-*` attributes on Seglet's tag
  // (`--attrs="data-autocapture=false data-model-loading=eager"`).
  let head = VARIANTS[variant].head
  if (variant === 'seglet' && flags.has('attrs')) {
    const attrs = flags.get('attrs')
    const names = [...attrs.matchAll(/([\w-]+)=/g)].map((m) => m[1])
    head = head.replace(/ ([\w-]+)="[^"]*"/g, (all, name) => (names.includes(name) ? '' : all)).replace(' async', ` ${attrs} async`)
  }
  if (flags.has('page-script')) head = `<script>${flags.get('page-script')}</script>` + head
  if (head !== VARIANTS[variant].head) {
    const html = PAGES[pageName].html(head)
    await page.route('**' + PAGES[pageName].path, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }))
  }
  await page.route('**/dist/seglet.min.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: code }))
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  await cdp.send('Storage.clearDataForOrigin', { origin: ORIGIN, storageTypes: 'all' })
  await page.goto(ORIGIN + PAGES[pageName].path)
  await waitUntil(cdp, variant === 'seglet' && flags.has('ready') ? flags.get('ready') : VARIANTS[variant].ready)
  await page.waitForTimeout(SETTLE_MS)
  await cdp.send('HeapProfiler.collectGarbage')
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))
  const snapshot = await takeHeapSnapshot(cdp)
  const heap = summarizeSnapshot(snapshot)
  if (flags.has('strings')) heap.strings = stringsOf(snapshot)
  if (flags.has('bindings')) heap.bindings = bindingsOf(snapshot)
  if (flags.has('regexps') && variant !== 'none') regexpsOf(snapshot)
  await cdp.detach()
  await page.close()
  return { heapBytes: metrics.JSHeapUsedSize, scriptMs: metrics.ScriptDuration * 1000, heap }
}

const profile = mkdtempSync(join(os.tmpdir(), 'seglet-start-heap-'))
const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...(process.env.EXTRA_CHROMIUM_ARGS ? [process.env.EXTRA_CHROMIUM_ARGS] : [])] })
const added = { heapBytes: [], scriptMs: [], groups: {}, names: new Map() }
try {
  await visit(context, 'none')
  for (let round = 0; round < rounds; round++) {
    const none = await visit(context, 'none')
    const seglet = await visit(context, measured)
    if (flags.has('strings')) {
      const extra = [...seglet.heap.strings].filter(([v]) => !none.heap.strings.has(v)).sort((a, b) => b[1] - a[1])
      console.log(`strings the core adds: ${extra.length}, ${extra.reduce((t, [, b]) => t + b, 0)} B`)
      for (const [v, b] of extra.slice(0, Number(flags.get('strings') || 60))) console.log(`  ${String(b).padStart(6)} B  ${JSON.stringify(v.slice(0, 100))}`)
    }
    if (flags.has('bindings')) {
      const extra = [...seglet.heap.bindings].map(([name, count]) => [name, count - (none.heap.bindings.get(name) ?? 0)]).filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1])
      console.log(`binding templates added: ${extra.reduce((t, [, c]) => t + c, 0)}: ${extra.map(([name, c]) => `${name} ${c}`).join(', ')}`)
    }
    added.heapBytes.push(seglet.heapBytes - none.heapBytes)
    added.scriptMs.push(seglet.scriptMs - none.scriptMs)
    for (const g of new Set([...Object.keys(none.heap.groups), ...Object.keys(seglet.heap.groups)])) {
      ;(added.groups[g] ??= []).push((seglet.heap.groups[g] ?? 0) - (none.heap.groups[g] ?? 0))
    }
    for (const key of new Set([...none.heap.names.keys(), ...seglet.heap.names.keys()])) {
      const a = none.heap.names.get(key) ?? { count: 0, bytes: 0 }
      const b = seglet.heap.names.get(key) ?? { count: 0, bytes: 0 }
      const list = added.names.get(key) ?? []
      list.push([b.bytes - a.bytes, b.count - a.count])
      added.names.set(key, list)
    }
  }
} finally {
  await context.close()
  rmSync(profile, { recursive: true, force: true })
}

const kb = (b) => (b / 1024).toFixed(1)
const groups = Object.entries(added.groups).map(([g, v]) => [g, median(v)]).sort((a, b) => b[1] - a[1])
console.log(`${measured === 'seglet' ? '' : `${measured} (not Seglet), `}${pageName} page, first visit, ${rounds} rounds (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}); core ${code.length} B, ${gzipSync(code, { level: 9 }).length} B gzip`)
console.log(`  JSHeapUsedSize added: median ${kb(median(added.heapBytes))} KB (${added.heapBytes.map(kb).join(', ')}); script time added ${median(added.scriptMs).toFixed(1)} ms`)
console.log(`  snapshot by group: ${groups.map(([g, v]) => `${g} ${kb(v)}`).join(', ')} KB`)
const rows = [...added.names].map(([key, list]) => [key, median(list.map((x) => x[0])), median(list.map((x) => x[1]))]).filter((r) => r[1] !== 0)
rows.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
for (const [key, bytes, count] of rows.slice(0, top)) console.log(`  ${String(bytes).padStart(8)} B  ${String(count).padStart(5)} × ${key}`)
