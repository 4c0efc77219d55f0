import type { ErrorReporter } from '../errors'
import type { Segment } from '../segments'
import { applyRootMarkers } from './applyRootMarkers'
import type { Blocks, createBlocks } from './createBlocks'
import { BLOCK_ATTRIBUTES, BLOCK_SELECTOR, DEFAULT_ANTI_FLICKER_TIMEOUT_MS, DEFAULT_INTENT_STEP, PENDING_CLASS, SEGMENT_EVENT } from './constants'
import { isNotableChange } from './isNotableChange'
import { reportSafely } from './reportSafely'
import { typed } from '../options/parsers'
import type { OnSegmentOptions, PersonalizeOptions, Personalizer, SegletEventMap, SegmentCallback } from './types'

/** The blocks' code (`createBlocks`), given directly or as a loader of it. */
export type BlocksSource = { createBlocks: typeof createBlocks } | (() => Promise<{ createBlocks: typeof createBlocks }>)

/**
 * The personalizer with the blocks' code given directly or as a loader (the script-tag build loads it the
 * first time the page has a block). See {@link createPersonalizer}. While the code loads, decisions reach
 * the page at once — `<html>`, `onSegment()` and the `seglet:segment` event (a returning shopper's stored
 * segment as soon as it is read) — and the blocks follow with the segment of the moment once the code is
 * there. Anti-flicker keeps the page pending until then (or its timeout), so a reveal never shows blocks
 * that the segment hides.
 */
export function createPersonalizerWith(options: PersonalizeOptions, onError: ErrorReporter, source: BlocksSource): Personalizer {
  const intentStep = options.intentStep ?? DEFAULT_INTENT_STEP
  const timeoutMs = options.antiFlickerTimeoutMs ?? DEFAULT_ANTI_FLICKER_TIMEOUT_MS
  // A wrapper per subscription, not a Set of the callbacks: subscribing one function twice gives two independent
  // subscriptions.
  let subscribers: SegmentCallback[] = []
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
  /** Watches for the first block, when the page has none yet and the blocks' code is loaded on demand. */
  let watcher: MutationObserver | undefined
  /** The blocks' code is loading: anti-flicker waits for it. */
  let loading = false

  const guard = (what: string, fn: () => void) => {
    try {
      fn()
    } catch (error) {
      reportSafely(onError, what, error)
    }
  }

  const callSafely = (callback: SegmentCallback, value: Segment) => guard('onSegment() threw', () => callback(value))

  const endPending = () => {
    clearTimeout(pendingTimer)
    if (pendingAdded && doc) doc.documentElement.classList.remove(PENDING_CLASS)
    pendingAdded = false
  }

  const mark = () =>
    guard('Updating <html> failed', () => {
      ownedClasses = applyRootMarkers(doc!.documentElement, segment, ownedClasses)
    })

  const notify = (next: Segment) => {
    // The list as it was when the change came: a callback subscribed meanwhile is called from the next change on
    // (subscribing makes a new list); one unsubscribed meanwhile by an earlier callback is not called.
    for (const entry of subscribers) if (subscribers.includes(entry)) callSafely(entry, next)
    const view = doc?.defaultView ?? globalThis.window
    if (view) {
      guard('seglet:segment failed', () => {
        view.dispatchEvent(new view.CustomEvent<SegletEventMap[typeof SEGMENT_EVENT]['detail']>(SEGMENT_EVENT, { detail: next }))
      })
    }
  }

  const show = (next: Segment | null) => {
    // The holdout arm: decided (getSegment(), reports, the panel) but the page is not personalised.
    segment = next = next?.arm === 'holdout' ? null : next
    decided = true
    if (doc) {
      if (!loading) guard('Anti-flicker failed', endPending)
      mark()
      guard('Updating data-seglet blocks failed', () => blocks?.refresh())
    }
    if (!next) {
      notified = null
      return
    }
    if (isNotableChange(notified, next, intentStep)) {
      notified = next
      notify(next)
    }
  }

  /** Loads the blocks' code (once); they show the segment of the moment when it is there. */
  const loadBlocks = (load: Exclude<BlocksSource, { createBlocks: unknown }>) => {
    watcher?.disconnect()
    watcher = undefined
    const page = doc
    loading = true
    load()
      .then(
        (loaded) => {
          // Stopped meanwhile: nothing to start.
          if (doc === page) guard('Personalize start failed', () => (blocks = loaded.createBlocks(page!, () => segment, onError)).start())
        },
        (error: unknown) => reportSafely(onError, 'Loading data-seglet blocks failed', error),
      )
      .then(() => {
        loading = false
        // Decided meanwhile: the blocks show it now (or their markup, when the code failed), so the page may show.
        if (decided && doc === page) guard('Anti-flicker failed', endPending)
      })
  }

  return {
    apply(next) {
      // With a holdout, a segment whose arm was not drawn at this share (the cold-start default; one stored before
      // the shop turned the holdout on, or raised it: its treatment browsers may be holdout browsers now) may be a
      // holdout browser's: nothing is shown (the page is only revealed) until the model part draws the arm.
      show((decidedSegment = options.holdout && next?.holdout !== options.holdout ? null : next))
    },

    onSegment(callback, subscribeOptions?: OnSegmentOptions | null) {
      typed('function')(callback, 'onSegment(callback)')
      const entry: SegmentCallback = (value) => callback(value)
      subscribers = [...subscribers, entry]
      // No options (or `null`): called at once with the segment already decided.
      if ((subscribeOptions?.immediate ?? true) && segment) {
        callSafely(callback, segment)
      }
      return () => {
        subscribers = subscribers.filter((e) => e !== entry)
      }
    },

    getSegment: () => decidedSegment,

    start() {
      if (doc) return
      const found = options.document ?? globalThis.document
      if (!found) return
      doc = found
      guard('Personalize start failed', () => {
        if (options.antiFlicker && !decided) {
          doc!.documentElement.classList.add(PENDING_CLASS)
          pendingAdded = true
          pendingTimer = setTimeout(() => guard('Anti-flicker failed', endPending), timeoutMs)
        }
        if (!(options.blocks ?? true)) {
          // No blocks.
        } else if (typeof source !== 'function') blocks = source.createBlocks(doc!, () => segment, onError)
        else if (doc!.querySelector(BLOCK_SELECTOR)) loadBlocks(source)
        else {
            // No block yet: the code is loaded when the first one appears (an app that renders later).
            const View = doc!.defaultView
            if (View && typeof View.MutationObserver === 'function') {
              // Only what the mutations added is looked at (or a block attribute set): a page whose DOM keeps
              // changing (a ticker, a carousel) is not searched whole on every change.
              watcher = new View.MutationObserver((records) =>
                records.some((r) => r.attributeName || [...r.addedNodes].some((n) => (n as Element).matches?.(BLOCK_SELECTOR) || (n as Element).querySelector?.(BLOCK_SELECTOR))) && loadBlocks(source),
              )
              watcher.observe(doc!, { childList: true, subtree: true, attributeFilter: [...BLOCK_ATTRIBUTES] })
            }
        }
        mark()
        blocks?.start()
      })
    },

    stop() {
      if (!doc) return
      guard('Personalize stop failed', () => {
        endPending()
        watcher?.disconnect()
        watcher = undefined
        blocks?.stop()
        ownedClasses = applyRootMarkers(doc!.documentElement, null, ownedClasses)
      })
      blocks = undefined
      doc = undefined
      loading = false
    },
  }
}
