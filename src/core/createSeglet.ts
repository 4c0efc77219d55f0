import type { CaptureOptions } from '../capture'
import { createCapture } from '../capture'
import type { ErrorReporter } from '../errors'
import { OptionsError, SegletError } from '../errors'
import type { ShopperEvent, StoredEvent } from '../events/types'
import type { FeatureOptions } from '../features'
import type { PersonalizeOptions } from '../personalize'
import { clearSegmentHint } from '../personalize/clearSegmentHint'
import { createPersonalizer } from '../personalize/createPersonalizer'
import { shouldAutoShowPanel } from '../personalize/shouldAutoShowPanel'
import type { Consent } from '../privacy'
import { isPersistAllowed, resolveConsent } from '../privacy'
import type { Explanation, Segment, SegmentOptions } from '../segments'
import type { SegletExport, StoreOptions } from '../store'
import { createStore } from '../store'
import type { Decider } from './createDecider'
import type { LazyParts } from './lazy'
import { decisionWindowStart } from './readDecisionEvents'
import { whenIdle } from './whenIdle'

/** Options of `createSeglet()`. Every field is optional. */
export interface SegletOptions {
  /**
   * The shopper's consent to on-device storage. With `'pending'` or `'denied'` nothing is persisted.
   * @default 'pending'
   */
  consent?: Consent
  /**
   * Treat `navigator.globalPrivacyControl === true` as consent denied.
   * @default true
   */
  respectGlobalPrivacyControl?: boolean
  /**
   * Decide segments from this page's in-memory events while consent is pending or denied (nothing is stored).
   * @default false
   */
  segmentWithoutConsent?: boolean
  /**
   * Receives every error Seglet catches instead of throwing into the page (autocapture, bridges, storage,
   * model, hooks). Each is a `SegletError` with a `code`.
   * @default undefined (errors are dropped)
   */
  onError?: (error: SegletError) => void
  /** Storage: retention, size cap, database name. */
  storage?: Omit<StoreOptions, 'persist' | 'onError'>
  /** Autocapture and bridges. */
  capture?: CaptureOptions
  /** Feature computation: session gap, special-day calendar. */
  features?: FeatureOptions
  /** Model packs: a shop's own pack URL and integrity hash. */
  model?: ModelOptions
  /** Segment decisions: hysteresis, cold start. */
  segments?: SegmentOptions
  /** DOM hooks: attributes, classes, declarative blocks, anti-flicker, panel. */
  personalize?: PersonalizeOptions
}

/** Where the model packs come from. */
export interface ModelOptions {
  /**
   * Run the model and decide segments at all.
   * @default true
   */
  enabled?: boolean
  /**
   * URL of the shop's own session pack (same origin only). Requires `sessionPackIntegrity`.
   * @default undefined (the pack shipped with Seglet)
   */
  sessionPackUrl?: string
  /** `sha256-<base64>` of the session pack file. */
  sessionPackIntegrity?: string
  /** URL of the shop's own lifetime pack (same origin only). Requires `lifetimePackIntegrity`. */
  lifetimePackUrl?: string
  /** `sha256-<base64>` of the lifetime pack file. */
  lifetimePackIntegrity?: string
}

/** A running Seglet. */
export interface Seglet {
  /**
   * Records one event. Validates and queues it; storage happens later, off the caller's stack.
   * @throws ValidationError (code `invalid_event`) when the event is malformed; nothing is stored then.
   * @example seglet.track({ type: 'search', query: 'winter boots' })
   */
  track(event: ShopperEvent): void
  /** Changes consent. `'granted'` persists this page's events; `'denied'` deletes what was stored. */
  setConsent(consent: Consent): Promise<void>
  /** The consent in effect (after Global Privacy Control). */
  getConsent(): Consent
  /** Writes queued events now. Resolves when they are stored (or kept in memory). */
  flush(): Promise<void>
  /** The current segment, or `null` before the first decision. */
  getSegment(): Segment | null
  /**
   * Calls `callback` with each new segment (and at once with the current one unless `immediate: false`).
   * @returns a function that unsubscribes.
   */
  onSegment(callback: (segment: Segment) => void, options?: { immediate?: boolean }): () => void
  /** Why the current segment was chosen, in plain words, computed on the device. */
  explain(): Explanation[]
  /** Deletes everything Seglet stored on this device, the database included. */
  forget(): Promise<void>
  /** Everything Seglet stored, as JSON-serialisable data. */
  exportData(): Promise<SegletExport>
  /** Passes a Shopify customer event (from a custom pixel's `analytics.subscribe`) to Seglet. */
  shopifyEvent(event: unknown): void
  /** Opens the transparency panel ("Why am I seeing this?"). */
  showPanel(): void
  /** Closes the transparency panel. */
  hidePanel(): void
  /** Stops capture and hooks, flushes and closes the store. */
  destroy(): Promise<void>
}

/**
 * How the lazy part (model runtime, decisions, panel) gets loaded: a dynamic import for bundlers, a
 * sibling file for the script tag.
 */
export type RuntimeLoader = () => Promise<LazyParts>

const CONSENTS: readonly string[] = ['granted', 'denied', 'pending']

/** Longest wait for idle time before the first decision of a page, in ms. */
const FIRST_DECISION_IDLE_MS = 50
/** Longest wait for idle time before later decisions, in ms. */
const DECISION_IDLE_MS = 200


/**
 * The shared implementation behind `createSeglet()` (npm) and the script-tag build; they differ only in
 * how the model runtime is loaded.
 */
