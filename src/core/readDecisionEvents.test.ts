import { afterEach, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../scripts/mulberry32.mjs'
import { OptionsError } from '../errors'
import type { StoredEvent } from '../events/types'
import { computeFeatures } from '../features'
import { createStore, type EventStore } from '../store'
import { DECISION_WINDOW_MS, readDecisionEvents } from './readDecisionEvents'

const MIN = 60_000
const DAY = 24 * 60 * MIN
let n = 0
const stores: EventStore[] = []

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
})

const open = async (events: StoredEvent[]): Promise<EventStore> => {
  const store = createStore({ dbName: `decision-events-${++n}`, persist: true })
  stores.push(store)
  for (const event of events) store.enqueue(event)
  await store.flush()
  return store
}

let id = 0
const at = (ts: number, type: 'page_view' | 'search' | 'purchase' | 'refund' = 'page_view'): StoredEvent => {
  const base = { id: `e${++id}`, ts }
  if (type === 'purchase') return { ...base, type, orderId: `o${id}`, value: 20, currency: 'EUR', items: [{ productId: `p${id % 7}`, quantity: 1, price: 20 }] } as StoredEvent
  if (type === 'refund') return { ...base, type, orderId: `o${id - 1}`, value: 5, currency: 'EUR' } as StoredEvent
  if (type === 'search') return { ...base, type, query: 'socks' } as StoredEvent
  return { ...base, type, url: `/products/p${id % 9}`, pageType: 'product' } as StoredEvent
}

/** A shopper's history: sessions on random days over two months, some with orders, some long. */
function history(seed: number, now: number): StoredEvent[] {
  const random = mulberry32(seed)
  const events: StoredEvent[] = []
  const sessions = 1 + Math.floor(random() * 25)
  // Shoppers differ: how often they buy, and how many of their visits were today.
  const buys = random() * 0.5
  const today = random() * 0.5
  for (let s = 0; s < sessions; s++) {
    // Most sessions are days old; some are today, a few are going on right now (and some last for hours).
    const r = random()
    let t = r < 1 - today - 0.15 ? now - random() * 60 * DAY : r < 0.85 ? now - random() * 10 * 3_600_000 : now - random() * 20 * MIN
    const pages = 1 + Math.floor(random() * (random() < 0.1 ? 200 : 12))
    for (let p = 0; p < pages; p++) {
      events.push(at(t, random() < 0.2 ? 'search' : 'page_view'))
      t += random() * (random() < 0.05 ? 40 : 4) * MIN
    }
    if (random() < buys) events.push(at(t, 'purchase'))
    if (random() < 0.05) events.push(at(t + MIN, 'refund'))
  }
  // A clock that jumped: an event stamped in the future.
  if (random() < 0.1) events.push(at(now + 3 * MIN))
  return events
}

describe('readDecisionEvents', () => {
  it('gives the same features as reading every stored event, over 80 random histories', async () => {
    const now = Date.now()
    let smaller = 0
    for (let seed = 1; seed <= 80; seed++) {
      const store = await open(history(seed, now))
      const all = await store.getEvents()
      const read = await readDecisionEvents(store, now)
      expect(computeFeatures(read, now), `seed ${seed}`).toEqual(computeFeatures(all, now))
      if (read.length < all.length) smaller++
    }
    // Most histories are answered without reading everything.
    expect(smaller).toBeGreaterThan(30)
  })

  it('reads through the indexes: recent events, every order and refund, the latest older event', async () => {
    const now = Date.now()
    const old = [at(now - 40 * DAY, 'purchase'), at(now - 20 * DAY), at(now - 3 * DAY), at(now - 2 * DAY, 'refund'), at(now - 2 * DAY + MIN)]
    const today = [at(now - 10 * MIN), at(now - 5 * MIN, 'search')]
    const store = await open([...old, ...today])
    const read = await readDecisionEvents(store, now)
    expect(read.map((e) => e.id)).toEqual([old[0], old[3], old[4], ...today].map((e) => e.id))
  })

  it('reads everything when the current session began before the window', async () => {
    const now = Date.now()
    const events: StoredEvent[] = [at(now - 9 * DAY)]
    // One page every 20 minutes for eight hours: a single session that began before the six-hour window.
    for (let t = now - 8 * 3_600_000; t <= now; t += 20 * MIN) events.push(at(t))
    const store = await open(events)
    expect(DECISION_WINDOW_MS).toBeLessThan(8 * 3_600_000)
    const read = await readDecisionEvents(store, now)
    expect(read).toHaveLength(events.length)
    expect(computeFeatures(read, now)).toEqual(computeFeatures(await store.getEvents(), now))
  })

  it('reads everything when an event just before the window belongs to the current session', async () => {
    const now = Date.now()
    const since = now - DECISION_WINDOW_MS
    // 10 minutes before the window, then 10 minutes into it: one session, which the window alone would cut.
    const events = [at(now - 5 * DAY), at(since - 10 * MIN), at(since + 10 * MIN), at(since + 35 * MIN)]
    for (let t = since + 60 * MIN; t <= now; t += 25 * MIN) events.push(at(t))
    const store = await open(events)
    const read = await readDecisionEvents(store, now)
    expect(read).toHaveLength(events.length)
    expect(computeFeatures(read, now).session).toEqual(computeFeatures(await store.getEvents(), now).session)
  })

  it('reads everything when nothing happened in the window', async () => {
    const now = Date.now()
    const events = [at(now - 3 * DAY), at(now - 3 * DAY + MIN), at(now - DAY)]
    const store = await open(events)
    expect((await readDecisionEvents(store, now)).map((e) => e.id)).toEqual(events.map((e) => e.id))
  })

  it('includes events not written yet', async () => {
    const now = Date.now()
    const store = await open([at(now - 5 * DAY)])
    const unsaved = at(now - MIN)
    store.enqueue(unsaved)
    expect((await readDecisionEvents(store, now)).map((e) => e.id)).toContain(unsaved.id)
  })

  it('refuses a since that is not a time', async () => {
    const store = await open([])
    await expect(store.getFeatureEvents(Number.NaN)).rejects.toThrow(OptionsError)
    await expect(store.getFeatureEvents('yesterday' as never)).rejects.toThrow(OptionsError)
  })
})
