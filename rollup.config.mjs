// One rollup config for every build of Seglet:
//  - dist/seglet.js (ESM, one file per module under dist/esm/) and dist/seglet.cjs (CJS, with dist/chunks/) for
//    bundlers; the model runtime and the report part are lazily imported.
//  - dist/seglet.min.js: the script-tag build (IIFE that sets the global `Seglet`), the core only.
//  - dist/seglet-bridges.min.js: the GA4 and Shopify bridges' mapping code, loaded by the script-tag build
//    when a bridge first has something to map.
//  - dist/seglet-prune.min.js: the store's retention pass and export document, loaded by the script-tag build
//    on a page that must prune (a returning shopper's) or export.
//  - dist/seglet-blocks.min.js: the declarative blocks' code, loaded by the script-tag build when the page
//    first has a block.
//  - dist/seglet-model.min.js: the model runtime with the shipped packs, loaded by the script-tag build
//    with a dynamic import() from the same folder, after the page's own work.
//  - dist/seglet-reports.min.js: the private-report part, loaded the same way when a shop turns reports on.
//  - dist/seglet.d.ts: bundled type declarations, and the same as dist/seglet.d.cts for `require`: TypeScript reads a
//    .d.ts in this `"type": "module"` package as ESM, so CommonJS code would get an error importing it.
//  - dist/{react,vue,server}.{js,cjs,d.ts,d.cts}: the `seglet/react`, `seglet/vue` and `seglet/server` entry points,
//    with `seglet` itself, React and Vue left to the app (they never reach the script-tag build).
//  - dist/global.d.ts (and .d.cts): `seglet/global`, types only, the script tag's `window.Seglet` for a page's
//    TypeScript that opts in.
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import json from '@rollup/plugin-json'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import { dts } from 'rollup-plugin-dts'
import { BUDGETS } from './scripts/budgets.mjs'
import { tfjsSlim } from './scripts/rollup-plugin-tfjs-slim.mjs'
import { tsTranspile } from './scripts/rollup-plugin-ts-transpile.mjs'
import { realmPromise, replaceEnv, scriptTagOnly, terserOptions, terserOptionsFor } from './scripts/script-tag-build.mjs'

// Hashed chunk names change from build to build: a build starts from empty output folders, so nothing stale gets
// published or served. When the first build starts (rollup runs them one after the other), once per process (a
// rebuild in watch mode keeps the other builds' files), and never when this file is merely loaded: a tool that
// reads the config, or a `rollup -c` that stops before building, leaves the last build's files in place.
let emptied = false
const emptyOutputs = () => ({
  name: 'seglet-empty-outputs',
  buildStart() {
    if (emptied) return
    emptied = true
    for (const dir of ['dist', 'examples/bundler/dist']) rmSync(new URL(`./${dir}`, import.meta.url), { recursive: true, force: true })
  },
})

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))
// Only `dependencies` are left external: the CPU backend's modules that src/model/tf.ts imports
// (`@tensorflow/tfjs-backend-cpu/dist/*.js`, a dev dependency) are ES modules with extension-less relative imports,
// which only a bundler resolves, so they are bundled into the model chunk and it loads in Node too (a shop's
// component tests under jsdom or happy-dom, with Vitest or Jest); tfjs-core stays external, so an app has one
// TensorFlow.js engine.
const external = Object.keys(pkg.dependencies ?? {})
const SRC_INDEX = fileURLToPath(new URL('./src/index.ts', import.meta.url))
const isExternal = (id) => external.some((dep) => id === dep || id.startsWith(dep + '/'))

// Each file compiled on its own (tsconfig.json's isolatedModules); `npm run typecheck` checks the types.
const ts = () => tsTranspile({ tsconfig: './tsconfig.json' })



// tfjs-core imports two CommonJS packages by name (seedrandom's `alea`, long's default), which rollup cannot
// see without the commonjs plugin; the kernels Seglet registers never reach them (random ops, int64 hashing),
// so these warnings are noise in the build's progress output. Every other warning is printed.
const onwarn = (warning, warn) => {
  if (warning.code === 'MISSING_EXPORT' && /node_modules[\\/](seedrandom|long)[\\/]/.test(warning.exporter ?? '')) return
  warn(warning)
}

