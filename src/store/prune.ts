/**
 * The store's retention pass. The script-tag build loads it as `seglet-prune.min.js` on a page that must
 * prune (a returning shopper's: a first visit has nothing to expire unless it writes over `maxEvents`), so a
 * first visit does not download it; the npm build passes it to the store directly.
 */
export { pruneEvents } from './lib/pruneEvents'
