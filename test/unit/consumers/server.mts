// A shop's Node server, type-checked without the DOM library as a Node-only project is (checked by
// package.test.ts with `nodenext`): it renders with an inert Seglet and reads the segment hint.
import { createServer } from 'node:http'
import { createSeglet, type SegletOptions } from 'seglet'
import { readSegmentHint } from 'seglet/server'

const options: SegletOptions = { consent: 'pending', personalize: { segmentHint: true } }
const seglet = createSeglet(options)
export const server = createServer((request, response) => {
  const hint = readSegmentHint(request)
  response.end(JSON.stringify({ hint, segment: seglet.getSegment() }))
})
