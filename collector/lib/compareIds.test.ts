// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { compareIds } from './compareIds'

describe('compareIds', () => {
  it.each([
    ['session@1.0.10+lifetime@1.0.0', 'session@1.0.9+lifetime@1.0.0'],
    ['session@2.0.0+lifetime@1.0.0', 'session@1.99.99+lifetime@1.0.0'],
    ['session@1.0.0+lifetime@1.0.10', 'session@1.0.0+lifetime@1.0.9'],
    // A retrain after the pack it retrains, a later retrain after an earlier one.
    ['session@1.0.0+r20261129+lifetime@1.0.0', 'session@1.0.0+lifetime@1.0.0'],
    ['session@1.0.0+r20261130+lifetime@1.0.0', 'session@1.0.0+r20261129+lifetime@1.0.0'],
    ['session@1.0.10+lifetime@1.0.0', 'session@1.0.9+r20261129+lifetime@1.0.0'],
    // A pre-release before its release and the release's retrains, its dot parts as numbers (as semver orders them).
    ['session@1.0.0+lifetime@1.0.0', 'session@1.0.0-acme.3+lifetime@1.0.0'],
    ['session@1.0.0', 'session@1.0.0-acme.3'],
    ['session@1.0.0+r20261129+lifetime@1.0.0', 'session@1.0.0-acme.3+lifetime@1.0.0'],
    ['session@1.0.0-acme.3+r20261129+lifetime@1.0.0', 'session@1.0.0-acme.3+lifetime@1.0.0'],
    ['session@1.0.0-acme.10+lifetime@1.0.0', 'session@1.0.0-acme.9+lifetime@1.0.0'],
    ['session@1.0.0-acme.1+lifetime@1.0.0', 'session@1.0.0-acme+lifetime@1.0.0'],
    ['session@1.0.0-beta+lifetime@1.0.0', 'session@1.0.0-alpha.2+lifetime@1.0.0'],
    ['session@1.0.1-acme.1+lifetime@1.0.0', 'session@1.0.0+r20261129+lifetime@1.0.0'],
    ['session@1.0.0+lifetime@1.0.0', 'session@1.0.0+lifetime@1.0.0-rc.1'],
    // Numbers of any length; leading zeros compare as text once the numbers are equal.
    ['a99999999999999999999999', 'a99999999999999999999998'],
    ['a1', 'a01'],
    ['a1.0.1', 'a1.0'],
    ['b', 'a9'],
  ])('%s after %s', (greater, smaller) => {
    expect(compareIds(greater, smaller)).toBeGreaterThan(0)
    expect(compareIds(smaller, greater)).toBeLessThan(0)
    expect(compareIds(greater, greater)).toBe(0)
  })

  it('sorts the same whatever order the ids come in', () => {
    const ids = ['x@1.0.9', 'x@1.0.10', 'x@1.0.10+r20261129', 'x@01.0.9', 'x@1.0', 'x@1.0.0-acme.3', 'y', 'x@1.0.2']
    const sorted = [...ids].sort(compareIds)
    expect([...ids].reverse().sort(compareIds)).toEqual(sorted)
    expect(sorted).toEqual(['x@1.0', 'x@1.0.0-acme.3', 'x@1.0.2', 'x@01.0.9', 'x@1.0.9', 'x@1.0.10', 'x@1.0.10+r20261129', 'y'])
  })
})
