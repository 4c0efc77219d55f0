// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { decideBuild, requiredDistFiles } from '../../scripts/prepare.mjs'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

describe('prepare', () => {
  it('is the package’s prepare script', () => {
    expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs')
  })

  it('knows every dist file the package points to', () => {
    const files: string[] = requiredDistFiles(pkg)
    for (const file of ['dist/seglet.js', 'dist/seglet.cjs', 'dist/seglet.d.ts', 'dist/seglet.min.js', 'dist/seglet-model.min.js']) expect(files).toContain(file)
  })

  it.each([
    [{ command: 'install', missing: ['dist/seglet.js'] }, true, 'lacks dist/seglet.js'],
    [{ command: 'install', missing: [] }, false, 'complete'],
    [{ command: 'ci', missing: ['dist/seglet.js'] }, false, 'npm ci'],
    [{ command: 'pack', missing: [] }, true, 'fresh'],
    [{ command: 'publish', missing: [] }, true, 'fresh'],
    [{ command: undefined, missing: ['dist/seglet.min.js'] }, true, 'lacks'],
    [{ command: 'install', missing: ['dist/seglet.js'], skip: true }, false, 'SEGLET_SKIP_BUILD'],
  ])('%j → build %s', (state, build, reason) => {
    const decision = decideBuild(state)
    expect(decision.build).toBe(build)
    expect(decision.reason).toContain(reason)
  })
})
