/**
 * Size budgets in gzip bytes (level 9) for the files a browser downloads. Printed by the build and
 * checked by `npm test` (test/unit/size.test.ts). Keep README.md's size table in sync.
 */
export const BUDGETS = {
  /** The script-tag core: capture, store, features, segments, hooks, panel. Everything but the model runtime. */
  'seglet.min.js': 15.5 * 1024,
  /** The lazily loaded model runtime (tfjs-core, CPU kernels) with both shipped model packs. */
  'seglet-model.min.js': 60 * 1024,
  /** The lazily loaded private-report part: session truth, ε-LDP encodings, budget ledger, sending. */
  'seglet-reports.min.js': 6 * 1024,
}
