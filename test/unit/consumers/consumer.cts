// A CommonJS TypeScript file of a storefront that requires Seglet (checked by package.test.ts with `node16`).
import { createSeglet, SegletError, type Segment } from 'seglet'
import { readSegmentHint } from 'seglet/server'
import { useSegment } from 'seglet/react'
import { useSegment as useSegmentRef } from 'seglet/vue'

const seglet = createSeglet({ consent: 'granted' })
seglet.onSegment((segment: Segment) => segment.id)
window.addEventListener('seglet:segment', (e) => e.detail.id)
// Cart quantities default to 1.
seglet.track({ type: 'add_to_cart', productId: 'sku-42' })
export const parts = [SegletError, readSegmentHint, useSegment, useSegmentRef]
