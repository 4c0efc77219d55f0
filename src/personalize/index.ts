export { createPersonalizer } from './createPersonalizer'
export {
  DEFAULT_ANTI_FLICKER_TIMEOUT_MS,
  DEFAULT_INTENT_STEP,
  SEGMENT_EVENT,
  CLASS_PREFIX,
  VALUE_CLASS_PREFIX,
  INTENT_HIGH_CLASS,
  PENDING_CLASS,
  SEGMENT_ATTRIBUTE,
  VALUE_SEGMENT_ATTRIBUTE,
  BLOCK_ATTRIBUTES,
  ANTI_FLICKER_CSS,
  SEGMENT_HINT_COOKIE,
  SEGMENT_HINT_MAX_AGE_S,
} from './constants'
export type { IntentBand, SegmentHint } from './hintTypes'
export type { PersonalizationArm, PersonalizeOptions, Personalizer, SegmentCallback, OnSegmentOptions, SegletEventMap, SegletSegmentEvent } from './types'
export { createPanel, PANEL_TAG } from './panel'
export type { Panel, PanelOptions, StoredSummary } from './panel'
export type { PanelTemplate, PanelText } from './panelText'
export { shouldAutoShowPanel } from './shouldAutoShowPanel'
