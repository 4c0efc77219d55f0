import type { ErrorReporter } from '../errors'
import type { StoredEvent } from '../events/types'
import { SegletError } from '../errors'
import type { ModelRuntime } from '../model'
import type { Personalizer } from '../personalize'
import type { Panel } from '../personalize/panel'
import { createPanel } from '../personalize/panel'
import { writeSegmentHint } from '../personalize/writeSegmentHint'
import type { Consent } from '../privacy'
import type { Explanation, Segment, SegmentEngine, SegmentOptions } from '../segments'
import { createSegmentEngine } from '../segments'
import type { EventStore } from '../store'
import type { FeatureOptions } from '../features'
import type { ModelOptions } from './createSeglet'
import type { DecisionResult } from './decideSegment'
import { decideSegment, loadPacks } from './decideSegment'
import { completeDecisionEvents, decisionWindowStart, readDecisionEvents } from './readDecisionEvents'
import { yieldToPage } from './yieldToPage'

/** Meta key of the last decided segment, kept so hysteresis holds across page loads. */
export const SEGMENT_META_KEY = 'segment'

/** What the decider needs from the running Seglet. */
export interface DeciderContext {
  runtime: ModelRuntime
  store: EventStore
  personalizer: Personalizer
  report: ErrorReporter
  model: ModelOptions
  /** Keep the segment hint cookie (`personalize.segmentHint`) while decisions may be stored. */
  segmentHint?: boolean
  features?: FeatureOptions
  segments?: SegmentOptions
  /** Whether decisions may be stored (consent granted). */
  mayPersist: () => boolean
  getConsent: () => Consent
  /** `forget()` of the running Seglet, for the panel's button. */
  forget: () => Promise<void>
}

/** Decisions, explanations and the panel: the lazily loaded half of a running Seglet. */
export interface Decider {
  /**
   * Decides from what is stored and hands the segment to the page hooks. `pending` is the store's
   * `getFeatureEvents(decisionWindowStart(now))`, when the caller started reading it already (in parallel
   * with loading this part); without it (or when that read failed) the decider reads for itself.
   */
  decide(pending?: Promise<StoredEvent[] | undefined>): Promise<void>
  /** Why the last decision was made, in plain words. */
  explain(): Explanation[]
  /** Forgets the last decision and the hysteresis state (after `forget()`). */
  reset(): void
  showPanel(): void
  hidePanel(): void
  destroy(): void
}

/**
 * Creates the decider. Its first `decide()` does the one-off heavy work (decoding both packs), each step
 * in a task of its own, so none of them blocks the page for long.
 */
export function createDecider(ctx: DeciderContext): Decider {
  const { runtime, store, personalizer, report } = ctx
  let engine: SegmentEngine | undefined
  let last: DecisionResult | undefined
  let panel: Panel | undefined
  // Explanations of the last decision, and of the decision that chose the current segment.
  let lastReasons: () => Explanation[] = () => []
  let segmentReasons = lastReasons

  const safeExplain = (result: DecisionResult): Explanation[] => {
    try {
      return result.explain()
    } catch (error) {
      report(new SegletError('model_failed', `The explanation could not be computed: ${String(error)}`, { cause: error }))
      return []
    }
  }

  return {
    async decide(pending) {
      if (!engine) {
        await yieldToPage()
        await loadPacks({ runtime, model: ctx.model, cache: store, pause: yieldToPage })
        await yieldToPage()
        engine = createSegmentEngine(ctx.segments ?? {})
        // A returning shopper keeps the segment of the last visit unless the evidence says otherwise.
        engine.restore(await store.getMeta(SEGMENT_META_KEY).catch(() => undefined))
      }
      const now = Date.now()
      const gap = ctx.features?.sessionGapMs
      const read = await pending
      // The read started earlier, from an earlier (smaller) window start: checking against this later
      // start is stricter, never wrong.
      const events = read ? await completeDecisionEvents(store, read, decisionWindowStart(now, gap), now, gap) : await readDecisionEvents(store, now, gap)
      const result = await decideSegment({ events, now, runtime, engine, model: ctx.model, features: ctx.features, cache: store })
      if (!result) return
      const previous = last
      last = result
      // The explanation (one batched inference) is worked out when something first reads
      // `segment.reasons`, the panel or explain(): never on the way to the first segment. It is
      // recomputed only when the segment changed.
      lastReasons = memoise(() => safeExplain(result))
      if (result.changed || !previous) segmentReasons = lastReasons
      const segment = withReasons(result.segment, segmentReasons)
      personalizer.apply(segment)
      if (ctx.segmentHint && ctx.mayPersist() && typeof document !== 'undefined') {
        try {
          writeSegmentHint(document, segment)
        } catch (error) {
          // A sandboxed document refuses cookies: the page is personalised all the same.
          report(new SegletError('hook_failed', `The segment hint could not be written: ${String(error)}`, { cause: error }))
        }
      }
      if (result.changed && store.mode === 'indexeddb' && ctx.mayPersist()) {
        // Only what hysteresis needs across page loads: the explanation is not stored.
        void store.setMeta(SEGMENT_META_KEY, { ...result.segment, reasons: [] }).catch(() => undefined)
      }
    },
    explain: () => lastReasons(),
    reset() {
      last = undefined
      lastReasons = segmentReasons = () => []
      engine?.reset()
    },
    showPanel() {
      panel ??= createPanel({
        getSegment: () => personalizer.getSegment(),
        explain: () => lastReasons(),
        getStoredSummary: async () => {
          const events = await store.getEvents()
          return { events: events.length, oldest: events[0]?.ts, mode: store.mode, consent: ctx.getConsent() }
        },
        forget: ctx.forget,
        exportData: () => store.exportData(),
        onSegment: (callback: (segment: Segment | null) => void) => personalizer.onSegment(callback, { immediate: false }),
        onError: report,
      })
      panel.show()
    },
    hidePanel: () => panel?.hide(),
    destroy: () => panel?.destroy(),
  }
}

function memoise<T>(compute: () => T): () => T {
  let done = false
  let value: T
  return () => {
    if (!done) {
      value = compute()
      done = true
    }
    return value
  }
}

/**
 * The segment handed to the page, with `reasons` worked out on first read (then kept). It is an
 * enumerable property, so spreading, `JSON.stringify()` and structured cloning include it.
 */
function withReasons(segment: Segment, reasons: () => Explanation[]): Segment {
  const copy = { ...segment }
  Object.defineProperty(copy, 'reasons', { get: reasons, enumerable: true, configurable: true })
  return copy
}
