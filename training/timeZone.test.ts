// @vitest-environment node
// Training on a shop's own events computes the local-time session features (hour, weekend, month, special
// day) in the shop's time zone, as the shopper's browser does: one feature definition, the same vector.
import { afterEach, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../src/events/types'
import { computeFeatures } from '../src/features/computeFeatures'
import { SESSION_FEATURE_NAMES } from '../src/features/featureNames'
import { sessionVector } from '../src/features/vectors'
import { DataError } from './dataError'
import { eventSessions } from './loadEvents'
import { useTimeZone } from './timeZone'

const savedTz = process.env.TZ
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

// Friday 20:30 in New York is Saturday 01:30 UTC.
const ts = Date.UTC(2025, 10, 15, 1, 30)
const events = [
  { id: 'a', ts, type: 'page_view', url: '/', pageType: 'home' },
  { id: 'b', ts: ts + 60_000, type: 'page_view', url: '/p', pageType: 'product' },
] as StoredEvent[]

describe('useTimeZone', () => {
  it("puts training in the shop's time zone: the same local-time features as its shoppers' browsers", () => {
    process.env.TZ = 'America/New_York' // the browser
    const browser = computeFeatures(events, ts + 120_000).session
    process.env.TZ = 'UTC' // the training machine
    expect(useTimeZone('America/New_York', true)).toBe('America/New_York')
    const training = eventSessions(new Map([['', events]]))[0]!.aggregate
    const pick = (a: typeof browser) => ({ hour: a.hour, weekend: a.weekend, month: a.month, specialDay: a.specialDay })
    expect(pick(training)).toEqual(pick(browser))
    expect(pick(training)).toMatchObject({ hour: 20, weekend: false })
    const at = (name: string) => SESSION_FEATURE_NAMES.indexOf(name as (typeof SESSION_FEATURE_NAMES)[number])
    expect(sessionVector(training)[at('hour_sin')]).toBeCloseTo(sessionVector(browser)[at('hour_sin')], 9)
  })

  it('refuses a name that is not a time zone, and training on events without one', () => {
    expect(() => useTimeZone('Mars/Olympus', true)).toThrow(DataError)
    delete process.env.TZ
    expect(() => useTimeZone(undefined, true)).toThrow(/--time-zone/)
    expect(useTimeZone(undefined, false)).toBeUndefined()
    process.env.TZ = 'Europe/Berlin'
    expect(useTimeZone(undefined, true)).toBe('Europe/Berlin')
  })
})
