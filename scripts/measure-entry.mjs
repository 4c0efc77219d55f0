// Measures an npm entry point as an app's bundler would add it: its ESM build minified, with `seglet`, React
// and Vue left external. Used by test/unit/size.test.ts against ENTRY_BUDGETS (scripts/budgets.mjs).
// measureApp() measures `seglet` itself: what the README's npm quick start puts in an app's entry chunk.
// Usage: node scripts/measure-entry.mjs   (after `npm run build`)
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'
import terser from '@rollup/plugin-terser'
import { readFileSync } from 'node:fs'
import { APP_BUDGET, ENTRY_BUDGETS } from './budgets.mjs'

const EXTERNAL = ['seglet', 'react', 'react-dom', 'vue']

/** `seglet/react` → dist/react.js */
export const entryFile = (entry) => fileURLToPath(new URL(`../dist/${entry.replace(/^seglet\//, '')}.js`, import.meta.url))

/**
 * Minified and gzip (level 9) bytes of one entry point.
 * @param {string} entry e.g. 'seglet/react'
 * @returns {Promise<{ min: number, gzip: number }>}
 */
export async function measureEntry(entry) {
  const bundle = await rollup({
    input: entryFile(entry),
    external: (id) => EXTERNAL.some((dep) => id === dep || id.startsWith(dep + '/')),
    // dist/react.js starts with 'use client', which means nothing inside a bundle (as for an app's bundler).
    onLog: (level, log, handler) => (log.code === 'MODULE_LEVEL_DIRECTIVE' ? undefined : handler(level, log)),
  })
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ ecma: 2020, module: true, compress: { passes: 3 }, format: { comments: false } })] })
  await bundle.close()
  const code = output[0].code
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

/** The README's npm quick start: what an app that imports only `createSeglet` runs on every page. */
export const QUICK_START = `import { createSeglet } from 'seglet'
const seglet = createSeglet({ consent: 'granted', onError: (error) => console.warn(error.code, error.message) })
seglet.track({ type: 'add_to_cart', productId: 'sku-42', quantity: 1, price: 19.9, currency: 'EUR' })
seglet.onSegment((segment) => console.log(segment.path, segment.intent))
`

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const dist = fileURLToPath(new URL('../dist/', import.meta.url))

/**
 * Minified and gzip (level 9) bytes of the entry chunk an app's bundler makes of {@link QUICK_START} with the
 * package's ESM build (`seglet` resolved as its `exports` say, the package's `sideEffects` honoured, code
 * splitting on), and the bytes each of Seglet's files adds to it before minifying. The lazily imported parts
 * become other chunks, which a page loads only when it needs them. TensorFlow.js core is left external: only
 * the model part imports it.
 * @returns {Promise<{ min: number, gzip: number, modules: [string, number][], chunks: number }>}
 */
export async function measureApp() {
  const APP = '\0seglet-app'
  const bundle = await rollup({
    input: APP,
    external: (id) => Object.keys(pkg.dependencies ?? {}).some((dep) => id === dep || id.startsWith(dep + '/')),
    treeshake: { moduleSideEffects: (id) => (id.startsWith(dist) ? pkg.sideEffects !== false : true) },
    plugins: [{
      name: 'seglet-app',
      resolveId: (id) => (id === APP ? APP : id === 'seglet' ? fileURLToPath(new URL(`../${pkg.exports['.'].import.default}`, import.meta.url)) : null),
      load: (id) => (id === APP ? QUICK_START : null),
    }],
  })
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ ecma: 2020, module: true, compress: { passes: 3 }, format: { comments: false } })] })
  await bundle.close()
  const entry = output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry)
  const modules = Object.entries(entry.modules).filter(([, m]) => m.renderedLength > 0).map(([id, m]) => [id.startsWith(dist) ? 'dist/' + id.slice(dist.length) : id, m.renderedLength]).sort((a, b) => b[1] - a[1])
  return { min: entry.code.length, gzip: gzipSync(entry.code, { level: 9 }).length, modules, chunks: output.filter((chunk) => chunk.type === 'chunk').length }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [entry, budget] of Object.entries(ENTRY_BUDGETS)) {
    const { min, gzip } = await measureEntry(entry)
    process.stdout.write(`  ${entry.padEnd(16)} ${String(min).padStart(6)} B min  ${String(gzip).padStart(5)} B gzip  (budget ${budget} B: ${gzip <= budget ? 'ok' : 'OVER'})\n`)
  }
  const { min, gzip, modules } = await measureApp()
  process.stdout.write(`  ${'seglet (app entry)'.padEnd(16)} ${String(min).padStart(6)} B min  ${String(gzip).padStart(5)} B gzip  (budget ${APP_BUDGET} B: ${gzip <= APP_BUDGET ? 'ok' : 'OVER'})\n`)
  if (process.argv.includes('--modules')) for (const [id, length] of modules) process.stdout.write(`    ${String(length).padStart(6)} ${id}\n`)
}
