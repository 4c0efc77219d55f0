/** How long anti-flicker hides personalised blocks at most, waiting for the first decision. */
export const DEFAULT_ANTI_FLICKER_TIMEOUT_MS = 300

/**
 * A change of purchase intent by at least this much (since the last notification) notifies
 * `onSegment()` callbacks and the `seglet:segment` event even when the segment stays.
 */
export const DEFAULT_INTENT_STEP = 0.1

/** Name of the `CustomEvent` dispatched on `window` with the segment as `detail`. */
export const SEGMENT_EVENT = 'seglet:segment'

/** Prefix of the classes on `<html>` for the segment and its ancestors (`seglet-engaged`). */
export const CLASS_PREFIX = 'seglet-'

/** Prefix of the classes on `<html>` for the value segment and its ancestors (`seglet-value-loyal`). */
export const VALUE_CLASS_PREFIX = 'seglet-value-'

/** Class on `<html>` while purchase intent is at or above the intent head's threshold. */
export const INTENT_HIGH_CLASS = 'seglet-intent-high'

/** Class on `<html>` while anti-flicker waits for the first decision. */
export const PENDING_CLASS = 'seglet-pending'

/** Attribute on `<html>` with the segment id. */
export const SEGMENT_ATTRIBUTE = 'data-seglet-segment'

/** Attribute on `<html>` with the value-segment id. */
export const VALUE_SEGMENT_ATTRIBUTE = 'data-seglet-value-segment'

/** Attributes of declarative blocks. */
export const BLOCK_ATTRIBUTES = [
  'data-seglet-show',
  'data-seglet-hide',
  'data-seglet-intent-above',
  'data-seglet-intent-below',
] as const

/** A selector of every declarative block. */
export const BLOCK_SELECTOR = BLOCK_ATTRIBUTES.map((name) => `[${name}]`).join(',')

/**
 * Put this in the page's `<head>` (inline or in your stylesheet) together with `antiFlicker: true`
 * so that blocks meant for some segments only do not flash before the first decision:
 *
 * ```html
 * <style>.seglet-pending [data-seglet-show],.seglet-pending [data-seglet-intent-above],.seglet-pending [data-seglet-intent-below]{visibility:hidden}</style>
 * ```
 *
 * The minimal form is `.seglet-pending [data-seglet-show]{visibility:hidden}`.
 */
export const ANTI_FLICKER_CSS =
  '.seglet-pending [data-seglet-show],.seglet-pending [data-seglet-intent-above],.seglet-pending [data-seglet-intent-below]{visibility:hidden}'

/**
 * Name of the segment hint cookie, the only cookie Seglet can ever set: opt-in (`personalize.segmentHint`),
 * written only while consent is granted, removed when consent is denied or withdrawn and by `forget()`.
 * Its value is `<segment id>.<intent band>`, e.g. `casual-browser.medium`.
 */
export const SEGMENT_HINT_COOKIE = 'seglet_hint'

/**
 * Lifetime of the segment hint cookie in seconds (30 minutes, the session gap). Every decision rewrites it,
 * so it lasts while the shopper browses and expires soon after.
 */
export const SEGMENT_HINT_MAX_AGE_S = 1800

/** The segment ids the hint can carry (1–64 letters, digits, "_" or "-"); "." separates the intent band. */
export const SEGMENT_HINT_ID = /^[\w-]{1,64}$/
