/**
 * The script-tag build (`dist/seglet.min.js`, global `Seglet`).
 *
 * `<script src="seglet.min.js" data-consent="granted" async></script>` starts Seglet with options read from
 * the tag's `data-*` attributes. Commands queued before the script loaded (`window.seglet.push([...])`) are
 * replayed in order; afterwards `window.seglet.push` runs commands at once. `window.Seglet` is the API.
 */
import type { SegletOptions } from '../core/createSeglet'
import { bootScript } from './bootScript'

export { SegletError, ValidationError, OptionsError, isSegletError } from '../errors'
export {
  track,
  init,
  setConsent,
  getConsent,
  flush,
  getSegment,
  onSegment,
  onError,
  explain,
  forget,
  exportData,
  shopifyEvent,
  showPanel,
  hidePanel,
  destroy,
} from './instance'
export type { SegletOptions }

bootScript()
