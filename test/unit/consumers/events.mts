// A storefront's TypeScript with the DOM library that listens to Seglet's window event, without a cast
// (checked by package.test.ts, strict, skipLibCheck off): `e.detail` is the segment.
import { SEGMENT_EVENT, type Segment, type SegletEventMap, type SegletSegmentEvent } from 'seglet'

window.addEventListener('seglet:segment', (e) => {
  const id: string = e.detail.id
  const intent: number = e.detail.intent
  const segment: Segment = e.detail
  // @ts-expect-error a segment has no `segmentId` (that is the segment hint's name for its `id`)
  e.detail.segmentId
  // @ts-expect-error `intent` is a number, not a string
  e.detail.intent.toUpperCase()
  return [id, intent, segment]
})

// The same with the exported name of the event, a named listener and removeEventListener.
const onSegment = (e: SegletSegmentEvent) => e.detail.pathNames.join(' › ')
window.addEventListener(SEGMENT_EVENT, onSegment)
window.removeEventListener(SEGMENT_EVENT, onSegment)

// The DOM's own `CustomEvent`, with the segment as its detail.
export const event = (e: SegletEventMap['seglet:segment']): CustomEvent<Segment> => e
export const type = (e: SegletSegmentEvent): string => e.type
