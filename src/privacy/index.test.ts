import { describe, expect, it } from 'vitest'
import { OptionsError } from '../errors/index'
import {
  applyRetention,
  DAY_MS,
  DEFAULT_MAX_EVENTS,
  DEFAULT_PURCHASE_RETENTION_DAYS,
  DEFAULT_RETENTION_DAYS,
  isPersistAllowed,
  MAX_CLOCK_SKEW_MS,
  parseConsent,
  resolveConsent,
  type Consent,
  type ConsentOptions,
  type PrivacySignalSource,
} from './index'

const none: PrivacySignalSource = {}
const gpc: PrivacySignalSource = { globalPrivacyControl: true }

describe('resolveConsent', () => {
  it.each<[string, ConsentOptions | undefined, PrivacySignalSource | undefined, Consent]>([
    ['defaults to pending', undefined, none, 'pending'],
    ['defaults to pending without navigator', {}, undefined, 'pending'],
    ['keeps granted', { consent: 'granted' }, none, 'granted'],
    ['keeps denied', { consent: 'denied' }, none, 'denied'],
    ['GPC denies granted', { consent: 'granted' }, gpc, 'denied'],
    ['GPC denies pending', {}, gpc, 'denied'],
    ['GPC only counts when strictly true', { consent: 'granted' }, { globalPrivacyControl: 'true' }, 'granted'],
    ['GPC false is no signal', { consent: 'granted' }, { globalPrivacyControl: false }, 'granted'],
    ['shop opts out of GPC', { consent: 'granted', respectGlobalPrivacyControl: false }, gpc, 'granted'],
    ['opting out of GPC does not override denied', { consent: 'denied', respectGlobalPrivacyControl: false }, gpc, 'denied'],
  ])('%s', (_, options, nav, expected) => {
    expect(resolveConsent(options, nav)).toBe(expected)
  })

  it('reads the global navigator at call time', () => {
    const nav = navigator as Navigator & { globalPrivacyControl?: boolean }
    expect(resolveConsent({ consent: 'granted' })).toBe('granted')
    Object.defineProperty(nav, 'globalPrivacyControl', { value: true, configurable: true })
    try {
      expect(resolveConsent({ consent: 'granted' })).toBe('denied')
    } finally {
      delete (nav as { globalPrivacyControl?: boolean }).globalPrivacyControl
    }
  })
})

describe('isPersistAllowed', () => {
  it.each<[Consent, boolean]>([
    ['granted', true],
    ['pending', false],
    ['denied', false],
  ])('%s -> %s', (consent, expected) => {
    expect(isPersistAllowed(consent)).toBe(expected)
  })

  it('throws OptionsError for an unknown value', () => {
    expect(() => isPersistAllowed('maybe' as Consent)).toThrow(OptionsError)
  })
})

describe('parseConsent', () => {
  it('names the field and the allowed values', () => {
    expect(() => parseConsent('yes', 'data-consent')).toThrow(/data-consent must be one of 'granted', 'denied', 'pending'; got "yes"/)
  })

  it.each([
    [1, 'got 1'],
    [null, 'got null'],
    [{ consent: 'granted' }, 'got an object'],
    [undefined, 'got undefined'],
  ])('refuses %j, described as the other options describe values', (value, shown) => {
    expect(() => parseConsent(value)).toThrow(OptionsError)
    expect(() => parseConsent(value)).toThrow(`consent must be one of 'granted', 'denied', 'pending'; ${shown}`)
  })

  it.each(['granted', 'denied', 'pending'])('returns %s', (value) => {
    expect(parseConsent(value)).toBe(value)
  })
})

