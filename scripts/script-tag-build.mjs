// The build settings of the script-tag files, shared by rollup.config.mjs and scripts/core-breakdown.mjs,
// so the breakdown measures exactly what the build ships.
import json from '@rollup/plugin-json'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import { tsTranspile } from './rollup-plugin-ts-transpile.mjs'

// The script-tag files use the realm's own Promise (the one async functions return), not `window.Promise`:
// a page that replaced it must not make track() throw or leave unhandled rejections behind.
export const realmPromise = 'const Promise = /*#__PURE__*/ (async () => {})().constructor;'

/**
 * Terser options of every minified file (ES modules: the lazy parts and the bundler example).
 * `ascii_only`: a browser keeps a script's source text in memory at one byte per character only while every
 * character is Latin-1; one em dash in a message doubles the memory of the whole file. Escaped, the files are
 * ASCII (and a few bytes smaller in gzip).
 */
export const terserOptions = { ecma: 2020, module: true, compress: { passes: 3, pure_getters: true, unsafe_arrows: true, unsafe_methods: true }, format: { comments: false, ascii_only: true } }

/** Terser options of the bridges part: inlining only simple functions gzips it smaller (scripts/core-breakdown.mjs). */
export const bridgesTerserOptions = { ...terserOptions, compress: { ...terserOptions.compress, inline: 1 } }

/** Terser options of the script-tag core (an IIFE, not a module). */
export const coreTerserOptions = {
  ...terserOptions,
  module: false,
  // Measured with scripts/core-breakdown.mjs: inlining only simple functions, with more passes (6: 5 and 7 gzip
  // larger), `[].slice` for `Array.prototype.slice` and `(function(){…})()` for `!function(){…}()` gzip smaller.
  // `unsafe_methods` turns every arrow in an object literal into a method except four whose arrows gzip smaller.
  compress: { ...terserOptions.compress, inline: 1, passes: 6, unsafe_proto: true, negate_iife: false, unsafe_methods: /^(?!(onCreated|getEpoch|getConsent|mayPersist)$)/ },
  // `Promise` keeps its name (the intro's realm Promise): it compresses better than a mangled one.
  mangle: { reserved: ['Promise'] },
  // Chromium's compile hint: every function of the core is compiled while the file streams in, off the main
  // thread, instead of lazily on the main thread as the start calls them. `npm run bench:peers -- --hint` (15 rounds)
  // measured a first visit's script time at 12.2 ms (product page) and 13.8 ms (plain) with it against 20.0 and 17.1
  // ms without (GrowthBook 22.3 and 18.7 ms), for about 40 KB more heap (the functions a first visit never runs are
  // compiled too). Other engines ignore it.
  format: { ...terserOptions.format, preamble: '//# allFunctionsCalledOnLoad' },
}

export const replaceEnv = (production) => ({
  name: 'seglet-env',
  transform(code) {
    if (!code.includes('process.env.NODE_ENV')) return null
    return { code: code.replace(/process\.env\.NODE_ENV/g, JSON.stringify(production ? 'production' : 'development')), map: null }
  },
})

/**
 * The script-tag core's own `src/lib/scriptTag.ts`: `SCRIPT_TAG` is `true` there. The core starts nothing without a
 * page (`bootScript()` checks once), so `hasPage()` is `true` in it, and Terser drops the checks of the modules
 * it shares with the npm package (server rendering, workers), which keep them.
 */
export const scriptTagOnly = () => ({
  name: 'seglet-script-tag',
  load: (id) => (/[/\\]src[/\\]lib[/\\]scriptTag\.ts$/.test(id) ? 'export const SCRIPT_TAG = true' : null),
})

/** The small lazy parts of the script-tag build, minified with `bridgesTerserOptions`. */
const SMALL_PARTS = ['src/capture/bridges.ts', 'src/personalize/blocks.ts', 'src/store/prune.ts']

/**
 * The Terser options of one script-tag file, by its entry: the core's (with its compile hint unless
 * `compileHint: false`), the small lazy parts', or the default.
 */
export function terserOptionsFor(entry, { compileHint = true } = {}) {
  if (entry === 'src/script/index.ts') return compileHint ? coreTerserOptions : { ...coreTerserOptions, format: { ...coreTerserOptions.format, preamble: '' } }
  return SMALL_PARTS.includes(entry) ? bridgesTerserOptions : terserOptions
}

/**
 * Rollup input and output options of one script-tag file as the build makes it (the core when `entry` is
 * src/script/index.ts, an ES module part otherwise), for tools that build it alone. `compileHint: false`
 * leaves the core's compile hint out (`node scripts/start-heap.mjs --no-hint`: what the hint costs and saves).
 */
export function scriptTagBuild(entry, { sourcemap = false, compileHint = true } = {}) {
  const core = entry === 'src/script/index.ts'
  return {
    input: {
      input: entry,
      plugins: [
        ...(core ? [scriptTagOnly()] : []),
        replaceEnv(true),
        json({ preferConst: true }),
        resolve({ browser: true }),
        tsTranspile({ tsconfig: './tsconfig.json', sourceMap: sourcemap }),
      ],
    },
    output: { format: core ? 'iife' : 'es', intro: realmPromise, sourcemap: sourcemap && 'hidden', plugins: [terser(terserOptionsFor(entry, { compileHint }))] },
  }
}
