import { readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { CollectorError } from '../lib/CollectorError'

/**
 * Claims the embedded store in `location` for this process, with a lock file beside the folder
 * (`<location>.lock`, holding the process id), and returns the function that gives it up. Two embedded stores over
 * one folder each keep the database in their own memory and write it back over the other's, so a second process
 * (a `retrain` while the collector runs) is refused with a `collector_storage` error. A lock left by a process
 * that no longer runs is taken over.
 *
 * @example
 * const release = lockStoreFolder('.seglet-collector/db')
 */
export function lockStoreFolder(location: string): () => void {
  const file = `${location}.lock`
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
      held.add(resolve(file))
      return () => {
        held.delete(resolve(file))
        try {
          unlinkSync(file)
        } catch {}
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error
    }
    let holder = NaN
    try {
      holder = Number.parseInt(readFileSync(file, 'utf8'), 10)
    } catch {}
    // This process's own id in a lock it does not hold was left by an earlier process that had the same id: a
    // container restarted after a crash often gives the collector the very id it had before.
    if (Number.isSafeInteger(holder) && holder > 0 && (holder === process.pid ? held.has(resolve(file)) : isRunning(holder))) {
      throw new CollectorError(
        'collector_storage',
        `the embedded store in ${location} is in use by process ${holder}; stop it first, or use PostgreSQL to share the store (delete ${file} only if no such process runs)`,
        '--database',
      )
    }
    // Left by a process that is gone: take it over.
    try {
      unlinkSync(file)
    } catch {}
  }
}

/** Lock files this process holds now (absolute paths). */
const held = new Set<string>()

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
