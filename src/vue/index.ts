// `seglet/vue`: Vue 3 bindings. Only re-exports; Vue and `seglet` stay external.
export { createSegletPlugin } from './createSegletPlugin'
export type { SegletPluginOptions } from './createSegletPlugin'
export { SEGLET_KEY } from './segletKey'
export type { SegletInjection } from './segletKey'
export { useSegment } from './useSegment'
export { useSegmentHint } from './useSegmentHint'
export { useSeglet } from './useSeglet'
