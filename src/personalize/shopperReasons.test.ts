import { describe, expect, it } from 'vitest'
import type { Explanation } from '../segments'
import { describeFeature } from '../segments/describeFeature'
import { shopperReasons } from './shopperReasons'

const line = (feature: string, value: number, delta = 1): Explanation => ({ feature, value, delta, text: describeFeature(feature, value) })

describe('shopperReasons', () => {
  it.each([
    // What the shopper did, either way for a weekday and a first visit.
    [line('product_pages', 8), '8 shopping pages viewed'],
    [line('weekend', 1), 'visiting at the weekend'],
    [line('weekend', 0), 'visiting on a weekday'],
    [line('returning', 1), 'returning visitor'],
    [line('returning', 0), 'first visit'],
    [line('month_nov', 1), 'visiting in November'],
    // Nothing counted, nothing reached: absences are no reason.
    [line('administrative_seconds', 0), null],
    [line('special_day', 0), null],
    [line('checkout_reached', 0), null],
    [line('month_nov', 0), null],
    [line('product_pages', Number.NaN), null],
    // The shop's own page statistics are not what the shopper did.
    [line('page_value', 12.5), null],
    [line('has_stats', 0), null],
    [line('exit_rate', 0.02), null],
  ])('%o → %s', (reason, shown) => {
    expect(shopperReasons([reason])).toEqual(shown === null ? [] : [shown])
  })

  it('gives each wording once, at most `max`', () => {
    const lines = [line('weekend', 0), line('returning', 0), line('weekend', 0), line('product_pages', 3), line('product_seconds', 60), line('total_pages', 3)]
    expect(shopperReasons(lines)).toEqual(['visiting on a weekday', 'first visit', '3 shopping pages viewed', '1 min on shopping pages'])
    expect(shopperReasons(lines, 2)).toEqual(['visiting on a weekday', 'first visit'])
  })
})
