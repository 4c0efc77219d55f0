// @vitest-environment node
// The published package: its exports map resolves, and importing it where there is no DOM (SSR, Node) does
// nothing and throws nothing.
import { readFileSync } from 'node:fs'
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
})
