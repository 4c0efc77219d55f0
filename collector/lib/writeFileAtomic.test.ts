// @vitest-environment node
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// Every file-system step, in order: what a power cut could leave on disk depends on it.
const steps: string[] = []
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>()
  const name = (path: unknown) => String(path).replace(/^.*[\\/]/, '').replace(/\.\d+-[0-9a-f]+\.tmp$/, '.TMP')
  const wrapped = {
    ...fs,
    open: async (path: string, ...rest: unknown[]) => {
      const handle = await (fs.open as (...args: unknown[]) => ReturnType<typeof fs.open>)(path, ...rest)
      steps.push(`open ${name(path)}`)
      const sync = handle.sync.bind(handle)
      handle.sync = async () => {
        await sync()
        steps.push(`sync ${name(path)}`)
      }
      return handle
    },
    writeFile: async (path: unknown, ...rest: unknown[]) => {
      await (fs.writeFile as (...args: unknown[]) => Promise<void>)(path, ...rest)
      steps.push(`writeFile ${name(path)}`)
    },
    rename: async (from: string, to: string) => {
      await fs.rename(from, to)
      steps.push(`rename ${name(from)} ${name(to)}`)
    },
  }
  return { ...wrapped, default: wrapped }
})

const { writeFileAtomic } = await import('./writeFileAtomic')

describe('writeFileAtomic', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'seglet-atomic-'))
    steps.length = 0
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('puts the data on disk before the rename, and the rename before it returns: a power cut never leaves the name on an empty file', async () => {
    const file = join(dir, 'page-stats.current.json')
    await writeFileAtomic(file, '{"file":"x"}\n')
    expect(readFileSync(file, 'utf8')).toBe('{"file":"x"}\n')
    expect(readdirSync(dir)).toEqual(['page-stats.current.json'])
    const synced = steps.indexOf('sync page-stats.current.json.TMP')
    const renamed = steps.indexOf('rename page-stats.current.json.TMP page-stats.current.json')
    expect(synced, steps.join('; ')).toBeGreaterThanOrEqual(0)
    expect(renamed, steps.join('; ')).toBeGreaterThan(synced)
    // The folder's entry too (where the system can sync a folder): the new name survives a power cut.
    if (process.platform !== 'win32') expect(steps.slice(renamed + 1), steps.join('; ')).toContain(`sync ${dir.replace(/^.*[\\/]/, '')}`)
  })

  it('removes its temporary file when the write fails', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'page-stats.json'), 'x')).rejects.toThrow()
    expect(readdirSync(dir)).toEqual([])
  })
})
