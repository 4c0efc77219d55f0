import { openDB } from 'idb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import type { Segment } from '../segments'
import { isExpiredSegment } from '../segments/isExpiredSegment'
import { DAY_MS } from '../lib/time'
import { DEFAULT_RETENTION_DAYS } from '../privacy/retention'
import { createSeglet } from './index'
import type { Seglet, SegletOptions } from './createSeglet'

// A stored segment says what the shopper's events said when a page last decided it. Once no page confirmed it
// for `storage.retentionDays`, the events are gone (the retention pass removed them), and so must it be: its
// intent and funnel facts are of a visit the store no longer keeps.

// A decision loads the model part and runs the networks in jsdom: seconds on a machine busy with other work, so the
// waits for one are generous, and each test has room for two of them.
const DECIDED_WITHIN = { timeout: 15_000 }
vi.setConfig({ testTimeout: 60_000 })

let running: Seglet[] = []
let n = 0
const start = (options: SegletOptions = {}) => {
  const errors: SegletError[] = []
  const shown: Segment[] = []
  const seglet = createSeglet({ consent: 'granted', capture: { autocapture: false }, onError: (e) => errors.push(e), ...options })
  seglet.onSegment((segment) => shown.push(segment))
  running.push(seglet)
  return { seglet, errors, shown }
}

const stop = async (seglet: Seglet) => {
  await seglet.destroy()
  running = running.filter((s) => s !== seglet)
}

const browse = (seglet: Seglet, pages: number) => {
  for (let i = 0; i < pages; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
    seglet.track({ type: 'add_to_cart', productId: `p${i}`, price: 20, currency: 'EUR' })
  }
}

/** A visit that got a segment (not the cold-start default), its stored segment then moved `daysAgo` back. */
async function visitedDaysAgo(dbName: string, daysAgo: number, keepEvents: boolean, retentionDays?: number): Promise<Segment> {
  const first = start({ storage: { dbName, retentionDays } })
  browse(first.seglet, 6)
  await first.seglet.flush()
  await expect.poll(() => first.seglet.getSegment()?.coldStart, DECIDED_WITHIN).toBe(false)
  await stop(first.seglet)
  const db = await openDB(dbName)
  const stored = (await db.get('meta', 'segment')) as Segment
  expect(stored.expiresAt! - stored.decidedAt).toBe((retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS)
  stored.decidedAt -= daysAgo * DAY_MS
  stored.expiresAt! -= daysAgo * DAY_MS
  await db.put('meta', stored, 'segment')
  // What the retention pass of a page in between would have left: no raw event that old.
  if (!keepEvents) await db.clear('events')
  db.close()
  return stored
}

const storedSegment = async (dbName: string) => {
  const db = await openDB(dbName)
  const segment = (await db.get('meta', 'segment')) as Segment | undefined
  db.close()
  return segment
}

const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  document.documentElement.className = ''
  document.documentElement.removeAttribute('data-seglet-segment')
})

describe('a stored segment past retention', () => {
  it('is not shown at the start of the next visit, nor kept once the model part loads', async () => {
    const dbName = `expired-quiet-${++n}`
    const stale = await visitedDaysAgo(dbName, 40, false)
    const { seglet, errors, shown } = start({ storage: { dbName } })
    await settle(600)
    expect(shown).toEqual([])
    expect(seglet.getSegment()).toBeNull()
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect(document.documentElement.classList.contains(`seglet-${stale.id}`)).toBe(false)
    expect(errors).toEqual([])
  })

  it('is deleted by the retention pass of the next write, also where nothing decides', async () => {
    const expiredDb = `expired-pruned-${++n}`
    const freshDb = `fresh-kept-${++n}`
    await visitedDaysAgo(expiredDb, 40, false)
    const fresh = await visitedDaysAgo(freshDb, 5, true)
    for (const dbName of [expiredDb, freshDb]) {
      const { seglet, errors } = start({ storage: { dbName }, model: { enabled: false } })
      seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
      await seglet.flush()
      await settle(100)
      expect(errors).toEqual([])
    }
    expect(await storedSegment(expiredDb)).toBeUndefined()
    expect((await storedSegment(freshDb))?.decidedAt).toBe(fresh.decidedAt)
  })

  it('gives way to the cold-start default on the next page view, as a first visit', async () => {
    const dbName = `expired-browse-${++n}`
    await visitedDaysAgo(dbName, 40, false)
    const { seglet, errors, shown } = start({ storage: { dbName } })
    seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
    await seglet.flush()
    await expect.poll(() => seglet.getSegment()?.coldStart, DECIDED_WITHIN).toBe(true)
    expect(shown.map((segment) => [segment.coldStart, segment.restored])).toEqual([[true, undefined]])
    // The retention pass of that write deleted the expired segment.
    await expect.poll(() => storedSegment(dbName), DECIDED_WITHIN).toBeUndefined()
    expect(errors).toEqual([])
  })

  it('is replaced by the decision of a returning shopper who comes back with enough to decide from', async () => {
    const dbName = `expired-decided-${++n}`
    await visitedDaysAgo(dbName, 40, false)
    const { seglet, errors } = start({ storage: { dbName } })
    browse(seglet, 6)
    await seglet.flush()
    await expect.poll(() => seglet.getSegment()?.coldStart, DECIDED_WITHIN).toBe(false)
    await expect.poll(async () => Date.now() - ((await storedSegment(dbName))?.decidedAt ?? 0), DECIDED_WITHIN).toBeLessThan(60_000)
    expect(errors).toEqual([])
  })

  it.each([
    [DEFAULT_RETENTION_DAYS - 1, true],
    [DEFAULT_RETENTION_DAYS + 1, false],
  ])('without storage.retentionDays, one decided %s days ago is restored: %s (DEFAULT_RETENTION_DAYS)', async (days, restored) => {
    const dbName = `expired-default-${++n}`
    const stored = await visitedDaysAgo(dbName, days, false)
    const { seglet, errors, shown } = start({ storage: { dbName } })
    await settle(800)
    expect(seglet.getSegment()?.id).toBe(restored ? stored.id : undefined)
    // The core shows it at start, before the model part loads, only while it has not expired.
    expect(shown[0]?.restored).toBe(restored ? true : undefined)
    expect(errors).toEqual([])
  })

  it('follows storage.retentionDays: 40 days is within a retention of 60, and the segment is kept', async () => {
    const dbName = `expired-longer-${++n}`
    const kept = await visitedDaysAgo(dbName, 40, true, 60)
    const { seglet, errors } = start({ storage: { dbName, retentionDays: 60 } })
    await expect.poll(() => seglet.getSegment()?.id, DECIDED_WITHIN).toBe(kept.id)
    await settle(600)
    expect(seglet.getSegment()?.id).toBe(kept.id)
    expect(errors).toEqual([])
  })
})

