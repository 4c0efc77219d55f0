// @vitest-environment node
// The published package: its exports map resolves, and importing it where there is no DOM (SSR, Node) does
// nothing and throws nothing.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { snippet } from '../browser/readmeSnippets'
// @ts-expect-error: plain ES module without types
import { typeErrors as checkTypes } from '../../scripts/typecheck.mjs'

const ROOT = new URL('../..', import.meta.url).pathname
/** What `tsc <args>` prints when run in `cwd`, '' when the files type-check (in this process: the libraries' types are parsed once). */
const typeErrors: (args: string[], cwd: string) => string = checkTypes

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

/** What `npm pack` would publish (its dry run's listing), read once for the tests that look at it. */
let packListing: { files: { path: string }[] } | undefined
const packList = () => (packListing ??= JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }))[0])

describe('package', () => {
  it('lists types first in the exports map, for import and require, and has no side effects', () => {
    for (const entry of ['.', './react', './vue', './server', './global']) {
      expect(Object.keys(pkg.exports[entry]), entry).toEqual(['import', 'require'])
      expect(Object.keys(pkg.exports[entry].import)[0], entry).toBe('types')
      expect(pkg.exports[entry].require.types, entry).toMatch(/\.d\.cts$/)
    }
    expect(pkg.sideEffects).toBe(false)
    expect(pkg.files).toContain('dist')
  })

  it('maps each entry point to its types for TypeScript without exports support (moduleResolution node10)', () => {
    // `typesVersions` is what TypeScript's older "node" resolution reads for `seglet/react` and the like.
    const entries = Object.entries(pkg.exports).filter(([key]) => key !== '.' && key !== './package.json')
    expect(entries.length).toBeGreaterThan(0)
    for (const [key, value] of entries) {
      expect(pkg.typesVersions['*'][key.slice(2)], key).toEqual([(value as { import: { types: string } }).import.types])
    }
    expect(pkg.types).toBe(pkg.exports['.'].import.types)
  })

  it('imports as ESM in Node without a DOM', async () => {
    expect(typeof globalThis.window).toBe('undefined')
    const mod = await import('../../dist/seglet.js')
    expect(typeof mod.createSeglet).toBe('function')
    expect(typeof mod.validateEvent).toBe('function')
    expect(mod.DEFAULT_RETENTION_DAYS).toBe(30)
    // The default ε the README's options table names, as it names the other defaults.
    expect(mod.DEFAULT_DAILY_EPSILON).toBe(2)
  })

  it('reports nothing and does nothing when started in Node (server rendering)', async () => {
    const { createSeglet } = await import('../../dist/seglet.js')
    const errors: unknown[] = []
    const seglet = createSeglet({ consent: 'granted', onError: (e: unknown) => errors.push(e) })
    seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
    await seglet.flush()
    await new Promise((r) => setTimeout(r, 300))
    expect(seglet.getSegment()).toBeNull()
    expect(errors).toEqual([])
    await seglet.destroy()
  })

  it('has the bindings and the server helper as their own entry points, with seglet, React and Vue external', async () => {
    expect(pkg.peerDependenciesMeta).toEqual({ react: { optional: true }, vue: { optional: true } })
    expect(Object.keys(pkg.dependencies)).not.toContain('react')
    const require = createRequire(import.meta.url)
    for (const name of ['react', 'vue', 'server']) {
      const esm = readFileSync(new URL(`../../dist/${name}.js`, import.meta.url), 'utf8')
      // Only bare imports of seglet and the framework: no second copy of Seglet inside.
      const imports = [...esm.matchAll(/^(?:import|export)\b[^;\n]* from '([^']+)'/gm)].map((m) => m[1])
      expect(imports.length, name).toBeGreaterThan(0)
      expect(imports.every((id) => ['seglet', 'react', 'vue'].includes(id)), `${name}: ${imports}`).toBe(true)
      expect(esm).not.toMatch(/indexedDB|createStore/)
      expect(readFileSync(new URL(`../../dist/${name}.d.ts`, import.meta.url), 'utf8')).toMatch(/export \{/)
      expect(Object.keys(require(`../../dist/${name}.cjs`)).length).toBeGreaterThan(2)
    }
    const server = await import('../../dist/server.js')
    expect(server.readSegmentHint('seglet_hint=casual-browser.low')).toEqual({ segmentId: 'casual-browser', intentBand: 'low' })
  })

  it("marks seglet/react as client code for React Server Components, and keeps seglet/server loadable there", () => {
    // A Server Component (Next.js App Router) renders <SegletProvider> as a client reference only when the
    // module starts with the directive; the hooks and createContext do not exist in React's server build.
    for (const file of ['react.js', 'react.cjs']) {
      const code = readFileSync(new URL(`../../dist/${file}`, import.meta.url), 'utf8')
      expect(code.split('\n')[0], file).toBe("'use client';")
    }
    for (const file of ['seglet.js', 'seglet.cjs', 'server.js', 'server.cjs']) {
      expect(readFileSync(new URL(`../../dist/${file}`, import.meta.url), 'utf8'), file).not.toMatch(/^\s*['"]use client['"]/)
    }
    // What a Server Component imports runs under the `react-server` condition: seglet/server and seglet load there.
    const script = "const { readSegmentHint } = await import('seglet/server'); await import('seglet'); process.stdout.write(JSON.stringify(readSegmentHint('seglet_hint=casual-browser.low')))"
    const out = execFileSync(process.execPath, ['--conditions=react-server', '--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ segmentId: 'casual-browser', intentBand: 'low' })
  })

  it('requires as CommonJS in Node without a DOM', () => {
    const require = createRequire(import.meta.url)
    const mod = require('../../dist/seglet.cjs')
    expect(typeof mod.createSeglet).toBe('function')
    expect(new mod.ValidationError('x', 'field').code).toBe('invalid_event')
  })

  it('tells Seglet errors apart with either build when both are loaded, as a CommonJS test runner with ES modules does', () => {
    // Both builds in one Node process: each has its own classes, and `instanceof` one misses the other's errors.
    const script = `
      import { createRequire } from 'node:module'
      const cjs = createRequire(process.cwd() + '/')('./dist/seglet.cjs')
      const esm = await import(process.cwd() + '/dist/seglet.js')
      const thrown = (f) => { try { f() } catch (error) { return error } }
      const option = thrown(() => cjs.createSeglet({ consnet: 'granted' }))
      const event = thrown(() => esm.validateEvent({ type: 'purchase' }))
      process.stdout.write(JSON.stringify({
        sameClass: cjs.SegletError === esm.SegletError,
        instanceOf: option instanceof esm.SegletError,
        esmKnowsCjs: [esm.isSegletError(option), esm.isValidationError(option)],
        cjsKnowsEsm: [cjs.isSegletError(event), cjs.isValidationError(event)],
        plain: [esm.isSegletError(new Error('x')), cjs.isSegletError({ code: 'invalid_event' }), esm.isValidationError(new esm.OptionsError('x'))],
      }))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ sameClass: false, instanceOf: false, esmKnowsCjs: [true, false], cjsKnowsEsm: [true, true], plain: [false, false, false] })
  })

  it("loads the model part in Node, as a shop's component tests under jsdom do when a segment is decided", () => {
    // Vitest or Jest with a DOM runs the real Seglet, which imports its lazy chunks as Node resolves them.
    // The CommonJS build's chunks, and every module of the ES module build (dist/esm/).
    const script = `
      import { readdirSync } from 'node:fs'
      import { createRequire } from 'node:module'
      const dir = new URL('./dist/chunks/', 'file://' + process.cwd() + '/')
      const esm = new URL('./dist/esm/', 'file://' + process.cwd() + '/')
      const require = createRequire(new URL('seglet.cjs', dir))
      const failed = []
      for (const chunk of readdirSync(dir)) {
        try { require('./' + chunk) } catch (error) { failed.push(chunk + ': ' + error.message.split('\\n')[0]) }
      }
      for (const file of readdirSync(esm, { recursive: true }).filter((f) => f.endsWith('.js'))) {
        try { await import(new URL(file, esm)) } catch (error) { failed.push(file + ': ' + error.message.split('\\n')[0]) }
      }
      process.stdout.write(JSON.stringify(failed))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual([])
  }, 60_000)

  it('ships bundled type declarations', () => {
    const dts = readFileSync(new URL('../../dist/seglet.d.ts', import.meta.url), 'utf8')
    expect(dts).toMatch(/export \{[^}]*createSeglet/)
    expect(dts).toMatch(/interface Segment\b/)
  })

  it('types a CommonJS and an ES module TypeScript consumer (node16 resolution)', () => {
    const consumers = ['consumer.cts', 'consumer.mts'].map((f) => new URL(`consumers/${f}`, import.meta.url).pathname)
    const args = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'react', ...consumers]
    const output = typeErrors(args, ROOT)
    expect(output).toBe('')
  }, 120_000)

  it("types the seglet:segment window event for a storefront's TypeScript with the DOM library (strict, skipLibCheck off)", () => {
    // `window.addEventListener('seglet:segment', (e) => e.detail.id)` compiles without a cast, and a field the
    // segment does not have is an error (the consumer's @ts-expect-error lines fail the check when detail is untyped or any).
    const consumer = new URL('consumers/events.mts', import.meta.url).pathname
    const args = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', consumer]
    const output = typeErrors(args, ROOT)
    expect(output).toBe('')
  }, 120_000)

  it("types window.Seglet and the command queue only for a script-tag page that opts in with seglet/global (strict, skipLibCheck off)", () => {
    // global.mts opts in and checks the tag's API and queued commands (its @ts-expect-error lines fail the check when
    // a wrong call compiles); no-global.mts does not, and must not see `window.Seglet`. Two programs: globals merge.
    // `/// <reference types>` finds a package in node_modules only (not by the package's own name, as imports do):
    // checked in a project of its own with this package linked into node_modules (read there, as if installed).
    expect(pkg.exports['./global'].import).toEqual({ types: './dist/global.d.ts' })
    const root = new URL('../..', import.meta.url).pathname
    const project = mkdtempSync(join(tmpdir(), 'seglet-global-'))
    mkdirSync(join(project, 'node_modules'))
    symlinkSync(root, join(project, 'node_modules', 'seglet'), 'dir')
    for (const file of ['global.mts', 'no-global.mts', 'global-script.ts']) copyFileSync(new URL(`consumers/${file}`, import.meta.url), join(project, file))
    // The README's example of a script-tag page's TypeScript, as copied (a classic script).
    writeFileSync(join(project, 'readme-global.ts'), snippet('global-ts'))
    const check = (file: string, module: string, resolution = module) => {
      const args = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--module', module, '--moduleResolution', resolution, '--target', 'es2022', '--lib', 'es2022,dom', '--preserveSymlinks', file]
      return typeErrors(args, project)
    }
    try {
      expect(check('global.mts', 'nodenext')).toBe('')
      expect(check('no-global.mts', 'nodenext')).toBe('')
      // A bundler's project (a storefront theme built with Vite), and one on TypeScript's older resolution, which
      // finds the entry through typesVersions.
      expect(check('global.mts', 'esnext', 'bundler')).toBe('')
      expect(check('global.mts', 'esnext', 'node10')).toBe('')
      // A classic script's own top-level `seglet` and `Seglet` (not window properties) beside the tag's.
      expect(check('global-script.ts', 'esnext', 'bundler')).toBe('')
      expect(check('global-script.ts', 'nodenext')).toBe('')
      expect(check('readme-global.ts', 'esnext', 'bundler')).toBe('')
    } finally {
      rmSync(project, { recursive: true, force: true })
    }
  }, 180_000)

  it("types a Node server's TypeScript without the DOM library (seglet and seglet/server, skipLibCheck off)", () => {
    // createSeglet() is inert in Node and documented as safe to call there; its declarations must not need the DOM.
    const consumer = new URL('consumers/server.mts', import.meta.url).pathname
    const args = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022', '--types', 'node', consumer]
    const output = typeErrors(args, ROOT)
    expect(output).toBe('')
  }, 120_000)

  it("type-checks the examples the declarations show for the Shopify names, the features, the export and the window event, with the package's own API", () => {
    // What an editor shows on hover is copied as it is: it must compile against what `seglet` exports.
    const dts = readFileSync(new URL('../../dist/seglet.d.ts', import.meta.url), 'utf8')
    const exampleOf = (declaration: string) => {
      const before = dts.slice(0, dts.indexOf(declaration))
      const doc = before.slice(before.lastIndexOf('/**'))
      return doc.slice(doc.indexOf('@example') + 8).split('\n').map((line) => line.replace(/^\s*\*\/?\s?/, '')).join('\n').trim()
    }
    const examples = ['declare const SHOPIFY_EVENT_NAMES', 'declare function computeFeatures', 'interface SegletExport', 'interface SegletEventMap'].map(exampleOf)
    // Written beside the other consumers, so `seglet` resolves to this package as its own name does.
    const file = new URL(`consumers/examples-${process.pid}.mts`, import.meta.url).pathname
    const prelude = "import { computeFeatures, createSeglet, SHOPIFY_EVENT_NAMES } from 'seglet'\nconst seglet = createSeglet({ consent: 'granted' })\ndeclare const event: { name: string; data: unknown }\n"
    writeFileSync(file, prelude + examples.map((code, i) => `export async function example${i}() {\n${code}\n}\n`).join(''))
    const args = ['--noEmit', '--strict', '--noUnusedLocals', 'false', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', file]
    const output = typeErrors(args, ROOT)
    rmSync(file, { force: true })
    expect(examples.every((code) => code.length > 0)).toBe(true)
    expect(output).toBe('')
  }, 120_000)

  it('publishes the builds, sources, README and licence, and no tests or fixtures', () => {
    const packed = packList()
    const files: string[] = packed.files.map((f: { path: string }) => f.path)
    for (const file of ['dist/seglet.js', 'dist/seglet.cjs', 'dist/seglet.min.js', 'dist/seglet-bridges.min.js', 'dist/seglet-blocks.min.js', 'dist/seglet-prune.min.js', 'dist/seglet-model.min.js', 'dist/seglet.d.ts', 'dist/seglet.d.cts', 'README.md', 'LICENSE', 'package.json', 'src/index.ts']) {
      expect(files).toContain(file)
    }
    expect(files.filter((f) => /\.test\.ts$|fixtures\/|\/testing\/|^training\/(?!README\.md$)|^test\/|^bench\//.test(f))).toEqual([])
    // Every module of the ES module build, the CPU kernels it bundles too (npm leaves node_modules folders out).
    const esm = (readdirSync(new URL('../../dist/esm/', import.meta.url), { recursive: true }) as string[]).filter((f) => f.endsWith('.js'))
    expect(esm.length).toBeGreaterThan(0)
    for (const file of esm) expect(files).toContain(`dist/esm/${file}`)
  })

  it('publishes the licence of every third-party package its builds can contain, with its version', () => {
    // The script-tag builds bundle every bare import of the browser code (TensorFlow.js into the model part, minified
    // without the files' own notices); the ES module build vendors what it bundles into dist/esm/vendor/. React, Vue
    // and `seglet` itself stay external, and the bindings are the only code importing them.
    const packed = packList()
    const files = new Set<string>(packed.files.map((f: { path: string }) => f.path))
    expect(files.has('THIRD_PARTY_LICENSES.md')).toBe(true)
    const notices = readFileSync(new URL('../../THIRD_PARTY_LICENSES.md', import.meta.url), 'utf8')
    const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/')
    const bundled = new Set<string>()
    const src = new URL('../../src/', import.meta.url)
    const sources = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !/\.test\.ts$|(^|\/)(testing|fixtures|__fixtures__)\//.test(f))
    for (const file of sources) {
      const code = readFileSync(new URL(file, src), 'utf8')
      for (const m of code.matchAll(/^\s*(?:import|export)\b[^']*?\bfrom\s*'([^.'][^']*)'|\bimport\(\s*'([^.'][^']*)'\s*\)/gm)) {
        const spec = m[1] ?? m[2]
        if (!/^(seglet|react|react-dom|vue)(\/|$)|^node:/.test(spec)) bundled.add(packageOf(spec))
      }
    }
    const vendor = new URL('../../dist/esm/vendor/', import.meta.url)
    for (const dir of readdirSync(vendor)) for (const name of dir.startsWith('@') ? readdirSync(new URL(`${dir}/`, vendor)).map((n) => `${dir}/${n}`) : [dir]) bundled.add(name)
    expect([...bundled].sort()).toEqual(expect.arrayContaining(['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-core']))
    for (const name of bundled) {
      const { version, license } = JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8'))
      const row = notices.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))
      expect(row, `THIRD_PARTY_LICENSES.md has a row for ${name}`).toBeDefined()
      expect(row!.split('|').slice(2, 4).map((cell) => cell.trim()), name).toEqual([version, license])
      if (license === 'Apache-2.0') expect(notices.replace(/\s+/g, ' ')).toContain('Apache License Version 2.0, January 2004 http://www.apache.org/licenses/ TERMS AND CONDITIONS')
    }
    // The model part a shop copies to its site says so in its first line, with the version it holds.
    const { version } = JSON.parse(readFileSync(new URL('../../node_modules/@tensorflow/tfjs-core/package.json', import.meta.url), 'utf8'))
    const firstLine = readFileSync(new URL('../../dist/seglet-model.min.js', import.meta.url), 'utf8').split('\n')[0]
    expect(firstLine).toMatch(/^\/\*! .* \*\/$/)
    expect(firstLine).toContain(`TensorFlow.js ${version} code, Copyright Google LLC, under the Apache License 2.0: see THIRD_PARTY_LICENSES.md`)
  })

  it("publishes every file the README links to, so its links work in the installed package", () => {
    const packed = packList()
    const files = new Set<string>(packed.files.map((f: { path: string }) => f.path))
    for (const doc of ['README.md', ...[...files].filter((f) => f.startsWith('docs/') && f.endsWith('.md'))]) {
      const text = readFileSync(new URL(`../../${doc}`, import.meta.url), 'utf8')
      const targets = [...text.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)/g)].map((m) => join(doc, '..', m[1]))
      if (doc === 'README.md') expect(targets.length).toBeGreaterThan(0)
      expect(targets.filter((target) => !files.has(target)), doc).toEqual([])
    }
  })

  it('holds every file the script-tag quick start says to copy, in the folder the README says they are in', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const quickStart = readme.slice(readme.indexOf('## Quick start: script tag'), readme.indexOf('### Content Security Policy')).replace(/\s+/g, ' ')
    const copied = [...new Set([...quickStart.matchAll(/`(dist\/seglet[\w-]*\.min\.js)`/g)].map((m) => m[1]))]
    expect(copied).toContain('dist/seglet.min.js')
    expect(copied).toContain('dist/seglet-model.min.js')
    // A shop without a Node build gets the files from the package itself.
    expect(quickStart).toContain('`npm pack seglet`')
    expect(quickStart).toContain('`node_modules/seglet/dist/`')
    const packed = packList()
    const files = new Set<string>(packed.files.map((f: { path: string }) => f.path))
    for (const file of copied) expect(files.has(file), file).toBe(true)
  })

  it('has no stale chunk in dist: every chunk is imported by a build file', () => {
    const dist = new URL('../../dist/', import.meta.url)
    const chunks = readdirSync(new URL('chunks/', dist))
    const builds = ['seglet.js', 'seglet.cjs', ...chunks.map((c) => `chunks/${c}`)].map((f) => ({ f, code: readFileSync(new URL(f, dist), 'utf8') }))
    expect(chunks.length).toBeGreaterThan(0)
    for (const chunk of chunks) expect(builds.some(({ f, code }) => f !== `chunks/${chunk}` && code.includes(chunk)), chunk).toBe(true)
  })

  it('has no stale module in the ES module build: every file of dist/esm/ is imported by another', () => {
    const dist = new URL('../../dist/', import.meta.url)
    const files = (readdirSync(new URL('esm/', dist), { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).map((f) => `esm/${f}`)
    const imported = new Set<string>()
    for (const from of ['seglet.js', ...files]) {
      const code = readFileSync(new URL(from, dist), 'utf8')
      for (const [, spec] of code.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) imported.add(new URL(spec, new URL(from, dist)).href.slice(dist.href.length))
    }
    expect(files.length).toBeGreaterThan(0)
    expect(files.filter((f) => !imported.has(f))).toEqual([])
  })
})
