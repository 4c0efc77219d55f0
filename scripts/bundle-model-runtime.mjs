// Bundles an entry of src/model the way rollup.config.mjs builds dist/seglet-model.min.js (same plugins,
// same terser options, plus tfjsSlim()), in memory. Shared by scripts/size-probe.mjs and
// scripts/model-speed.mjs. The shipped packs come from src/models/*.json when training wrote them, else
// from a deterministic placeholder of realistic size (scripts/placeholder-pack.mjs).
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'
import json from '@rollup/plugin-json'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import { tsTranspile } from './rollup-plugin-ts-transpile.mjs'
import { makePlaceholderPack } from './placeholder-pack.mjs'
import { tfjsSlim } from './rollup-plugin-tfjs-slim.mjs'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const terserOptions = { ecma: 2019, module: true, compress: { passes: 2, pure_getters: true }, format: { comments: false } }

/** Layer sizes of the placeholder packs: about 15 KB of JSON each with float32 weights. */
export const PLACEHOLDERS = {
  session: { inputs: 19, hidden: [48, 24], heads: { segment: 6, intent: 1 } },
  lifetime: { inputs: 11, hidden: [64, 32], heads: { value: 4, repeat: 1 } },
}

/** Where each shipped pack comes from, for the report. */
export function describePacks(quantize) {
  return ['session', 'lifetime'].map((k) =>
    existsSync(`${ROOT}src/models/${k}.json`) ? `${k}: src/models/${k}.json` : `${k}: placeholder (${quantize ?? 'float32'})`,
  )
}

/** Serves src/models/<kind>.json from disk when training wrote it, else a placeholder; or stubs the packs out. */
const packsPlugin = (withPacks, quantize) => ({
  name: 'seglet-probe-packs',
  resolveId(id, importer) {
    if (!importer) return null
    if (!withPacks && /[\\/]src[\\/]model[\\/]shippedPacks\.ts$/.test(importer) && /models\//.test(id)) return '\0no-pack'
    const m = /models\/(session|lifetime)\.json$/.exec(id)
    if (!m) return null
    const file = `${ROOT}src/models/${m[1]}.json`
    return existsSync(file) ? file : `\0placeholder-${m[1]}.json`
  },
  load(id) {
    if (id === '\0no-pack') return 'export default {}'
    const m = /^\0placeholder-(session|lifetime)\.json$/.exec(id)
    // A virtual module: @rollup/plugin-json skips \0 ids, so emit what it would (compact JSON as JS).
    if (m) return `export default ${JSON.stringify(makePlaceholderPack(m[1], { ...PLACEHOLDERS[m[1]], quantize }))}`
    return null
  },
})

/**
 * @param {string} input entry, relative to the repository root
 * @param {{ packs?: boolean, quantize?: string, slim?: boolean }} options
 * @returns {Promise<{ code: string, min: number, gzip: number, modules: Record<string, { renderedLength: number }> }>} the entry chunk
 */
export async function bundleModelRuntime(input, { packs = true, quantize, slim = true } = {}) {
  const build = await rollup({
    input: ROOT + input,
    onwarn: (w, warn) => (w.code === 'CIRCULAR_DEPENDENCY' || w.code === 'THIS_IS_UNDEFINED' || isKnownTfjsWarning(w) ? undefined : warn(w)),
    plugins: [
      packsPlugin(packs, quantize),
      slim && tfjsSlim(),
      json({ preferConst: true, compact: true }),
      resolve({ browser: true }),
      tsTranspile({ tsconfig: ROOT + 'tsconfig.json' }),
    ],
  })
  // Split like the ESM build does and keep the entry chunk with the chunks it imports statically: for
  // index.ts that leaves the lazily imported runtime out.
  const { output } = await build.generate({ format: 'es', plugins: [terser(terserOptions)] })
  await build.close()
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]))
  const entry = output.find((o) => o.type === 'chunk' && o.isEntry)
  const seen = new Set()
  const visit = (chunk) => {
    if (seen.has(chunk)) return
    seen.add(chunk)
    for (const file of chunk.imports) visit(chunks.get(file))
  }
  visit(entry)
  const code = [...seen].map((c) => c.code).join('\n')
  const modules = Object.assign({}, ...[...seen].map((c) => c.modules))
  return { code, entryCode: entry.code, min: code.length, gzip: gzipSync(code, { level: 9 }).length, modules }
}

// tfjs-core's hash_util and rand_util import CommonJS packages (long, seedrandom) that the build does not
// convert; both modules are tree-shaken away (dense layers need neither), so the warning is harmless.
function isKnownTfjsWarning(w) {
  return w.code === 'MISSING_EXPORT' && /tfjs-core\/dist\/(hash_util|ops\/rand_util)\.js/.test(w.id ?? '')
}
