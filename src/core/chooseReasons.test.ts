import { describe, expect, it } from 'vitest'
import type { Explanation } from '../segments'
import { chooseReasons } from './chooseReasons'

const line = (feature: string, value: number, delta: number, text = `${feature} ${value}`): Explanation => ({ feature, value, delta, text })

describe('chooseReasons', () => {
  it('leaves out what counts against a segment, keeps features at zero where they rank, and stops once the panel has three lines of what the shopper did', () => {
    const lines = [
      line('product_pages', 5, -5.9),
      line('administrative_seconds', 0, 3.3),
      line('month_dec', 1, 1.1, 'visiting in December'),
      line('month_cos', 0.87, 0.9, 'the time of year'),
      line('month_sin', -0.5, 0.2, 'the time of year'),
      line('page_value', 12, 0.15),
      line('weekend', 1, 0.1),
      line('returning', 1, 0.06),
    ]
    expect(chooseReasons(lines, true).map((l) => l.feature)).toEqual(['administrative_seconds', 'month_dec', 'month_cos', 'month_sin', 'page_value', 'weekend'])
  })

  it('explains the intent by what moved it either way', () => {
    const lines = [line('product_pages', 5, -2), line('total_seconds', 0, 1), line('weekend', 1, 0.5), line('month_dec', 1, -0.2), line('returning', 1, 0.1)]
    expect(chooseReasons(lines, false).map((l) => l.feature)).toEqual(['product_pages', 'total_seconds', 'weekend', 'month_dec'])
  })

  it('gives every line that pulled toward the segment when fewer than three are things the shopper did, and none when nothing did', () => {
    const lines = [line('total_pages', 0, 7), line('month_dec', 1, 0.5), line('returning', 0, -0.3)]
    expect(chooseReasons(lines, true).map((l) => l.feature)).toEqual(['total_pages', 'month_dec'])
    expect(chooseReasons([line('product_pages', 5, -5.9)], true)).toEqual([])
    expect(chooseReasons([], true)).toEqual([])
  })
})
