// `seglet/server`: what a shop's own server needs. Nothing here touches a DOM or ships to the browser.
export { readSegmentHint } from './readSegmentHint'
export type { SegmentHintSource } from './readSegmentHint'
export { parseSegmentHint } from '../personalize/parseSegmentHint'
export { toIntentBand } from '../personalize/toIntentBand'
export { SEGMENT_HINT_COOKIE, SEGMENT_HINT_MAX_AGE_S } from '../personalize/constants'
export type { IntentBand, SegmentHint } from '../personalize/hintTypes'
