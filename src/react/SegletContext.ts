import { createContext } from 'react'
import type { Seglet, SegmentHint } from 'seglet'

/** What `<SegletProvider>` hands to the hooks. */
export interface SegletContextValue {
  /** The provider's `seglet`, or the one it started from `options` (`null` on the server and until it mounted). */
  seglet: Seglet | null
  /** The hint the server rendered with, or `null`. */
  hint: SegmentHint | null
}

/** The React context behind the hooks. Use `<SegletProvider>` rather than this directly. */
export const SegletContext = /* @__PURE__ */ createContext<SegletContextValue>({ seglet: null, hint: null })
