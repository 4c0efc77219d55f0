/**
 * The store's rarely used code: the retention pass and the `exportData()` document. The script-tag build
 * loads it as `seglet-prune.min.js` on a page that must prune (a returning shopper's: a first visit has
 * nothing to expire unless it writes over `maxEvents`) or export, so a first visit does not download it; the
 * npm build imports it then with a dynamic `import()`, which bundlers split into a chunk of its own.
 */
export { pruneEvents } from './lib/pruneEvents'
export { exportStored } from './lib/exportStored'
