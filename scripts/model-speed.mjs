#!/usr/bin/env node
// Measures one inference of both packs (median and p99 after warm-up) with the bundled model runtime,
// in Node and in headless Chromium (Debian's /usr/bin/chromium via playwright-core), as shoppers get it.
// Usage: node scripts/model-speed.mjs [--quantize=uint8] [--iterations=2000] [--no-browser]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { bundleModelRuntime, describePacks, ROOT } from './bundle-model-runtime.mjs'
import { benchModel } from './model-bench-core.mjs'

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]))
const quantize = typeof args.get('quantize') === 'string' ? args.get('quantize') : undefined
const iterations = Number(args.get('iterations') ?? 2000)

const dir = `${ROOT}.build/model-speed/`
mkdirSync(dir, { recursive: true })
const bundle = await bundleModelRuntime('src/model/runtime.ts', { packs: true, quantize })
writeFileSync(dir + 'seglet-model.mjs', bundle.entryCode)
writeFileSync(dir + 'bench.mjs', readFileSync(new URL('./model-bench-core.mjs', import.meta.url)))
writeFileSync(
  dir + 'index.html',
  `<!doctype html><script type="module">
import { benchModel } from './bench.mjs'
const t = performance.now()
const runtime = await import('./seglet-model.mjs')
const importMs = performance.now() - t
window.result = { importMs, ...(await benchModel(runtime, { iterations: ${iterations} })) }
</script>`,
)

console.log(`Model inference, both packs (${describePacks(quantize).join(', ')})`)
// The browser bundle of tfjs-core picks its Node platform when it sees Node, and that calls require('util').
globalThis.require ??= createRequire(import.meta.url)
const node = await benchModel(await import(pathToFileURL(dir + 'seglet-model.mjs').href), { iterations })
console.log(`  node ${process.version}:`, node)

if (!args.get('no-browser')) {
  const { chromium } = await import('playwright-core')
  const server = createServer((req, res) => {
    const file = req.url === '/' ? 'index.html' : req.url.slice(1)
    try {
      const body = readFileSync(dir + file)
      res.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html' : 'text/javascript' })
      res.end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] })
  try {
    const page = await browser.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`http://127.0.0.1:${server.address().port}/`)
    const result = await page.waitForFunction(() => window.result, null, { timeout: 60_000 }).then((h) => h.jsonValue())
    console.log(`  chromium ${browser.version()}:`, result)
    if (errors.length) console.log('  page errors:', errors)
  } finally {
    await browser.close()
    server.close()
  }
}
