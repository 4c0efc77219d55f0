/**
 * Size budgets in gzip bytes (level 9) for the files a browser downloads. Printed by the build and
 * checked by `npm test` (test/unit/size.test.ts). Keep README.md's size table in sync.
 */
export const BUDGETS = {
  /** The script-tag core: capture, store, features, segments, hooks, panel. Everything but the model runtime. */
  'seglet.min.js': 14 * 1024,
  /** The bridges' mapping code (GA4 dataLayer, Shopify), loaded when a bridge first has something to map. */
  'seglet-bridges.min.js': 2.5 * 1024,
  /** The declarative blocks' code (`data-seglet-show`, `-hide`, `-intent-*`), loaded when a page first has a block. */
  'seglet-blocks.min.js': 1.25 * 1024,
  /**
   * The store's retention pass and `exportData()` document, loaded on a page that must prune (a returning shopper's) or export.
   * 1.125 KB since retention also covers the private reports' session records.
   */
  'seglet-prune.min.js': 1.125 * 1024,
  /** The lazily loaded model runtime (tfjs-core, CPU kernels) with both shipped model packs. */
  'seglet-model.min.js': 60 * 1024,
  /**
   * The lazily loaded private-report part: session truth, ε-LDP encodings, budget ledger, sending, and the
   * shipped packs' context, so a session without a recorded decision (a bounce) is reported too, and the
   * page-statistics table's loader, so the page-value question does not depend on the model part having run.
   * 7.75 KB since a ledger no version writes (hand-written or damaged: a day's spend or a session start that is
   * not a number) is read as spent, never as unspent, and a decision recorded while the clock was ahead no longer
   * stands as the packs in use (7.5 KB before, since the table's request is given up after 30 s without progress
   * and a ledger written under a clock that was ahead is moved back to today; 7.25 KB before that).
   */
  'seglet-reports.min.js': 7.75 * 1024,
}

/**
 * Budgets of the npm entry points an app adds on top of its framework and Seglet, in gzip bytes (level 9)
 * of the entry's ESM build minified with `seglet`, React and Vue left external (what a bundler adds for
 * them). Measured by scripts/measure-entry.mjs, checked by `npm test`. Keep README.md's size table in sync.
 */
export const ENTRY_BUDGETS = {
  /** `seglet/react`: provider and hooks (dist/react.js). */
  'seglet/react': 1.5 * 1024,
  /**
   * `seglet/vue`: plugin and composables (dist/vue.js). 1.125 KB since the plugin reports a bad option without
   * `onError` in the script tag's and `seglet/react`'s words, one `console.warn` line with its code, and wraps
   * `app.mount()` too, so that only mounted apps hold the Seglet it started: an app never mounted kept it running
   * for good (1 KB before).
   */
  'seglet/vue': 1.125 * 1024,
  /** `seglet/server`: readSegmentHint() for the shop's server (dist/server.js); never sent to a browser. */
  'seglet/server': 1024,
}

/**
 * Budget of what `import { createSeglet } from 'seglet'` puts in an app's entry chunk, in gzip bytes (level 9):
 * the README's npm quick start bundled with code splitting and minified, the lazily imported parts in chunks of
 * their own (scripts/measure-entry.mjs, measureApp()). Checked by `npm test`. Keep README.md's size table in sync.
 */
// 64 B since the blocks watcher looks at what a DOM change added, not the whole page; 80 B since the store also writes at
// `beforeunload` (a page left in WebKit lost what it had queued and its last engagement record) and a page shown again
// writes once more what it was still writing (Firefox never ends a write begun as a page goes into its back/forward cache).
export const APP_BUDGET = 13.5 * 1024 + 80
