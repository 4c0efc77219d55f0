import { describe, expect, it } from 'vitest'
import { mulAddMod, OLH_PRIME } from '../mechanisms/olh'
import { addPageMatches, pageCodeHalves } from './addPageMatches'

describe('addPageMatches', () => {
  it('counts the same matches as the hash of olhHash, for codes and multipliers up to the prime', () => {
    let seed = 12345
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0)
    const codes = [0, 8, 7 * 8, (2 ** 28 - 1) * 8, OLH_PRIME - 2, ...Array.from({ length: 300 }, () => (next() >>> 4) * 8)]
    const halves = pageCodeHalves(codes)
    for (const g of [2, 3, 7, 53]) {
      const support = new Array<number>(codes.length * 2).fill(0)
      const both = new Array<number>(codes.length).fill(0)
      const expectSupport = support.slice()
      const expectBoth = both.slice()
      for (let r = 0; r < 400; r++) {
        const a = r === 0 ? OLH_PRIME - 1 : 1 + (next() % (OLH_PRIME - 1))
        const b = r === 0 ? OLH_PRIME - 1 : next() % OLH_PRIME
        const y = next() % g
        addPageMatches(halves, a, b, y, g, support, both)
        codes.forEach((x, k) => {
          const h0 = mulAddMod(a, x, b, OLH_PRIME) % g === y
          const h1 = mulAddMod(a, x + 1, b, OLH_PRIME) % g === y
          if (h0) expectSupport[2 * k]++
          if (h1) expectSupport[2 * k + 1]++
          if (h0 && h1) expectBoth[k]++
        })
      }
      expect(support).toEqual(expectSupport)
      expect(both).toEqual(expectBoth)
    }
  })
})
