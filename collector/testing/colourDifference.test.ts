// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ciede2000, colourDifference, labOf } from './colourDifference'

describe('colourDifference', () => {
  // Pairs 1, 7, 13, 17 and 25 of Sharma, Wu and Dalal's CIEDE2000 test data.
  it.each([
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.49, -0.001], [50, -2.49, 0.0011], 7.2195],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
  ])('gives CIEDE2000 of %j and %j as %f', (x, y, expected) => {
    expect(ciede2000(x, y)).toBeCloseTo(expected, 3)
  })

  it('puts white and black at the ends of CIELAB lightness', () => {
    for (const [v, expected] of labOf([255, 255, 255]).map((v, i) => [v, [100, 0, 0][i]!])) expect(v).toBeCloseTo(expected!, 1)
    expect(labOf([0, 0, 0])[0]).toBeCloseTo(0, 6)
  })

  it('tells red from green with normal vision, and hardly without green or red cones', () => {
    const red = [200, 60, 40]
    const green = [90, 130, 30]
    expect(colourDifference(red, green, 'normal')).toBeGreaterThan(40)
    expect(colourDifference(red, green, 'deuteranopia')).toBeLessThan(15)
    expect(colourDifference(red, green, 'protanopia')).toBeLessThan(20)
  })
})