describe('applyRetention', () => {
  const now = Date.UTC(2024, 5, 1)
  const policy = { retentionDays: 30, purchaseRetentionDays: 730, maxEvents: 3 }
  const at = (days: number, type = 'page_view', id = `${type}-${days}`) => ({ id, type, ts: now - days * DAY_MS })

  it('has documented defaults', () => {
    expect([DEFAULT_RETENTION_DAYS, DEFAULT_PURCHASE_RETENTION_DAYS, DEFAULT_MAX_EVENTS]).toEqual([30, 730, 5000])
  })

  it.each<[string, { type: string; ts: number; id: string }, boolean]>([
    ['raw event of today', at(0), true],
    ['raw event exactly at the cutoff', at(30), true],
    ['raw event one ms past the cutoff', { ...at(30), ts: now - 30 * DAY_MS - 1 }, false],
    ['raw event of 31 days', at(31), false],
    ['purchase of 31 days', at(31, 'purchase'), true],
    ['refund of 700 days', at(700, 'refund'), true],
    ['purchase of 731 days', at(731, 'purchase'), false],
    ['refund of 731 days', at(731, 'refund'), false],
    ['raw event MAX_CLOCK_SKEW_MS ahead', { ...at(0), ts: now + MAX_CLOCK_SKEW_MS }, true],
    ['raw event one ms further ahead', { ...at(0), ts: now + MAX_CLOCK_SKEW_MS + 1 }, false],
    ['purchase stamped a year ahead', at(-365, 'purchase'), false],
  ])('%s kept: %s', (_, event, kept) => {
    expect(applyRetention([event], policy, now)).toEqual(kept ? [event] : [])
  })

  it('caps raw events, dropping the oldest, never purchases, keeping input order', () => {
    const events = [at(1), at(5), at(3), at(40, 'purchase'), at(2), at(4)]
    expect(applyRetention(events, policy, now).map((e) => e.id)).toEqual([
      'page_view-1', 'page_view-3', 'purchase-40', 'page_view-2',
    ])
  })

  it('does not let events stamped in the future push real ones out of the cap', () => {
    const events = [at(-1000), at(-2000), at(-3000), at(3), at(2), at(1)]
    expect(applyRetention(events, policy, now).map((e) => e.id)).toEqual(['page_view-3', 'page_view-2', 'page_view-1'])
  })

  it('counts only unexpired raw events against the cap', () => {
    const events = [at(50), at(45), at(1), at(2)]
    expect(applyRetention(events, policy, now).map((e) => e.id)).toEqual(['page_view-1', 'page_view-2'])
  })

  it('of raw events stamped alike at the cap, drops the first given', () => {
    const events = [at(2, 'page_view', 'a'), at(1), at(2, 'search', 'b'), at(3, 'purchase'), at(2, 'page_view', 'c'), at(0)]
    expect(applyRetention(events, policy, now).map((e) => e.id)).toEqual(['page_view-1', 'purchase-3', 'c', 'page_view-0'])
  })

  it('keeps what dropping the oldest raw events over the cap, in time and then input order, keeps', () => {
    // 200 random stores: times on few distinct days (many ties), expired and future events, purchases, any cap.
    let seed = 7
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    const types = ['page_view', 'search', 'purchase', 'refund', 'engagement']
    for (let run = 0; run < 200; run++) {
      const events = Array.from({ length: Math.floor(random() * 40) }, (_, i) => ({
        id: `e${i}`,
        type: types[Math.floor(random() * types.length)],
        ts: now - (Math.floor(random() * 12) - 2) * 4 * DAY_MS,
      }))
      const capped = { ...policy, maxEvents: Math.floor(random() * 30) }
      const unexpired = events.filter((e) => applyRetention([e], { ...capped, maxEvents: Infinity }, now).length === 1)
      const raw = unexpired.filter((e) => e.type !== 'purchase' && e.type !== 'refund')
      const oldest = raw.map((e, i) => [e, i] as const).sort(([a, i], [b, j]) => a.ts - b.ts || i - j)
      const dropped = new Set(oldest.slice(0, Math.max(0, raw.length - capped.maxEvents)).map(([e]) => e))
      expect(applyRetention(events, capped, now)).toEqual(unexpired.filter((e) => !dropped.has(e)))
    }
  })
})
