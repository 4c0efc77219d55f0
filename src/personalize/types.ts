import type { ReportArm } from '../reports/types'
import type { Segment } from '../segments'
import type { PanelText } from './panelText'

/**
 * The personalisation arm of this browser: `'holdout'` (the page is not personalised, so the shop can
 * measure lift), `'treatment'` (personalised) or `'none'` (no holdout configured).
 */
export type PersonalizationArm = ReportArm

/** Options of `createPersonalizer()`. */
export interface PersonalizeOptions {
  /**
   * Add the `seglet-pending` class to `<html>` at start and remove it at the first decision, when the model part fails or is off, or nothing may decide for lack of consent (with a Seglet), or after
   * `antiFlickerTimeoutMs`. Pair it with `ANTI_FLICKER_CSS` in the page's `<head>`.
   * @default false
   */
  antiFlicker?: boolean
  /**
   * Longest time `seglet-pending` stays on `<html>`, in ms.
   * @default DEFAULT_ANTI_FLICKER_TIMEOUT_MS (300)
   */
  antiFlickerTimeoutMs?: number
  /**
   * Show and hide declarative blocks, including blocks added later, with the `hidden` attribute:
   *
   * - `data-seglet-show="engaged hibernating"`: shown only while the segment, one of its
   *   ancestors, the value segment or one of its ancestors is listed (hidden before the first decision);
   * - `data-seglet-hide="hibernating"`: hidden while one of them is listed;
   * - `data-seglet-intent-above="0.7"` / `data-seglet-intent-below="0.3"`: shown only while purchase
   *   intent is strictly above / below the number (hidden before the first decision).
   *
   * All rules on one element must allow it. On an element with one of these attributes Seglet owns the
   * `hidden` attribute: put `hidden` in the markup to keep the block out of sight until the first
   * decision, and Seglet removes it when the block matches. Elements without them are never touched.
   *
   * @example
   * <aside data-seglet-show="engaged" data-seglet-intent-below="0.3" hidden>Free returns within 30 days</aside>
   * @default true
   */
  blocks?: boolean
  /**
   * Notify again when intent moved by at least this much, even when the segment stayed.
   * @default DEFAULT_INTENT_STEP (0.1)
   */
  intentStep?: number
  /**
   * Share of browsers (0–1) held out of personalisation, so the shop can measure its lift with private
   * reports. Each browser is assigned once, at random on the device, and keeps its arm across visits (in
   * IndexedDB once consent allows; for the page only before). In the holdout the segment is still decided,
   * `getSegment()` returns it with `arm: 'holdout'`, and reports and the panel use it; but the page is not
   * personalised: no `<html>` attributes or classes, declarative blocks stay as they are before any decision
   * (`data-seglet-show` and intent blocks hidden, `data-seglet-hide` blocks shown), and neither `onSegment()`
   * callbacks nor the `seglet:segment` event fire. Code that reads `getSegment()` to personalise should check
   * `segment.arm !== 'holdout'`.
   * @example personalize: { holdout: 0.1 } // one browser in ten sees the shop without personalisation
   * @default 0 (no holdout: every segment carries `arm: 'none'`)
   */
  holdout?: number
  /**
   * Keep the segment id and intent band (never events or features) in the first-party `seglet_hint`
   * cookie, so the shop's own server can render the next page for the segment without a flicker (read it
   * with `readSegmentHint()` from `seglet/server`). Written only while consent is granted; removed when
   * consent is denied (Global Privacy Control included) and by `forget()`. The only cookie Seglet sets.
   * @default false
   */
  segmentHint?: boolean
  /**
   * The transparency panel's words in the shop's language, and that language's tag (`lang`): the panel is marked
   * with it and writes its dates and numbers in it. Every key is optional; a missing one is shown in English (marked
   * `lang="en"`). Words with values are `{placeholder}` templates or functions of the values. The keys are checked
   * when the model part loads: an unknown key or a bad value is reported (`invalid_option`) and shown in English.
   * See {@link PanelText} for every key and its English words.
   * @example personalize: { panelText: { lang: 'de', title: 'Warum sehe ich das?', intentHigh: '{percent} (hoch)' } }
   * @default undefined (English, marked `lang="en"`)
   */
  panelText?: PanelText
  /**
   * The document to personalise (an iframe's, say). The hooks of `seglet/react` and the composables of `seglet/vue`
   * read the segment's marker on the page's own `<html>`, so they do not follow a Seglet that marks another document
   * (React's stay `null`; Vue's show the next segment but keep it through `forget()` and `destroy()`): use
   * `onSegment()` there.
   * @default globalThis.document, looked up at start()
   */
  document?: PageDocument
}

