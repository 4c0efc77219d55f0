// @vitest-environment node
// The published package: its exports map resolves, and importing it where there is no DOM (SSR, Node) does
// nothing and throws nothing.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

describe('package', () => {
  it('lists types first in the exports map and has no side effects', () => {
    expect(Object.keys(pkg.exports['.'])[0]).toBe('types')
    expect(pkg.sideEffects).toBe(false)
    expect(pkg.files).toContain('dist')
  })

  it('imports as ESM in Node without a DOM', async () => {
    expect(typeof globalThis.window).toBe('undefined')
    const mod = await import('../../dist/seglet.js')
    expect(typeof mod.createSeglet).toBe('function')
    expect(typeof mod.validateEvent).toBe('function')
    expect(mod.DEFAULT_RETENTION_DAYS).toBe(30)
  })

  it('requires as CommonJS in Node without a DOM', () => {
    const require = createRequire(import.meta.url)
    const mod = require('../../dist/seglet.cjs')
    expect(typeof mod.createSeglet).toBe('function')
    expect(new mod.ValidationError('x', 'field').code).toBe('invalid_event')
  })

  it('ships bundled type declarations', () => {
    const dts = readFileSync(new URL('../../dist/seglet.d.ts', import.meta.url), 'utf8')
    expect(dts).toMatch(/export \{[^}]*createSeglet/)
    expect(dts).toMatch(/interface Segment\b/)
  })

  it('publishes the builds, sources, README and licence, and no tests or fixtures', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' }))
    const files: string[] = packed.files.map((f: { path: string }) => f.path)
    for (const file of ['dist/seglet.js', 'dist/seglet.cjs', 'dist/seglet.min.js', 'dist/seglet-bridges.min.js', 'dist/seglet-model.min.js', 'dist/seglet.d.ts', 'README.md', 'LICENSE', 'package.json', 'src/index.ts']) {
      expect(files).toContain(file)
    }
    expect(files.filter((f) => /\.test\.ts$|__fixtures__|^training\/|^test\/|^bench\//.test(f))).toEqual([])
  })

  it('has no stale chunk in dist: every chunk is imported by a build file', () => {
    const dist = new URL('../../dist/', import.meta.url)
    const chunks = readdirSync(new URL('chunks/', dist))
    const builds = ['seglet.js', 'seglet.cjs', ...chunks.map((c) => `chunks/${c}`)].map((f) => ({ f, code: readFileSync(new URL(f, dist), 'utf8') }))
    expect(chunks.length).toBeGreaterThan(0)
    for (const chunk of chunks) expect(builds.some(({ f, code }) => f !== `chunks/${chunk}` && code.includes(chunk)), chunk).toBe(true)
  })
})
