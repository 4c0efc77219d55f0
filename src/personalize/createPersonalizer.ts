import type { ErrorReporter } from '../errors'
import type { Segment } from '../segments'
import { applyRootMarkers } from './applyRootMarkers'
import { createBlocks, type Blocks } from './createBlocks'
import { DEFAULT_ANTI_FLICKER_TIMEOUT_MS, DEFAULT_INTENT_STEP, PENDING_CLASS, SEGMENT_EVENT } from './constants'
import { isNotableChange } from './isNotableChange'
import { reportSafely } from './reportSafely'
import { typed } from '../options/parsers'
import type { OnSegmentOptions, PersonalizeOptions, Personalizer, SegmentCallback } from './types'

/**
 * Create the bridge from segments to the page. Nothing touches the DOM before `start()`.
 *
 * @example
 * const personalizer = createPersonalizer({ antiFlicker: true }, (error) => report(error))
 * personalizer.start()
 * personalizer.onSegment((segment) => analytics.set({ segment: segment.id }))
 * personalizer.apply(segment)   // <html class="seglet-engaged seglet-account-engaged-browser" data-seglet-segment="account-engaged-browser">
 */
export function createPersonalizer(options: PersonalizeOptions = {}, onError: ErrorReporter = () => {}): Personalizer {
  const intentStep = options.intentStep ?? DEFAULT_INTENT_STEP
  const timeoutMs = options.antiFlickerTimeoutMs ?? DEFAULT_ANTI_FLICKER_TIMEOUT_MS
  // Entries, not a Set of functions: subscribing one function twice gives two independent subscriptions.
  let subscribers: Array<{ callback: SegmentCallback }> = []
  // What the page shows: the decided segment, or null in the holdout arm.
  let segment: Segment | null = null
  let decidedSegment: Segment | null = null
  let notified: Segment | null = null
  let decided = false
  let doc: Document | undefined
  let blocks: Blocks | undefined
  let ownedClasses: ReadonlySet<string> = new Set()
  let pendingTimer: ReturnType<typeof setTimeout> | undefined
  let pendingAdded = false

  const guard = (what: string, fn: () => void) => {
    try {
      fn()
    } catch (error) {
      reportSafely(onError, what, error)
    }
  }

  const callSafely = (callback: SegmentCallback, value: Segment) => guard('onSegment() threw', () => callback(value))

  const endPending = () => {
    if (pendingTimer !== undefined) clearTimeout(pendingTimer)
    pendingTimer = undefined
    if (pendingAdded && doc) doc.documentElement.classList.remove(PENDING_CLASS)
    pendingAdded = false
  }

  const mark = () =>
    guard('Marking <html> failed', () => {
      ownedClasses = applyRootMarkers(doc!.documentElement, segment, ownedClasses)
    })

  const render = () => {
    if (!doc) return
    mark()
    guard('Updating data-seglet blocks failed', () => blocks?.refresh())
  }

  const notify = (next: Segment) => {
    for (const entry of subscribers.slice()) {
      callSafely(entry.callback, next)
    }
    const view = doc?.defaultView ?? (typeof window !== 'undefined' ? window : undefined)
    if (view) {
      guard('seglet:segment failed', () => {
        view.dispatchEvent(new view.CustomEvent(SEGMENT_EVENT, { detail: next }))
      })
    }
  }

  return {
    apply(next) {
      decidedSegment = next
      // The holdout arm: decided (getSegment(), reports, the panel) but the page is not personalised.
      segment = next = next?.arm === 'holdout' ? null : next
      decided = true
      if (doc) {
        guard('Anti-flicker failed', endPending)
        render()
      }
      if (!next) {
        notified = null
        return
      }
      if (isNotableChange(notified, next, intentStep)) {
        notified = next
        notify(next)
      }
    },

    onSegment(callback, subscribeOptions: OnSegmentOptions = {}) {
      typed('function')(callback, 'onSegment(callback)')
      const entry = { callback }
      subscribers.push(entry)
      if ((subscribeOptions.immediate ?? true) && segment) {
        callSafely(callback, segment)
      }
      return () => {
        subscribers = subscribers.filter((e) => e !== entry)
      }
    },

    getSegment: () => decidedSegment,

    start() {
      if (doc) return
      const found = options.document ?? (typeof document !== 'undefined' ? document : undefined)
      if (!found) return
      doc = found
      guard('Personalize start failed', () => {
        if (options.antiFlicker && !decided) {
          doc!.documentElement.classList.add(PENDING_CLASS)
          pendingAdded = true
          pendingTimer = setTimeout(() => guard('Anti-flicker failed', endPending), timeoutMs)
        }
        if (options.blocks ?? true) blocks = createBlocks(doc!, () => segment, onError)
        mark()
        blocks?.start()
      })
    },

    stop() {
      if (!doc) return
      guard('Personalize stop failed', () => {
        endPending()
        blocks?.stop()
        ownedClasses = applyRootMarkers(doc!.documentElement, null, ownedClasses)
      })
      blocks = undefined
      doc = undefined
    },
  }
}
