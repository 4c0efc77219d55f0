import { DEFAULT_SEGMENT_ID, DEFAULT_SEGMENT_NAME } from './constants'
import type { Segment, SegmentOptions } from './types'

/**
 * The cold-start default as the core decides it, before the model part is loaded: the default segment as a
 * top-level segment, with `intent: 0` (not measured yet: the model is not loaded on such pages) and
 * `coldStart: true`.
 *
 * @example
 * personalizer.apply(createColdStartSegment(options.segments, Date.now()))
 */
export function createColdStartSegment(options: SegmentOptions = {}, now: number): Segment {
  const id = options.defaultSegmentId ?? DEFAULT_SEGMENT_ID
  const name = options.defaultSegmentName ?? DEFAULT_SEGMENT_NAME
  return { id, name, path: [id], pathNames: [name], confidence: 0, intent: 0, intentThreshold: 1, coldStart: true, decidedAt: now, reasons: [] }
}
