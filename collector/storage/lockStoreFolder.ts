import { randomBytes } from 'node:crypto'
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs'
import { resolve } from 'node:path'
import { CollectorError } from '../lib/CollectorError'
import { isRunning } from '../lib/isRunning'

/** How often the holder of a lock touches it, to show that it still runs. */
export const LOCK_HEARTBEAT_MS = 10_000
/** A lock not touched for this long is stale, whoever holds it: a running holder touches it every heartbeat. */
export const LOCK_STALE_MS = 30_000

/** Timings of {@link lockStoreFolder} (shortened in tests), and what it says while it waits. */
export interface LockTimings {
  heartbeatMs?: number
  staleMs?: number
  /** Called once when a lock touched lately makes it wait (the command line prints it). */
  onWait?: (message: string) => void
}

/**
 * Claims the embedded store in `location` for this process, with a lock file beside the folder
 * (`<location>.lock`, holding the process id, touched every {@link LOCK_HEARTBEAT_MS} while held), and resolves to
 * the function that gives it up. Two embedded stores over one folder each keep the database in their own memory
 * and write it back over the other's, so a second process (a `retrain` while the collector runs, a second
 * container on the same volume) is refused with a `collector_storage` error.
 *
 * A lock is another's while it is touched: a process of this machine that still runs, or a lock touched in the
 * last {@link LOCK_STALE_MS}, which may be held from another container (whose processes this one cannot see).
 * A lock that is not touched is stale and taken over: a collector that crashed, or was killed, and restarts in
 * its container (often with the very process id it had) waits at most that long, instead of needing the lock
 * deleted by hand.
 *
 * @example
 * const release = await lockStoreFolder('.seglet-collector/db')
 */
export async function lockStoreFolder(location: string, timings: LockTimings = {}): Promise<() => void> {
  const { heartbeatMs = LOCK_HEARTBEAT_MS, staleMs = LOCK_STALE_MS } = timings
  // The folder resolved first: `db/`, `./db` and `/srv/db` are one folder, and so one lock beside it (never in it).
  const file = `${resolve(location)}.lock`
  const inUse = (holder: number | string) =>
    new CollectorError(
      'collector_storage',
      `the embedded store in ${location} is in use by process ${holder}; stop it first, or use PostgreSQL to share the store (delete ${file} only if no such process runs)`,
      '--database',
    )
  for (let attempt = 0; ; attempt++) {
    try {
      writeLock(file)
      held.add(file)
      const heartbeat = setInterval(() => {
        try {
          const now = new Date()
          utimesSync(file, now, now)
        } catch {}
      }, heartbeatMs)
      heartbeat.unref()
      return () => {
        clearInterval(heartbeat)
        held.delete(file)
        try {
          unlinkSync(file)
        } catch {}
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 1) throw error
    }
    const lock = readLock(file)
    // The lock as judged stale below.
    let stale = lock
    if (lock) {
      const { holder } = lock
      // This process holds it already, or a live process of this machine does.
      if (held.has(file) || (holder !== process.pid && holder > 0 && isRunning(holder))) throw inUse(holder)
      // Touched lately: its holder may run where this process cannot see it (another container on the volume), or
      // may be this process's own earlier life (a restart that reuses the id). Wait for it to be touched, or to go stale.
      // Untouched for staleMs by this process's clock too: a lock stamped ahead of it (a clock set back since) is
      // not waited for until the clock catches up.
      let touched = lock.touched
      const since = Date.now()
      timings.onWait?.(`the embedded store in ${location} was locked by process ${holder} until moments ago; waiting up to ${Math.ceil(staleMs / 1000)} s for it to show that it still runs (a collector restarted at once after a crash takes it over then)`)
      const untouchedFor = () => Date.now() - Math.min(touched, since)
      while (untouchedFor() < staleMs) {
        await new Promise((wake) => setTimeout(wake, Math.min(heartbeatMs / 4, staleMs - untouchedFor() + 1)))
        const now = readLock(file)
        if (!now) break
        if (now.touched !== touched || now.holder !== holder) throw inUse(now.holder)
        touched = now.touched
        stale = now
      }
    }
    // Left by a process that is gone: take it over. Moved aside under a name of this process's own first, not
    // deleted: of two processes that found it stale at once, one moves it and the other finds it gone; and one
    // that moved the lock another had just taken over (not the one it judged stale) puts it back.
    const aside = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`
    try {
      renameSync(file, aside)
    } catch {
      continue
    }
    const moved = readLock(aside)
    if (moved && !(stale && moved.holder === stale.holder && moved.touched === stale.touched)) {
      try {
        linkSync(aside, file)
      } catch {}
    }
    try {
      unlinkSync(aside)
    } catch {}
  }
}

/**
 * Makes the lock file holding this process's id, or throws: `EEXIST` when there is one. A lock made but not written
 * (a full disk) is removed, not left to make the next start wait for it to go stale; the error names the file.
 */
function writeLock(file: string): void {
  const fd = openSync(file, 'wx')
  try {
    writeSync(fd, `${process.pid}\n`)
  } catch (error) {
    try {
      unlinkSync(file)
    } catch {}
    // A write's error names no file: this one is the lock beside the store's folder.
    throw Object.assign(error as NodeJS.ErrnoException, { path: file })
  } finally {
    closeSync(fd)
  }
}

/** Lock files this process holds now (absolute paths). */
const held = new Set<string>()

/** The lock's holder and when it last touched the file; `undefined` when there is none. */
function readLock(file: string): { holder: number; touched: number } | undefined {
  try {
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10)
    return { holder: Number.isSafeInteger(holder) ? holder : 0, touched: statSync(file).mtimeMs }
  } catch {
    return undefined
  }
}