/** Prints the gzip size of each minified script-tag file and its budget. */
const reportSizes = () => ({
  name: 'seglet-size-report',
  writeBundle(options, bundle) {
    const rows = []
    for (const [file, chunk] of Object.entries(bundle)) {
      const code = chunk.type === 'chunk' ? chunk.code : chunk.source
      const gz = gzipSync(code, { level: 9 }).length
      const budget = BUDGETS[file]
      rows.push(`  ${file.padEnd(24)} ${String(code.length).padStart(8)} B  ${String(gz).padStart(7)} B gzip` +
        (budget ? `  (budget ${budget} B: ${gz <= budget ? 'ok' : 'OVER'})` : ''))
    }
    process.stdout.write(rows.join('\n') + '\n')
  },
})

// The bindings import `seglet` as an app would: it stays external, so an app has one Seglet.
const TFJS_VERSION = createRequire(import.meta.url)('@tensorflow/tfjs-core/package.json').version
/** The first line of the model part: the licence of the TensorFlow.js code it bundles (see THIRD_PARTY_LICENSES.md). */
const MODEL_NOTICE = `/*! Seglet model part (MIT). Contains TensorFlow.js ${TFJS_VERSION} code, Copyright Google LLC, under the Apache License 2.0: see THIRD_PARTY_LICENSES.md in the seglet package */`
const BINDINGS = ['react', 'vue', 'server']
const bindingExternal = (id) => ['seglet', 'react', 'react-dom', 'vue'].some((dep) => id === dep || id.startsWith(dep + '/'))
// `seglet/react` is client code (hooks, context): its builds start with the 'use client' directive, so a React
// Server Component (Next.js App Router) may render <SegletProvider> and the framework sends it to the browser
// as a client component. A directive in the source would be dropped by bundling; the banner puts it first.
const BANNERS = { react: "'use client';" }
const bindings = BINDINGS.flatMap((name) => [
  {
    input: `src/${name}/index.ts`,
    external: bindingExternal,
    plugins: [ts()],
    output: [
      { file: `dist/${name}.js`, format: 'es', banner: BANNERS[name] },
      { file: `dist/${name}.cjs`, format: 'cjs', exports: 'named', banner: BANNERS[name] },
    ],
  },
  {
    input: `src/${name}/index.ts`,
    external: bindingExternal,
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { paths: {} } })],
    output: [{ file: `dist/${name}.d.ts`, format: 'es' }, { file: `dist/${name}.d.cts`, format: 'es' }],
  },
])

// `seglet/global`: types only (no code), the script tag's `window.Seglet` and `window.seglet`, opted into by a
// page's TypeScript; `seglet` stays external, so the types are the package's own.
const globalTypes = {
  input: 'src/global.ts',
  external: bindingExternal,
  plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { paths: {} } })],
  output: [{ file: 'dist/global.d.ts', format: 'es' }, { file: 'dist/global.d.cts', format: 'es' }],
}

