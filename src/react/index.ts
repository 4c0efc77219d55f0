// `seglet/react`: React bindings. Only re-exports; React and `seglet` stay external.
export { SegletProvider } from './SegletProvider'
export type { SegletProviderProps } from './SegletProvider'
export { SegletContext } from './SegletContext'
export type { SegletContextValue } from './SegletContext'
export { useSegment } from './useSegment'
export { useSegmentHint } from './useSegmentHint'
export { useSeglet } from './useSeglet'
