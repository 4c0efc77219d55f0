// Test fixture (imported by tests only; never part of a build): a decided segment for personalizer tests.
import type { Segment } from '../../segments'

/**
 * A decided, high-intent `Segment` ("High-intent browser" under "Engaged"), with `overrides` applied.
 *
 * @example
 * makeSegment({ intent: 0.2, restored: true })
 */
export function makeSegment(overrides: Partial<Segment> = {}): Segment {
  return {
    id: 'high-intent-browser',
    name: 'High-intent browser',
    path: ['engaged', 'high-intent-browser'],
    pathNames: ['Engaged', 'High-intent browser'],
    confidence: 0.7,
    intent: 0.8,
    intentThreshold: 0.5,
    coldStart: false,
    decidedAt: 1,
    reasons: [],
    ...overrides,
  }
}
