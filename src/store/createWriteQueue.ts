import { SegletError } from '../errors/index'
import type { StoredEvent } from '../events/types'
import { applyRetention } from '../privacy/applyRetention'
import { DAY_MS } from '../privacy/retention'
import { EVENT_BURST_SECONDS, MAX_EVENTS_PER_WRITE } from './constants'
import type { Connection, Database } from './createConnection'
import { addHideListeners } from '../lib/addHideListeners'
import { hasPage } from '../lib/hasPage'
import { createRateLimiter } from './lib/createRateLimiter'
import type { ResolvedStoreOptions } from './lib/parseStoreOptions'
import { putEvents } from './lib/putEvents'
import { pruneStored, type PruneSource } from './lib/pruneStored'
import { whenIdle } from './lib/whenIdle'

/** The write side of the store. Created by {@link createWriteQueue}. */
export interface WriteQueue {
  enqueue(event: StoredEvent): void
  /** Writes everything queued (in slices of `MAX_EVENTS_PER_WRITE`), or keeps it in memory. Never rejects. */
  flush(): Promise<void>
  /** Events not (yet) in IndexedDB, as sources for `mergeEvents`, oldest first. */
  unsaved(): Iterable<StoredEvent>[]
  /** Persistence turned on: this page's in-memory events are written with the next flush. */
  persistMemory(): void
  /** Persistence turned off: what is being written stays with the page, in memory. */
  keepInflight(): void
  /** Forgets every unsaved event. */
  clear(): void
  onFlush(callback: (events: StoredEvent[]) => void): () => void
  beforeWrite(callback: (leaving: boolean) => void): () => void
  /** Flushes, removes the page listeners and closes the connection; later events stay in memory. */
  close(): Promise<void>
}


/**
 * Queues events and writes them in batches (retention as `options` say): on idle (at most `flushDelayMs` after the first enqueue), at
 * once when the page is hidden or left, and in memory while the connection's state is not `open`.
 * Never loses an event it accepted: a failed write keeps its batch in memory for the page. Accepts
 * `maxEventsPerSecond` new events (after a burst of `EVENT_BURST_SECONDS` times as many); the rest are
 * dropped and reported once.
 */
