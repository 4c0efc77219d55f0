/**
 * The declarative blocks' code (`data-seglet-show`, `-hide`, `-intent-above`, `-intent-below`). The
 * script-tag build loads it as `seglet-blocks.min.js` the first time the page has a block, so a page
 * without blocks does not download it; the npm build passes it to the personalizer directly.
 */
export { createBlocks } from './createBlocks'
