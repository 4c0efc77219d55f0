import type { Segment } from '../segments'

/**
 * Whether a new segment is worth telling the page about: another segment or value segment, the
 * cold-start flag, intent crossing its threshold, or intent moving by `intentStep` or more.
 */
export function isNotableChange(previous: Segment | null, next: Segment, intentStep: number): boolean {
  if (!previous) return true
  return (
    previous.id !== next.id ||
    previous.coldStart !== next.coldStart ||
    previous.valueSegment?.id !== next.valueSegment?.id ||
    previous.intent >= previous.intentThreshold !== next.intent >= next.intentThreshold ||
    Math.abs(previous.intent - next.intent) >= intentStep ||
    previous.repeatProbability !== undefined !== (next.repeatProbability !== undefined)
  )
}
