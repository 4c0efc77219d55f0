#!/usr/bin/env node
// Which of the script-tag core's functions run on a first visit, by source file: builds the core as the
// build does (scripts/script-tag-build.mjs, plus a source map), loads the bench's product or plain page with
// it in headless Chromium (bench/lib/peerPages.mjs: every request answered here, nothing leaves the
// machine), takes CDP precise coverage, and maps every function that ran back to its source file and line.
// Each function that runs is compiled, so this is the list to shorten to make a first visit's heap smaller.
// Usage: node scripts/start-functions.mjs [product|plain] [--settle=ms] [--list] [--unrun]
// (`--unrun`: the functions that did not run instead, which the compile hint compiles all the same)
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { rollup } from 'rollup'
import { chromium } from 'playwright-core'
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping'
import { scriptTagBuild } from './script-tag-build.mjs'
import { startCoverage, takeCoverage, withOwnBytes } from '../bench/lib/coverage.mjs'
import { CHROMIUM_ARGS, CHROMIUM_PATH, ORIGIN, PAGES, routePage, VARIANTS, waitUntil } from '../bench/lib/peerPages.mjs'

const args = process.argv.slice(2)
const flags = new Map(args.filter((a) => a.startsWith('--')).map((a) => a.replace(/^--/, '').split('=')))
const pageName = args.find((a) => !a.startsWith('--')) ?? 'product'
const settleMs = Number(flags.get('settle') ?? 3000)

const { input, output } = scriptTagBuild('src/script/index.ts', { sourcemap: true })
const bundle = await rollup({ ...input, onwarn: () => {} })
const { output: [chunk] } = await bundle.generate(output)
await bundle.close()
const map = new TraceMap(chunk.map)
const lineStarts = [0]
for (let i = 0; i < chunk.code.length; i++) if (chunk.code[i] === '\n') lineStarts.push(i + 1)
const position = (offset) => {
  let line = lineStarts.length - 1
  while (lineStarts[line] > offset) line--
  return originalPositionFor(map, { line: line + 1, column: offset - lineStarts[line] })
}

const profile = mkdtempSync(join(os.tmpdir(), 'seglet-functions-'))
const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
let functions
try {
  const page = await context.newPage()
  const offMachine = []
  await routePage(page, 'seglet', offMachine)
  await page.route('**/dist/seglet.min.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: chunk.code }))
  const cdp = await context.newCDPSession(page)
  await startCoverage(cdp)
  await page.goto(ORIGIN + PAGES[pageName].path)
  await waitUntil(cdp, VARIANTS.seglet.ready)
  await page.waitForTimeout(settleMs)
  functions = await takeCoverage(cdp, (url) => url.endsWith('/dist/seglet.min.js'), { all: true })
  if (offMachine.length) throw new Error(`requests off the machine: ${offMachine.join(', ')}`)
} finally {
  await context.close()
  rmSync(profile, { recursive: true, force: true })
}

// A function's own bytes: its source range less the functions nested in it (what its bytecode grows with).
withOwnBytes(functions)
const unrun = flags.has('unrun')
const total = functions.length
functions = functions.filter((f) => (f.count > 0) !== unrun)
const byFile = new Map()
for (const fn of functions) {
  const at = position(fn.start)
  const file = (at.source ?? '(generated)').replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, 'node_modules/')
  const entry = byFile.get(file) ?? { count: 0, bytes: 0, list: [] }
  entry.count++
  entry.bytes += fn.self
  entry.list.push(`${at.line}:${at.name ?? fn.name ?? ''} ×${fn.count} ${fn.self} B`)
  byFile.set(file, entry)
}
const ownBytes = functions.reduce((s, f) => s + f.self, 0)
console.log(`${pageName} page, first visit, ${settleMs} ms settle: ${functions.length} of the core's ${total} functions ${unrun ? 'did not run' : 'ran'}, ${ownBytes} B of their own minified source (of ${chunk.code.length} B)`)
console.log('  functions  own bytes  file')
for (const [file, e] of [...byFile].sort((a, b) => b[1].bytes - a[1].bytes)) {
  console.log(`  ${String(e.count).padStart(9)}  ${String(e.bytes).padStart(9)}  ${file}${flags.has('list') ? `\n        ${e.list.join(', ')}` : ''}`)
}
