#!/usr/bin/env node
// Measures what the lazily loaded model runtime costs a shopper: bundles src/model/runtime.ts
// (TensorFlow.js core + the CPU kernels the packs need + the shipped packs) as the build does and prints
// minified and gzip (level 9) bytes for:
//   - the runtime alone (packs stubbed out),
//   - the runtime with both packs (= dist/seglet-model.min.js), against its budget,
//   - the light entry src/model/index.ts (part of the main bundle), which must not contain TensorFlow.js.
// Usage: node scripts/size-probe.mjs [--quantize=uint8|uint16|float16] [--no-slim] [--why]
//   --quantize  quantizes the placeholder packs (used only while src/models/*.json do not exist)
//   --no-slim   without the tfjsSlim() rollup plugin, to see what it saves
//   --why       lists the biggest modules kept in the runtime (for tree-shaking work)
import { existsSync } from 'node:fs'
import { BUDGETS } from './budgets.mjs'
import { bundleModelRuntime, describePacks, ROOT } from './bundle-model-runtime.mjs'

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]))
const quantize = typeof args.get('quantize') === 'string' ? args.get('quantize') : undefined
const slim = !args.get('no-slim')

const kb = (n) => `${(n / 1024).toFixed(1)} KB`
const row = (name, r) => console.log(`  ${name.padEnd(44)} ${kb(r.min).padStart(9)} min  ${kb(r.gzip).padStart(8)} gzip`)

console.log(`Model runtime size (${describePacks(quantize).join(', ')}${slim ? '' : ', without tfjsSlim'})`)
const alone = await bundleModelRuntime('src/model/runtime.ts', { packs: false, slim })
row('runtime alone (tfjs-core + CPU kernels)', alone)
const withPacks = await bundleModelRuntime('src/model/runtime.ts', { packs: true, quantize, slim })
row('runtime + both packs', withPacks)
const budget = BUDGETS['seglet-model.min.js']
console.log(`  budget ${kb(budget)} gzip: ${withPacks.gzip <= budget ? 'ok' : 'OVER'}`)
// rollup.config.mjs builds seglet-model.min.js from src/core/lazy.ts: the runtime plus features,
// segment decisions and the panel. Measured too when it exists (it may be mid-work in another folder).
if (existsSync(`${ROOT}src/core/lazy.ts`)) {
  try {
    const lazy = await bundleModelRuntime('src/core/lazy.ts', { packs: true, quantize, slim })
    row('src/core/lazy.ts (what the build ships)', lazy)
    console.log(`  budget ${kb(budget)} gzip: ${lazy.gzip <= budget ? 'ok' : 'OVER'}`)
  } catch (error) {
    console.log(`  src/core/lazy.ts could not be bundled: ${error.message.split('\n')[0]}`)
  }
}
const light = await bundleModelRuntime('src/model/index.ts', { packs: false, slim })
row('src/model/index.ts (in the main bundle)', light)
if (/MathBackendCPU|_FusedMatMul|tfengine/.test(light.code)) {
  console.log('  ERROR: the light entry contains TensorFlow.js')
  process.exitCode = 1
}
if (withPacks.gzip > budget) process.exitCode = 1

if (args.get('why')) {
  const sizes = Object.entries(alone.modules)
    .map(([id, m]) => [id.replace(/.*node_modules\//, '').replace(ROOT, ''), m.renderedLength])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
  console.log(`\n${sizes.length} modules kept in the runtime (rendered bytes before minification):`)
  for (const [id, n] of sizes.slice(0, 40)) console.log(`  ${String(n).padStart(7)}  ${id}`)
}
