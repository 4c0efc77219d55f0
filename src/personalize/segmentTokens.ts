import type { Segment } from '../segments'
import { toClassToken } from './toClassToken'

/** Every id a block can match: the segment, its ancestors, the value segment and its ancestors. */
export function segmentTokens(segment: Segment | null): Set<string> {
  const tokens = new Set<string>()
  if (!segment) return tokens
  for (const id of segment.path) tokens.add(toClassToken(id))
  for (const id of segment.valueSegment?.path ?? []) tokens.add(toClassToken(id))
  return tokens
}