describe('an unchanged stored segment', () => {
  it('is written again when it was last written over a day ago, so its date says when a page last confirmed it', async () => {
    const dbName = `confirmed-${++n}`
    const earlier = await visitedDaysAgo(dbName, 2, true)
    const { seglet, errors } = start({ storage: { dbName } })
    browse(seglet, 1)
    await seglet.flush()
    await expect.poll(async () => Date.now() - (await storedSegment(dbName))!.decidedAt, DECIDED_WITHIN).toBeLessThan(60_000)
    expect((await storedSegment(dbName))!.id).toBe(earlier.id)
    expect(errors).toEqual([])
  })

  it('is written again when it was written under a clock a year ahead, so it expires retentionDays after a page with the right clock confirmed it', async () => {
    const dbName = `ahead-${++n}`
    const ahead = await visitedDaysAgo(dbName, -365, true)
    const { seglet, errors } = start({ storage: { dbName } })
    browse(seglet, 1)
    await seglet.flush()
    await expect.poll(() => seglet.getSegment()?.restored, DECIDED_WITHIN).toBeUndefined()
    // Within the last minute, not a year from now.
    await expect.poll(async () => Math.abs(Date.now() - (await storedSegment(dbName))!.decidedAt), DECIDED_WITHIN).toBeLessThan(60_000)
    const stored = (await storedSegment(dbName))!
    expect(stored.id).toBe(ahead.id)
    expect(stored.expiresAt! - stored.decidedAt).toBe(DEFAULT_RETENTION_DAYS * DAY_MS)
    expect(errors).toEqual([])
  })

  it('is not written again within a day of its last write', async () => {
    const dbName = `recent-${++n}`
    const earlier = await visitedDaysAgo(dbName, 0.5, true)
    const { seglet, errors } = start({ storage: { dbName } })
    browse(seglet, 1)
    await seglet.flush()
    await expect.poll(() => seglet.getSegment()?.restored, DECIDED_WITHIN).toBeUndefined()
    await settle()
    expect((await storedSegment(dbName))!.decidedAt).toBe(earlier.decidedAt)
    expect(errors).toEqual([])
  })
})

describe('a segment stored by an earlier release, without expiresAt', () => {
  it('is written again with its expiry by the first decision, so the next page restores it at its start', async () => {
    const dbName = `legacy-${++n}`
    // As releases before `expiresAt` stored it: an hour old, unchanged since (they wrote a segment only when it changed).
    const legacy = await visitedDaysAgo(dbName, 1 / 24, true)
    const db = await openDB(dbName)
    delete legacy.expiresAt
    await db.put('meta', legacy, 'segment')
    db.close()
    const upgraded = start({ storage: { dbName } })
    browse(upgraded.seglet, 1)
    await upgraded.seglet.flush()
    await expect.poll(async () => (await storedSegment(dbName))?.expiresAt, DECIDED_WITHIN).toBeGreaterThan(Date.now())
    expect((await storedSegment(dbName))!.id).toBe(legacy.id)
    await stop(upgraded.seglet)
    const next = start({ storage: { dbName } })
    await settle(800)
    expect(next.shown[0]).toMatchObject({ id: legacy.id, restored: true })
    expect([...upgraded.errors, ...next.errors]).toEqual([])
  })
})

describe('isExpiredSegment', () => {
  const now = Date.UTC(2026, 11, 6)
  it.each([
    [29.9, 30, false],
    [30, 30, true],
    [31, 30, true],
    [31, 60, false],
    [-2, 30, false], // decided under a clock that was ahead: not expired by that
  ])('a segment decided %s days ago, retention %s days: expired %s', (days, retention, expired) => {
    expect(isExpiredSegment({ decidedAt: now - days * DAY_MS }, retention, now)).toBe(expired)
  })

  it('counts no segment, or one without a numeric date, as expired', () => {
    expect(isExpiredSegment(undefined, 30, now)).toBe(true)
    expect(isExpiredSegment({}, 30, now)).toBe(true)
    expect(isExpiredSegment({ decidedAt: 'yesterday' }, 30, now)).toBe(true)
  })
})
