// `seglet/global`: opt-in types for a page that loads the script tag (`seglet.min.js`) and is written in
// TypeScript. Only the tag makes `window.Seglet` and `window.seglet`, so they are not declared for every npm
// user: add `/// <reference types="seglet/global" />` (or `import type {} from 'seglet/global'`) to opt in.
// Types only: dist/global.d.ts is built from this file; there is no code. Left out of tsconfig.json's program,
// so Seglet's own sources do not see these globals.
import type { SegletGlobal, SegletQueue } from './script/globalTypes'

export type { SegletCommand, SegletCommandName, SegletForwardedName, SegletGlobal, SegletQueue } from './script/globalTypes'

declare global {
  // Properties of `window`, not global variables: the tag sets and reads `window.Seglet` and `window.seglet`, and a
  // page's classic script may have a top-level `const seglet` (or `Seglet`) of its own, a binding apart from them,
  // which a `var` declared here would clash with (TS2451).
  interface Window {
    // `window.Seglet`: the script tag's API once it has loaded; `undefined` before.
    Seglet?: SegletGlobal
    // `window.seglet`: the command queue, an array of the page's own until the tag loads.
    seglet?: SegletQueue
  }
}
