// @vitest-environment node
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// The launcher in a checkout of its own, with a compiled collector that only reads the CommonJS mark and exits.
const root = mkdtempSync(join(tmpdir(), 'seglet-run-'))
mkdirSync(join(root, 'collector'))
mkdirSync(join(root, '.build', 'collector'), { recursive: true })
copyFileSync(join(__dirname, 'run.mjs'), join(root, 'collector', 'run.mjs'))
writeFileSync(join(root, '.build', 'collector', 'main.js'), 'exports.main = async () => 0\n')

const start = () =>
  new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn(process.execPath, [join(root, 'collector', 'run.mjs')], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => done({ code, stderr }))
  })

// Several collectors started from one checkout at once (a `serve` and a scheduled `retrain`, replicas on one host):
// each marks the compiled folder as CommonJS as it starts, and none may read that mark half-written by another.
describe('collector/run.mjs', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('starts several collectors at once from one checkout', async () => {
    for (let round = 0; round < 5; round++) {
      const runs = await Promise.all(Array.from({ length: 12 }, start))
      for (const run of runs) expect(run).toEqual({ code: 0, stderr: '' })
    }
  }, 120_000)
})
