import { describe, expect, it } from 'vitest'
import { SESSION_FEATURE_NAMES } from './featureNames'
import { sessionFeatureGroups } from './sessionFeatureGroups'
import { SESSION_FEATURES } from './sessionFeatures'
import { sessionVector } from './vectors'
import type { SessionAggregate } from './types'

const session = (month: number, hour: number): SessionAggregate => ({
  administrativePages: 0, administrativeSeconds: 0, informationalPages: 0, informationalSeconds: 0, productPages: 3, productSeconds: 60,
  pageViews: 3, productViews: 0, searches: 0, cartReached: false, checkoutReached: false, productsAdded: 0, productsRemoved: 0, cartValue: 0,
  viewedPriceLevel: 0, distinctCategories: 0, scrollDepth: 0, daysSincePreviousSession: 0, hour, month, weekend: false, specialDay: 0,
  returning: false, stats: null,
})

describe('sessionFeatureGroups', () => {
  it('gives the season under the month of the session, standing for the month on the circle and every one-hot month', () => {
    const [season] = sessionFeatureGroups(session(10, 14))
    expect(season).toMatchObject({ name: 'month_nov', raw: 1 })
    expect([...season.members].sort()).toEqual(SESSION_FEATURE_NAMES.filter((name) => name.startsWith('month_')).sort())
    expect(season.members).toHaveLength(14)
    expect(sessionFeatureGroups(session(0, 14))[0].name).toBe('month_jan')
  })

  it.each([[0, 'hour_cos'], [6, 'hour_sin'], [12, 'hour_cos'], [14, 'hour_cos'], [16, 'hour_sin'], [18, 'hour_sin']])(
    'gives the time of day at %i:00 under the larger of its two inputs, %s, with its value in the vector',
    (hour, name) => {
      const a = session(4, hour)
      const time = sessionFeatureGroups(a)[1]
      expect(time.name).toBe(name)
      expect(time.members).toEqual(['hour_sin', 'hour_cos'])
      expect(time.raw).toBe(sessionVector(a)[SESSION_FEATURE_NAMES.indexOf(name)])
      // Never 0, which the panel reads as nothing counted.
      expect(Math.abs(time.raw)).toBeGreaterThan(0.7)
    },
  )

  it('names the special day a session is close to, which the closeness alone cannot say', () => {
    const close = sessionFeatureGroups({ ...session(4, 10), specialDay: 0.8, specialDayName: "Mother's Day" })
    expect(close.at(-1)).toEqual({ name: 'special_day', raw: 0.8, members: ['special_day'], says: "close to Mother's Day" })
    // Without a name (data that gives the closeness alone), or not close to one: the feature's own words.
    expect(sessionFeatureGroups({ ...session(4, 10), specialDay: 0.8 }).map((g) => g.name)).not.toContain('special_day')
    expect(sessionFeatureGroups({ ...session(4, 10), specialDay: 0, specialDayName: "Mother's Day" }).map((g) => g.name)).not.toContain('special_day')
  })

  it('names the six-hour span of every hour of the day, its bounds included', () => {
    const said = Array.from({ length: 24 }, (_, hour) => {
      const time = sessionFeatureGroups(session(4, hour))[1]
      return SESSION_FEATURES.find((f) => f.name === time.name)!.describe(time.raw)
    })
    const span = (from: number, to: number) => said.filter((_, hour) => (from < to ? hour >= from && hour <= to : hour >= from || hour <= to))
    expect(new Set(span(22, 2))).toEqual(new Set(['visiting at night (21:00–3:00)']))
    expect(new Set(span(4, 8))).toEqual(new Set(['visiting in the early morning (3:00–9:00)']))
    expect(new Set(span(10, 14))).toEqual(new Set(['visiting around midday (9:00–15:00)']))
    expect(new Set(span(16, 20))).toEqual(new Set(['visiting in the late afternoon or evening (15:00–21:00)']))
    // A bound hour is said as one of the two spans it bounds.
    expect(['visiting at night (21:00–3:00)', 'visiting in the early morning (3:00–9:00)']).toContain(said[3])
    expect(['visiting in the late afternoon or evening (15:00–21:00)', 'visiting at night (21:00–3:00)']).toContain(said[21])
    expect(['visiting in the early morning (3:00–9:00)', 'visiting around midday (9:00–15:00)']).toContain(said[9])
    expect(['visiting around midday (9:00–15:00)', 'visiting in the late afternoon or evening (15:00–21:00)']).toContain(said[15])
    expect(said).not.toContain('the time of day')
  })

  it('gives the page statistics as one fact in a session without them, whose zeros mean none', () => {
    const none = sessionFeatureGroups(session(4, 10))
    expect(none[2]).toEqual({ name: 'has_stats', raw: 0, members: ['has_stats', 'bounce_rate', 'exit_rate', 'page_value', 'page_value_positive'] })
    for (const name of none[2].members) expect(SESSION_FEATURE_NAMES).toContain(name)
    // With statistics, a 2% exit rate is a fact of its own.
    const stats = sessionFeatureGroups({ ...session(4, 10), stats: { bounceRate: 0.01, exitRate: 0.02, pageValue: 0 } })
    expect(stats.map((group) => group.name)).toEqual(['month_may', 'hour_cos'])
  })

  it('gives the rates no page view carried with the page value, whose words then say what the statistics do', () => {
    const value = sessionFeatureGroups({ ...session(4, 10), stats: { exitRate: 0.02, pageValue: 7.5 } })
    expect(value[2]).toEqual({ name: 'page_value', raw: 7.5, members: ['page_value', 'bounce_rate'] })
    const neither = sessionFeatureGroups({ ...session(4, 10), stats: { pageValue: 0 } })
    expect(neither[2]).toEqual({ name: 'page_value', raw: 0, members: ['page_value', 'bounce_rate', 'exit_rate'] })
    expect(SESSION_FEATURES.find((f) => f.name === 'page_value')!.describe(7.5)).toBe('average page value 7.5')
  })
})