/**
 * The DOM's `Document` where TypeScript has the DOM library, and `never` where it has not (a Node server's
 * project), whose code may still import `seglet` and create the inert Seglet.
 */
export type PageDocument = typeof globalThis extends { document: infer D } ? D : never

/**
 * The events Seglet dispatches on `window`, by name, for `window.addEventListener()` (a tag manager, a framework
 * outside the bindings). `WindowEventMap` includes them once a file of the project imports `seglet` (a script-tag
 * page's TypeScript can add `import type {} from 'seglet'`), so `e.detail` is typed without a cast.
 *
 * @example
 * window.addEventListener('seglet:segment', (e) => {
 *   document.body.classList.toggle('free-shipping', e.detail.intent >= e.detail.intentThreshold)
 * })
 */
export interface SegletEventMap {
  /**
   * A new segment, or intent moved by the notification step (`SEGMENT_EVENT`): when `onSegment()` callbacks
   * are called, with the same segment as `detail`. Not in the holdout arm.
   */
  'seglet:segment': SegletSegmentEvent
}

/** The `seglet:segment` event: a `CustomEvent` on `window` with the segment as `detail`. */
export type SegletSegmentEvent = CustomEvent<Segment>

declare global {
  // Empty here, so that these declarations also type-check without the DOM library (a Node server's project); it
  // merges with the DOM's `CustomEvent` (or Node's) where there is one. Line comments: a doc comment would show
  // in the shop's editor on every `CustomEvent` and `WindowEventMap`.
  interface CustomEvent<T = any> {}
  interface WindowEventMap extends SegletEventMap {}
}

/** Receives a segment. Throwing is reported as `hook_failed` and does not affect other callbacks. */
export type SegmentCallback = (segment: Segment) => void

/** Options of `onSegment()`. */
export interface OnSegmentOptions {
  /**
   * Call the callback at once with the current segment, when there is one.
   * @default true
   */
  immediate?: boolean
}

/** Hands segments to the page: callbacks, `<html>` classes, declarative blocks, a window event. */
export interface Personalizer {
  /**
   * Apply a decision: update `<html>` and the blocks, and — when the segment meaningfully changed —
   * call `onSegment()` callbacks and dispatch `seglet:segment`. `null` (after `forget()`) removes
   * every class and attribute Seglet set and re-evaluates blocks; callbacks are not called with it. With a
   * holdout (`holdout` > 0), a segment whose arm was not drawn at this share (its `holdout` is not this one: the
   * cold-start default, a segment stored before the holdout or before the share changed) is applied as `null`.
   */
  apply(segment: Segment | null): void
  /**
   * Subscribe to segment changes; returns an unsubscribe function.
   *
   * @example
   * const off = personalizer.onSegment((s) => { if (s.path.includes('engaged')) showCoupon() })
   * off()
   */
  onSegment(callback: SegmentCallback, options?: OnSegmentOptions): () => void
  /** The latest applied segment (`null` for one `apply()` took as `null`), or null. */
  getSegment(): Segment | null
  /** Start touching the DOM: anti-flicker, `<html>` markers, blocks and their MutationObserver. Idempotent. */
  start(): void
  /** Stop observing and undo every change Seglet made to the DOM. Callbacks stay subscribed. */
  stop(): void
}
