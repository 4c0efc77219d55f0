// A shop's Node server, type-checked without the DOM library as a Node-only project is (checked by
// package.test.ts with `nodenext`): it renders with an inert Seglet and reads the segment hint.
import { createServer } from 'node:http'
import { createSeglet, SEGMENT_EVENT, type SegletEventMap, type SegletOptions } from 'seglet'
import { readSegmentHint } from 'seglet/server'

const options: SegletOptions = { consent: 'pending', personalize: { segmentHint: true } }
const seglet = createSeglet(options)
export const server = createServer((request, response) => {
  const hint = readSegmentHint(request)
  // The browser's event name, shared with the page's script (the event map's types need no DOM either).
  const event: keyof SegletEventMap = SEGMENT_EVENT
  response.end(JSON.stringify({ hint, segment: seglet.getSegment(), event }))
})
