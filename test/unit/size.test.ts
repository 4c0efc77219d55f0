// @vitest-environment node
// Size budgets of the files a browser downloads, in gzip bytes. `npm test` builds first, so dist/ is fresh.
import { existsSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { BUDGETS } from '../../scripts/budgets.mjs'

const dist = new URL('../../dist/', import.meta.url)
const gzipSize = (file: string) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length

describe('size budgets', () => {
  it('has a build to measure (run `npm run build` first)', () => {
    expect(existsSync(new URL('seglet.min.js', dist))).toBe(true)
    expect(existsSync(new URL('seglet-model.min.js', dist))).toBe(true)
  })

  it.each(Object.entries(BUDGETS as Record<string, number>))('%s stays within %i bytes gzip', (file, budget) => {
    expect(gzipSize(file)).toBeLessThanOrEqual(budget)
  })

  it('keeps TensorFlow.js out of the script-tag core', () => {
    const core = readFileSync(new URL('seglet.min.js', dist), 'utf8')
    expect(core).not.toMatch(/_FusedMatMul|tfjs|MathBackendCPU/)
    expect(readFileSync(new URL('seglet-model.min.js', dist), 'utf8')).toMatch(/_FusedMatMul/)
  })

  it('matches the sizes the README states', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    for (const file of Object.keys(BUDGETS)) {
      const row = readme.split('\n').find((line) => line.includes(`\`${file}\``) && line.trim().startsWith('|'))
      expect(row, `README size table has a row for ${file}`).toBeDefined()
      const stated = Number(/([\d.]+) KB/.exec(row!)?.[1]) * 1024
      // The README rounds to 0.1 KB: it may not understate the real size, nor overstate it by over 1 KB.
      expect(stated, `README states ${file}`).toBeGreaterThanOrEqual(gzipSize(file) - 0.05 * 1024)
      expect(stated - gzipSize(file), `README states ${file}`).toBeLessThanOrEqual(1024)
    }
  })
})