export function createSegletWith(options: SegletOptions, loadRuntime: RuntimeLoader): Seglet {
  if (options === null || typeof options !== 'object') {
    throw new OptionsError('createSeglet(options) expects an object', 'options')
  }
  if (options.consent !== undefined && !CONSENTS.includes(options.consent)) {
    throw new OptionsError(`consent must be 'granted', 'denied' or 'pending', got ${String(options.consent)}`, 'consent')
  }
  const userOnError = options.onError
  const report: ErrorReporter = (error) => {
    try {
      userOnError?.(error)
    } catch {
      // A throwing onError must not take Seglet (or the page) down with it.
    }
  }

  let consent = resolveConsent({
    consent: options.consent ?? 'pending',
    respectGlobalPrivacyControl: options.respectGlobalPrivacyControl ?? true,
  })
  const store = createStore({ ...options.storage, persist: isPersistAllowed(consent), onError: report })
  const personalizer = createPersonalizer(options.personalize ?? {}, report)
  const capture = createCapture({ enqueue: (event: StoredEvent) => store.enqueue(event), onError: report, options: options.capture ?? {} })
  // The segment hint cookie (opt-in) is written by decisions while consent is granted, and removed here when
  // consent is denied or withdrawn and by forget().
  const clearHint = () => options.personalize?.segmentHint && clearSegmentHint()
  if (consent == 'denied') clearHint()
  const modelEnabled = options.model?.enabled ?? true
  let decider: Decider | undefined
  let destroyed = false
  let scheduled = false
  let packRefused = false
  let running: Promise<void> | undefined

  const mayDecide = () => modelEnabled && !destroyed && !packRefused && (isPersistAllowed(consent) || options.segmentWithoutConsent === true)

  const getDecider = () =>
    loadRuntime().then(
      (parts) =>
        (decider ??= parts.createDecider({
          store,
          personalizer,
          report,
          model: options.model ?? {},
          segmentHint: options.personalize?.segmentHint,
          features: options.features,
          segments: options.segments,
          mayPersist: () => isPersistAllowed(consent),
          getConsent: () => consent,
          forget: () => api.forget(),
        })),
    )

  // The first decision waits for idle time at most FIRST_DECISION_IDLE_MS: a returning shopper's page is
  // personalised early; later ones wait up to the default.
  let idleTimeout = FIRST_DECISION_IDLE_MS
  const scheduleDecision = () => {
    if (scheduled || !mayDecide()) return
    scheduled = true
    const timeout = idleTimeout
    idleTimeout = DECISION_IDLE_MS
    whenIdle(() => {
      scheduled = false
      // One decision at a time; a flush during a decision schedules the next one.
      // The stored events are read while the lazy part loads; a flush meanwhile schedules another decision.
      const events = store.getFeatureEvents(decisionWindowStart(Date.now(), options.features?.sessionGapMs)).catch(() => undefined)
      running = (running ?? Promise.resolve())
        // Checked again once the previous decision settled: it may have refused a pack, or consent changed.
        .then(() => (mayDecide() ? getDecider().then((d) => d.decide(events)) : undefined))
        .catch((error: unknown) => {
          const failure = error instanceof SegletError ? error : new SegletError('model_failed', `Segment decision failed: ${String(error)}`, { cause: error })
          // A pack that is refused (integrity, origin, feature spec) stays refused: report it once and
          // carry on capturing without segments, instead of fetching it again after every flush.
          if (failure.code.startsWith('pack_')) packRefused = true
          report(failure)
        })
    }, timeout)
  }

  store.onFlush(scheduleDecision)
  // Every write carries the page's visible time so far (one record per page view, updated), so a last
  // write that the closing page aborts loses only the time since the write before it.
  store.beforeWrite(capture.engagement)
  personalizer.start()
  capture.start()

  // A returning shopper gets a decision from stored history at once, before any new event is flushed.
  scheduleDecision()

  if (typeof location !== 'undefined' && shouldAutoShowPanel(location)) whenIdle(() => api.showPanel())

  const api: Seglet = {
    track(event) {
      capture.track(event)
    },
    async setConsent(next) {
      if (!CONSENTS.includes(next)) {
        throw new OptionsError(`setConsent() expects 'granted', 'denied' or 'pending', got ${String(next)}`, 'consent')
      }
      consent = resolveConsent({ consent: next, respectGlobalPrivacyControl: options.respectGlobalPrivacyControl ?? true })
      if (!isPersistAllowed(consent)) clearHint()
      await store.setPersist(isPersistAllowed(consent))
      scheduleDecision()
    },
    getConsent: () => consent,
    flush: () => store.flush(),
    getSegment: () => personalizer.getSegment(),
    onSegment: (callback, subscribeOptions) => personalizer.onSegment(callback, subscribeOptions),
    explain: () => decider?.explain() ?? [],
    async forget() {
      clearHint()
      await store.forget()
      decider?.reset()
      personalizer.apply(null)
    },
    exportData: () => store.exportData(),
    shopifyEvent: (event) => capture.shopifyEvent(event),
    showPanel() {
      // The panel lives in the lazy part: it costs nothing until a shopper (or `?seglet=debug`) asks for it.
      getDecider()
        .then((d) => destroyed || d.showPanel())
        .catch((error: unknown) => report(new SegletError('hook_failed', `The panel could not be shown: ${String(error)}`, { cause: error })))
    },
    hidePanel: () => decider?.hidePanel(),
    async destroy() {
      destroyed = true
      capture.stop()
      personalizer.stop()
      decider?.destroy()
      await store.flush().catch(() => undefined)
      store.close()
    },
  }
  return api
}
