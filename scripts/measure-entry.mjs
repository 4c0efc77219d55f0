// Measures an npm entry point as an app's bundler would add it: its ESM build minified, with `seglet`, React
// and Vue left external. Used by test/unit/size.test.ts against ENTRY_BUDGETS (scripts/budgets.mjs).
// Usage: node scripts/measure-entry.mjs   (after `npm run build`)
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'
import terser from '@rollup/plugin-terser'
import { ENTRY_BUDGETS } from './budgets.mjs'

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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [entry, budget] of Object.entries(ENTRY_BUDGETS)) {
    const { min, gzip } = await measureEntry(entry)
    process.stdout.write(`  ${entry.padEnd(16)} ${String(min).padStart(6)} B min  ${String(gzip).padStart(5)} B gzip  (budget ${budget} B: ${gzip <= budget ? 'ok' : 'OVER'})\n`)
  }
}