export default [
  {
    input: 'src/index.ts',
    external: isExternal,
    plugins: [emptyOutputs(), replaceEnv(false), json({ preferConst: true }), resolve({ browser: true }), ts()],
    output: [
      // One file per source module (dist/esm/), not chunks: an app's bundler then sees which module each lazy
      // part needs and puts it in that part's chunk. In a shared chunk, everything the lazy parts use from it
      // (features, pack checks, report schema) would land in the app's entry chunk, as one module.
      {
        dir: 'dist',
        format: 'es',
        preserveModules: true,
        preserveModulesRoot: 'src',
        // npm leaves every node_modules folder out of a package: the bundled CPU kernels go to dist/esm/vendor/.
        entryFileNames: (chunk) => (chunk.facadeModuleId === SRC_INDEX ? 'seglet.js' : `esm/${chunk.name.replace(/^(.*\/)?node_modules\//, 'vendor/')}.js`),
      },
      { dir: 'dist', format: 'cjs', entryFileNames: 'seglet.cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', exports: 'named' },
    ],
  },
  {
    input: 'src/script/index.ts',
    plugins: [scriptTagOnly(), replaceEnv(true), json({ preferConst: true }), resolve({ browser: true }), ts()],
    output: {
      file: 'dist/seglet.min.js',
      format: 'iife',
      // No `name`: the entry publishes `window.Seglet` itself, and reports a page that took the name.
      intro: realmPromise,
      plugins: [terser(terserOptionsFor('src/script/index.ts')), reportSizes()],
    },
  },
  {
    // The bridges' mapping code, loaded by the script-tag build when a GA4 or Shopify event arrives.
    input: 'src/capture/bridges.ts',
    plugins: [replaceEnv(true), resolve({ browser: true }), ts()],
    output: { file: 'dist/seglet-bridges.min.js', format: 'es', intro: realmPromise, plugins: [terser(terserOptionsFor('src/capture/bridges.ts')), reportSizes()] },
  },
  {
    // The declarative blocks' code, loaded by the script-tag build when the page first has a block.
    input: 'src/personalize/blocks.ts',
    plugins: [replaceEnv(true), resolve({ browser: true }), ts()],
    output: { file: 'dist/seglet-blocks.min.js', format: 'es', intro: realmPromise, plugins: [terser(terserOptionsFor('src/personalize/blocks.ts')), reportSizes()] },
  },
  {
    // The store's retention pass and export document, loaded by the script-tag build on a page that must prune or export.
    input: 'src/store/prune.ts',
    plugins: [replaceEnv(true), resolve({ browser: true }), ts()],
    output: { file: 'dist/seglet-prune.min.js', format: 'es', intro: realmPromise, plugins: [terser(terserOptionsFor('src/store/prune.ts')), reportSizes()] },
  },
  {
    input: 'src/core/lazy.ts',
    onwarn,
    plugins: [replaceEnv(true), tfjsSlim(), json({ preferConst: true, compact: true }), resolve({ browser: true }), ts()],
    // Minified without the TensorFlow.js files' own notices: one line says whose code it holds, under which licence,
    // and where the package gives its text and notices, so a copy of this file on a shop's site says so too.
    output: { file: 'dist/seglet-model.min.js', format: 'es', intro: realmPromise, plugins: [terser({ ...terserOptions, format: { ...terserOptions.format, preamble: MODEL_NOTICE } }), reportSizes()] },
  },
  {
    // The private-report part, loaded by the script-tag build from the same folder only when a shop
    // configures `reports` (data-reports).
    input: 'src/reports/lazy.ts',
    plugins: [replaceEnv(true), resolve({ browser: true }), ts()],
    output: { file: 'dist/seglet-reports.min.js', format: 'es', intro: realmPromise, plugins: [terser(terserOptions), reportSizes()] },
  },
  {
    // The npm example: a shop's app importing `seglet` from the ESM build, bundled with code splitting.
    input: 'examples/bundler/src/app.js',
    onwarn,
    plugins: [
      { name: 'seglet-self', resolveId: (id) => (id === 'seglet' ? fileURLToPath(new URL('./dist/seglet.js', import.meta.url)) : null) },
      replaceEnv(true),
      tfjsSlim(),
      json({ preferConst: true, compact: true }),
      resolve({ browser: true }),
    ],
    output: { dir: 'examples/bundler/dist', format: 'es', entryFileNames: 'app.js', chunkFileNames: '[name]-[hash].js', plugins: [terser(terserOptions)] },
  },
  {
    input: 'src/index.ts',
    external: isExternal,
    plugins: [dts({ tsconfig: './tsconfig.json' })],
    output: [{ file: 'dist/seglet.d.ts', format: 'es' }, { file: 'dist/seglet.d.cts', format: 'es' }],
  },
  ...bindings,
  globalTypes,
]