export function createWriteQueue(
  connection: Connection,
  options: ResolvedStoreOptions,
  report: (error: SegletError) => void,
  pruneSource: PruneSource,
): WriteQueue {
  const { flushDelayMs, maxEventsPerSecond } = options
  /** Enqueued, not yet handed to a transaction. */
  const queued = new Map<string, StoredEvent>()
  /** Handed to a transaction that has not committed yet (or waiting for the database to open). */
  const inflight = new Map<string, StoredEvent>()
  /** Kept for this page only: persistence off, or IndexedDB failed. */
  const memory = new Map<string, StoredEvent>()
  const pendingWrites = new Set<Promise<unknown>>()
  const flushListeners = new Set<(events: StoredEvent[]) => void>()
  const writeListeners = new Set<(leaving: boolean) => void>()
  const allow = createRateLimiter(maxEventsPerSecond * EVENT_BURST_SECONDS, maxEventsPerSecond)
  let dropped = 0
  let cancelScheduledFlush: (() => void) | undefined
  const isClosed = () => connection.state === 'closed'

  /** Adds a wrapper of `callback` (the same function may subscribe twice); returns its removal. */
  const subscribe = <A>(listeners: Set<(arg: A) => void>, callback: (arg: A) => void) => {
    const listener = (arg: A) => callback(arg)
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }

  const callAll = <A>(listeners: Set<(arg: A) => void>, arg: A, name: string) => {
    for (const listener of [...listeners]) {
      try {
        listener(arg)
      } catch (error) {
        report(new SegletError('hook_failed', `${name} callback threw`, { cause: error }))
      }
    }
  }
  const notify = (events: StoredEvent[]) => callAll(flushListeners, events, 'onFlush')

  /** Takes `batch` out of flight; returns what of it was still in flight (not dropped by `clear()`, `forget()`). */
  const settle = (batch: readonly StoredEvent[]) => batch.filter((event) => inflight.get(event.id) === event && inflight.delete(event.id))

  /**
   * Keeps what of `batch` is still in flight (or, at close, still queued) in memory: not what `clear()`
   * (`forget()`) dropped meanwhile, nor an older copy of a record that a later write or enqueue carries.
   */
  const keepInMemory = (batch: StoredEvent[]) => {
    batch = batch.filter((event) => (inflight.get(event.id) ?? queued.get(event.id)) === event)
    for (const event of batch) memory.set(event.id, event)
    settle(batch)
    // The same retention as on disk, so a long page in memory mode stays bounded.
    const kept = applyRetention([...memory.values()], options, Date.now())
    if (kept.length !== memory.size) {
      memory.clear()
      for (const event of kept) memory.set(event.id, event)
    }
    notify(batch)
  }

  // Every write of this page, and the oldest event among them: on a database this page created (a first
  // visit), retention cannot remove anything while there are at most `maxEvents` writes and none older than
  // the shorter retention, so those writes skip the pruning pass. Another tab writing meanwhile prunes on its
  // own flushes, and reads apply retention anyway.
  let writes = 0
  let oldest = Infinity
  /** The retention pass's code did not load (the script tag's seglet-prune.min.js, `model_failed`): reported once. */
  let pruneMissing = false
  const onPruneMissing = (error: unknown) => pruneMissing || ((pruneMissing = true), report(error as SegletError))

  const writeTo = (db: Database, batch: StoredEvent[], prune: boolean): Promise<void> => {
    let done: Promise<void>
    try {
      const now = Date.now()
      writes += batch.length
      for (const event of batch) if (event.ts < oldest) oldest = event.ts
      prune &&= !connection.created || writes > options.maxEvents || oldest < now - Math.min(options.retentionDays, options.purchaseRetentionDays) * DAY_MS
      done = putEvents(db, batch)
      if (prune) done = done.then(() => pruneStored(db, pruneSource, options, now, onPruneMissing))
    } catch (error) {
      done = Promise.reject(error)
    }
    return done.then(
      () => {
        // What forget() dropped meanwhile is deleted with the database: no listener may see it.
        notify(settle(batch))
      },
      (error: unknown) => {
        // Never lose an event: the batch stays in memory for the page.
        connection.fail(error, 'storage_failed', 'Writing events to IndexedDB failed')
        keepInMemory(batch)
      },
    )
  }

  /** Resolves once every write begun so far has ended (only awaited: its value is of no use). */
  const settled = () => Promise.all(pendingWrites)

  /** Queues `events` again, unless a newer copy of the record is queued. */
  const requeue = (events: Iterable<StoredEvent>) => {
    for (const event of events) if (!queued.has(event.id)) queued.set(event.id, event)
  }

  /** Hands one slice of what is queued to a transaction — synchronously when the database is open. */
  const writeSlice = (prune: boolean): Promise<unknown> => {
    const leaving = hiding || isHidden()
    // Producers first (the page's visible time so far), so what they add is in this write: the flush their
    // enqueue schedules is cancelled below. A hidden page's writes (each enqueue is written in a microtask)
    // call no producer, so one that always enqueues cannot loop; the hide-time write called them already.
    if (queued.size && !leaving) callAll(writeListeners, false, 'beforeWrite')
    cancelScheduledFlush?.()
    cancelScheduledFlush = undefined
    if (!queued.size) return settled()
    // A long queue goes in slices, a task each, so no write keeps the page busy; the page that is going
    // away may get no other task, so everything goes at once then.
    const batch: StoredEvent[] = []
    for (const [id, event] of queued) {
      if (!leaving && batch.length === MAX_EVENTS_PER_WRITE) break
      batch[batch.length] = event
      queued.delete(id)
      inflight.set(id, event)
    }
    // Retention once, after the last slice.
    prune &&= !queued.size
    const { db, state } = connection
    const write =
      db && state === 'open'
        ? writeTo(db, batch, prune)
        : state === 'opening'
          ? connection.open().then((conn) =>
              conn && connection.state === 'open'
                ? writeTo(conn, batch, prune)
                : // Deleted while it opened (consent withdrawn and granted again): that connection is
                  // closed; what is still in flight is written on a new one, by the next flush. A hidden page schedules
                  // none: it would find the page hidden again, and a background tab would wake every flushDelayMs for
                  // nothing; the page shown again schedules it. A page being left while still visible does (it runs
                  // after the hide task).
                  connection.state === 'opening'
                  ? (requeue(settle(batch)), isHidden() || scheduleFlush())
                  : keepInMemory(batch),
            )
          : Promise.resolve(keepInMemory(batch))
    pendingWrites.add(write)
    void write.then(() => pendingWrites.delete(write))
    if (queued.size) scheduleFlush()
    return settled()
  }

  const flush = async (): Promise<void> => {
    // Until nothing is queued or being written: an idle slice may have taken the last events (and their
    // retention pass) while this waited for an earlier one.
    do await writeSlice(true)
    while (queued.size || pendingWrites.size)
  }

  const scheduleFlush = () => {
    if (cancelScheduledFlush || isClosed()) return
    cancelScheduledFlush = whenIdle(() => {
      cancelScheduledFlush = undefined
      void writeSlice(true)
    }, flushDelayMs)
  }

  // Set while the page is being hidden or left: events enqueued then (the capture's last engagement event,
  // whose handler may run after ours) are written at once, in a microtask, not on an idle callback that
  // may never come. No pruning then: the page may be going away, and the writes must commit first.
  let hiding = false
  let leavingFlush = false
  const onHide = () => {
    // Every other pagehide / visibilitychange handler runs in this same task; the flag ends with it.
    if (!hiding) setTimeout(() => (hiding = false))
    hiding = true
    callAll(writeListeners, true, 'beforeWrite')
    void writeSlice(false)
  }
  /** The page is hidden; `hiding || isHidden()`: hidden, or being hidden or left in this task. */
  const isHidden = () => hasPage() && document.visibilityState === 'hidden'
  // From the start, not from the first enqueue: the hide-time beforeWrite(true) call is what asks the capture for
  // its last engagement, and a page view still waiting for the bridges' code, on a page with nothing queued yet.
  // Shown again: what a hidden page could not write (to a database it deleted) is written, also with no new event.
  // So is what is still being written, and flushes no longer wait for those writes: Firefox commits a transaction
  // begun as the page goes into the back/forward cache but never tells the restored page that it ended, which left
  // every later flush() waiting and reads taking that write's copy of a record over the newer one stored. Writing it
  // again (`put`, by id, after the first write on the same store) duplicates nothing.
  const removeHideListeners = addHideListeners(onHide, () => {
    pendingWrites.clear()
    requeue(inflight.values())
    scheduleFlush()
  })

  return {
    enqueue(event) {
      // Checked before (createStore(), or the capture that stamped it): see withArgumentChecks().
      if (isClosed()) {
        memory.set(event.id, event)
        return
      }
      // Replacing a queued record costs no work; a new one is counted against the page's volume limit.
      if (!queued.has(event.id) && !allow()) {
        if (!dropped++) {
          report(new SegletError('events_dropped', `Over ${maxEventsPerSecond}/s: more events are dropped`))
        }
        return
      }
      queued.set(event.id, event)
      // Open early (off the caller's stack), so a `pagehide` soon after can still write synchronously.
      if (connection.state === 'opening') queueMicrotask(connection.open)
      if (hiding || isHidden()) {
        if (!leavingFlush) {
          leavingFlush = true
          queueMicrotask(() => {
            leavingFlush = false
            void writeSlice(false)
          })
        }
        return
      }
      scheduleFlush()
    },

    flush,

    unsaved: () => [memory.values(), inflight.values(), queued.values()],

    persistMemory() {
      requeue(memory.values())
      memory.clear()
    },

    keepInflight() {
      for (const [id, event] of inflight) memory.set(id, event)
    },

    clear() {
      cancelScheduledFlush?.()
      cancelScheduledFlush = undefined
      queued.clear()
      memory.clear()
      // Writes in flight are deleted with the database.
      inflight.clear()
    },

    onFlush: (callback) => subscribe(flushListeners, callback),

    beforeWrite: (callback) => subscribe(writeListeners, callback),

    async close() {
      if (isClosed()) return
      removeHideListeners()
      await flush()
      await connection.close()
      cancelScheduledFlush?.()
      cancelScheduledFlush = undefined
      // Enqueued while the last flush ran: kept for the page like anything enqueued from now on.
      keepInMemory([...queued.values()])
      queued.clear()
    },
  }
}
