// @vitest-environment node
// Two processes that find the embedded store's lock left by a crashed collector at once (a collector restarting
// and a scheduled retrain): one takes it over; the other must not delete the lock the first one has just taken.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'

// The other process, which takes the stale lock over just before this one removes it.
const other = vi.hoisted(() => ({ lock: '', takeOver: undefined as undefined | (() => void) }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const before = (path: unknown) => {
    if (String(path) === other.lock && other.takeOver) {
      const takeOver = other.takeOver
      other.takeOver = undefined
      takeOver()
    }
  }
  const unlinkSync: typeof fs.unlinkSync = (path) => (before(path), fs.unlinkSync(path))
  const renameSync: typeof fs.renameSync = (from, to) => (before(from), fs.renameSync(from, to))
  return { ...fs, unlinkSync, renameSync, default: { ...fs, unlinkSync, renameSync } }
})

it('does not take over a lock another process took over from a crashed holder a moment before', async () => {
  const { lockStoreFolder } = await import('./lockStoreFolder')
  const dir = mkdtempSync(join(tmpdir(), 'seglet-lock-'))
  try {
    const location = join(dir, 'db')
    other.lock = `${location}.lock`
    // Left by a collector that crashed: its process is gone.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!
    writeFileSync(other.lock, `${gone}\n`)
    // The other process (alive: this one's parent) removes it and writes its own, between this one's read and removal.
    const alive = process.ppid
    other.takeOver = () => {
      rmSync(other.lock)
      writeFileSync(other.lock, `${alive}\n`, { flag: 'wx' })
    }
    await expect(lockStoreFolder(location, { heartbeatMs: 100, staleMs: 1_000 })).rejects.toMatchObject({
      code: 'collector_storage',
      message: expect.stringMatching(new RegExp(`in use by process ${alive}`)),
    })
    expect(readFileSync(other.lock, 'utf8')).toBe(`${alive}\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
