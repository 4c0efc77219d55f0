// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'
import { main } from './main'

afterEach(() => vi.restoreAllMocks())

it('stops with one line, not a stack trace, when the page-statistics folder cannot be written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seglet-main-'))
  try {
    writeFileSync(join(dir, 'file'), '')
    const errors: unknown[] = []
    vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
    vi.spyOn(console, 'log').mockImplementation(() => {})
    const code = await main(['--database', 'memory:', '--port', '0', '--page-stats-dir', join(dir, 'file', 'public')])
    expect(code).toBe(1)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^seglet collector: cannot write the page statistics to .*file\/public: ENOTDIR[^\n]*$/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}, 300_000)
