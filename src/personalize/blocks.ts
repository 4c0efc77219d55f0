/**
 * The declarative blocks' code (`data-seglet-show`, `-hide`, `-intent-above`, `-intent-below`). The
 * script-tag build loads it as `seglet-blocks.min.js` the first time the page has a block, so a page
 * without blocks does not download it; the npm build imports it then with a dynamic `import()`, which bundlers
 * split into a chunk of its own.
 */
export { createBlocks } from './createBlocks'
