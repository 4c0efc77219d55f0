// The package's public API. This file only re-exports; every stage lives in its own folder.
export { createSeglet } from './core'
export type { ModelOptions, Seglet, SegletOptions } from './core'

export {
  SegletError,
  ValidationError,
  OptionsError,
  StorageError,
  ModelPackError,
  BridgeError,
} from './errors'
export { isSegletError, isValidationError } from './errors/guards'
export type { ErrorReporter, SegletErrorCode } from './errors'

export {
  validateEvent,
  EVENT_TYPES,
  PAGE_TYPES,
  MAX_STRING_LENGTH,
  MAX_URL_LENGTH,
  MAX_ITEMS,
  MAX_QUANTITY,
  MAX_PRICE,
  MAX_VISIBLE_MS,
  CURRENCY_PATTERN,
  PAGE_KEY_PATTERN,
} from './events'
export type {
  AddToCartEvent,
  BeginCheckoutEvent,
  EngagementEvent,
  LineItem,
  PageStats,
  PageType,
  PageViewEvent,
  ProductViewEvent,
  PurchaseEvent,
  RefundEvent,
  RemoveFromCartEvent,
  SearchEvent,
  ShopperEvent,
  ShopperEventInput,
  ShopperEventType,
  StoredEvent,
} from './events'

export { DEFAULT_PAGE_TYPE_PATTERNS, GA4_EVENT_NAMES, SHOPIFY_EVENT_NAMES } from './capture'
export type { CaptureOptions, PageStatsSource, PageTypePattern } from './capture'

export {
  CACHE_META_PREFIX,
  DB_VERSION,
  DEFAULT_DB_NAME,
  DEFAULT_FLUSH_DELAY_MS,
  DEFAULT_MAX_EVENTS_PER_SECOND,
  DELETE_TIMEOUT_MS,
  EVENT_BURST_SECONDS,
  MAX_EVENTS_PER_WRITE,
} from './store'
export type { SegletExport, StorageMode, StoreOptions } from './store'

export { CONSENT_VALUES, DEFAULT_MAX_EVENTS, DEFAULT_PURCHASE_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, MAX_CLOCK_SKEW_MS } from './privacy'
export type { Consent } from './privacy'

export {
  computeFeatures,
  DEFAULT_SESSION_GAP_MS,
  DEFAULT_SPECIAL_DAYS,
  LIFETIME_FEATURE_NAMES,
  SESSION_FEATURE_NAMES,
} from './features'
export type { FeatureOptions, Features, LifetimeAggregate, SessionAggregate, SpecialDayRule } from './features'

export { MAX_PACK_BYTES, PACK_FORMAT_VERSION } from './model'
export type { ModelPack, SegmentTreeNode } from './model'

export {
  DEFAULT_MIN_PAGE_VIEWS,
  DEFAULT_SEGMENT_ID,
  DEFAULT_SWITCH_AFTER,
  DEFAULT_SWITCH_MARGIN,
  describeFeature,
} from './segments'
export type { Explanation, FunnelFacts, Segment, SegmentOptions, ValueSegment } from './segments'

export { ANTI_FLICKER_CSS, DEFAULT_ANTI_FLICKER_TIMEOUT_MS, SEGMENT_EVENT, SEGMENT_HINT_COOKIE, SEGMENT_HINT_MAX_AGE_S } from './personalize'
export type { IntentBand, OnSegmentOptions, PanelTemplate, PanelText, PersonalizationArm, PersonalizeOptions, SegletEventMap, SegletSegmentEvent, SegmentHint } from './personalize'

export { DEFAULT_DAILY_EPSILON } from './reports/schema'
export type { ReportOptions } from './reports/options'
export type { PageStatsRow, PageStatsTable } from './reports/pageStatsTable'
