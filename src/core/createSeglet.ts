import type { CaptureOptions } from '../capture'
import type { Bridges } from '../capture/bridges'
import { createCaptureWith } from '../capture/createCaptureWith'
import type { ErrorReporter } from '../errors'
import { createReporter, SegletError } from '../errors'
import type { ShopperEventInput, StoredEvent } from '../events/types'
import type { FeatureOptions } from '../features'
import type { PersonalizeOptions } from '../personalize'
import { clearSegmentHint } from '../personalize/clearSegmentHint'
import { createPersonalizerWith, type BlocksSource } from '../personalize/createPersonalizerWith'
import { shouldAutoShowPanel } from '../personalize/shouldAutoShowPanel'
import type { Consent } from '../privacy'
import { isPersistAllowed, parseConsent, resolveConsent } from '../privacy'
import type { ReportParts } from '../reports/lazy'
import type { ReportOptions } from '../reports/options'
import type { Explanation, Segment, SegmentOptions } from '../segments'
import type { SegletExport, StoreOptions } from '../store'
import { openStore } from '../store/createStore'
import type { PruneSource } from '../store/lib/pruneStored'
import { withStoreDefaults } from '../store/lib/withStoreDefaults'
import type { Decider } from './createDecider'
import type { LazyParts } from './lazy'
import { completeDecisionEvents, decisionWindowStart } from './readDecisionEvents'
import { readEvidence } from '../features/readEvidence'
import { createColdStartSegment } from '../segments/createColdStartSegment'
import { toRestoredSegment } from '../segments/toRestoredSegment'
import { DEFAULT_MIN_PAGE_VIEWS } from '../segments/constants'
import { SEGMENT_META_KEY } from './constants'
import { whenIdle } from '../store/lib/whenIdle'
import { listen } from '../lib/listen'

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
   * @default undefined (the first error of each code is shown with `console.warn`)
   */
  onError?: (error: SegletError) => void
  /** Storage: retention, size cap, database name. */
  storage?: Omit<StoreOptions, 'persist' | 'deleteStored' | 'onError'>
  /** Autocapture and bridges. */
  capture?: CaptureOptions
  /** Feature computation: session gap, special-day calendar. */
  features?: FeatureOptions
  /** Model packs: a shop's own pack URL and integrity hash. */
  model?: ModelOptions
  /** Segment decisions: hysteresis, cold start. */
  segments?: SegmentOptions
  /** DOM hooks: attributes, classes, declarative blocks, anti-flicker, panel, holdout. */
  personalize?: PersonalizeOptions
  /** Private, ε-locally-differentially-private daily reports to the shop's own collector. Off by default. */
  reports?: ReportOptions
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
  /**
   * The shop's public pack-signing key (`npm run collector -- keygen` prints it): `ed25519-<base64>`, or two
   * separated by a space while rotating keys. With it, the browser checks the signed manifest at
   * `packManifestUrl` at most once a day and uses the newest packs whose signatures verify, keeping the last
   * good ones on any failure (reported through `onError`). Packs it has not verified yet: the hash-pinned or
   * shipped ones.
   * @default undefined (no signed packs)
   */
  packKey?: string
  /**
   * Where the signed pack manifest is (same origin only). Used with `packKey`.
   * @default '/seglet/packs.manifest'
   */
  packManifestUrl?: string
  /**
   * When the model part is loaded. `'auto'`: not on a page whose decision would be the cold-start default
   * anyway (the core decides that one itself, with `intent: 0`); in idle time on the page where a decision
   * first becomes possible (or for a returning shopper); prefetched at low priority on the page before.
   * `'eager'`: at once on every page, for shops that need the model's intent on a first page view.
   * @default 'auto'
   */
  loading?: 'auto' | 'eager'
}

/** A running Seglet. */
export interface Seglet {
  /**
   * Records one event. Validates and queues it; storage happens later, off the caller's stack.
   * @throws ValidationError (code `invalid_event`) when the event is malformed; nothing is stored then.
   * @example seglet.track({ type: 'search', query: 'winter boots' })
   */
  track(event: ShopperEventInput): void
  /** Changes consent. `'granted'` persists this page's events; `'denied'`, or `'pending'` after `'granted'`, deletes what was stored; the consent the page already has changes nothing. */
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
  /**
   * Why the current segment was chosen, in plain words, computed on the device: the features that pulled the
   * decision toward it (`delta` > 0), biggest first, down to the third line that counts something the shopper
   * did; a feature at zero ("no time on account pages") is listed where it ranks, and one that counts against
   * the segment is left out. For the cold-start default it explains the intent, by what moved it either way.
   * A pack updated by private training adds a last line for its correction of the intent. The same lines as
   * `segment.reasons`; the transparency panel shows the ones about what the shopper did.
   */
  explain(): Explanation[]
  /**
   * Deletes everything Seglet stored on this device, the database and the segment hint cookie included. The rest
   * of the page keeps what it tracks in memory only (as the shop's other open tabs do); the next page load stores
   * again while consent is granted.
   */
  forget(): Promise<void>
  /** Everything Seglet stored, as JSON-serialisable data. */
  exportData(): Promise<SegletExport>
  /**
   * Passes a Shopify customer event (an object in the shape of Shopify's Web Pixels API, handed over by code in the
   * page: a pixel runs in Shopify's sandbox and cannot reach the page's Seglet) to Seglet.
   */
  shopifyEvent(event: unknown): void
  /** Opens the transparency panel ("Why am I seeing this?"). */
  showPanel(): void
  /** Closes the transparency panel. */
  hidePanel(): void
  /**
   * Stops capture and hooks, flushes and closes the store; what is stored stays. Afterwards `track()`,
   * `shopifyEvent()` and `exportData()` throw (reject with) a `SegletError` of code `destroyed` (`not_started` through
   * the script tag's `window.Seglet`); `forget()` and `setConsent()` still delete what is stored.
   */
  destroy(): Promise<void>
}

/**
 * How the lazy part (model runtime, decisions, panel) gets loaded: a dynamic import for bundlers, a
 * sibling file for the script tag.
 */
export type RuntimeLoader = () => Promise<LazyParts>

/** What differs between the npm build and the script-tag build: how the lazily loaded parts arrive. */
export interface SegletParts {
  /** Loads the model part (once). */
  loadRuntime: RuntimeLoader
  /**
   * Warms the model part for the next page: the script tag fetches its file into the cache at low priority without
   * running it; the npm build imports its chunk in idle time.
   */
  prefetchRuntime?: () => void
  /** The bridges' mapping code, or a loader of it. */
  bridges: Bridges | (() => Promise<Bridges>)
  /** The declarative blocks' code, or a loader of it. */
  blocks: BlocksSource
  /** The store's retention pass, or a loader of it. */
  prune: PruneSource
  /** Loads the private-report part (once); only called for a shop that configured `reports`. */
  loadReports?: ReportLoader
}

/** How the report part gets loaded: a dynamic import for bundlers, a sibling file for the script tag. */
export type ReportLoader = () => Promise<ReportParts>

/** Longest wait for idle time before the first decision of a page, in ms. */
const FIRST_DECISION_IDLE_MS = 50
/** Longest wait for idle time before later decisions, in ms. */
const DECISION_IDLE_MS = 200
/**
 * How long a page that is one page view short of a decision stays open before the model part is prefetched
 * (at low priority) for the next page, in ms.
 */
export const PREFETCH_AFTER_MS = 5_000
/** Longest wait for idle time before the day's private report is prepared, in ms. */
const REPORT_IDLE_MS = 2000


/**
 * The shared implementation behind `createSeglet()` (npm) and the script-tag build; they differ only in
 * how the lazy parts are loaded. The options are checked before (`validateOptions()`: `createSeglet()`, `init()`).
 */
export function createSegletWith(options: SegletOptions, { loadRuntime, prefetchRuntime, bridges, blocks, prune, loadReports }: SegletParts): Seglet {
  const report: ErrorReporter = createReporter(new Set(options.onError ? [options.onError] : []))

  let consent = resolveConsent(options)
  // Persistence starts once everything else has started: a start that fails half-way persists nothing.
  // A start with consent denied (or GPC) withdraws consent: the store deletes what earlier visits stored.
  // validateOptions() checked options.storage against the option table: only the defaults are left to fill in.
  const store = openStore(withStoreDefaults({ ...options.storage, persist: false, deleteStored: consent === 'denied', onError: report }), prune)
  const personalizer = createPersonalizerWith(options.personalize ?? {}, report, blocks)
  const capture = createCaptureWith(
    {
      enqueue(event: StoredEvent) {
        // A broken platform (a replaced global, a throwing polyfill) is reported; track() only ever throws
        // a ValidationError.
        try {
          store.enqueue(event)
        } catch (error) {
          report(new SegletError('storage_failed', `Event not queued: ${String(error)}`, { cause: error }))
        }
      },
      onError: report,
      options: options.capture ?? {},
    },
    bridges,
  )
  // The segment hint cookie (opt-in) is written by decisions while consent is granted, and removed here when
  // consent is denied or withdrawn (the store's forget() removes it too), whatever this page's options say: a page
  // of another template, or one from before the shop turned the hint off, may have written it.
  if (consent == 'denied') clearSegmentHint()
  const modelEnabled = options.model?.enabled ?? true
  let decider: Decider | undefined
  let destroyed = false
  let scheduled = false
  let packRefused = false
  let running: Promise<unknown> | undefined
  // Bumped by forget() and setConsent(): drops a report being prepared and a decision whose store read
  // started before, so nothing read from forgotten history is shown or written back.
  let epoch = 0
  let prefetchTimer: ReturnType<typeof setTimeout> | undefined
  // What was written since the last read of the store: the decider folds it into its features.
  const flushed: StoredEvent[] = []
  let missed = false
  const eager = options.model?.loading === 'eager'

  const mayDecide = () => modelEnabled && !destroyed && !packRefused && (isPersistAllowed(consent) || options.segmentWithoutConsent)

  const getDecider = () =>
    loadRuntime().then(
      (parts) =>
        (decider ??= parts.createDecider({
          ...options,
          store,
          personalizer,
          report,
          mayPersist: () => isPersistAllowed(consent),
          getConsent: () => consent,
          // No `this` in forget(): the method itself, which costs the core fewer bytes than a wrapper.
          forget: api.forget,
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
      const at = epoch
      // One decision at a time; a flush during a decision schedules the next one.
      // The stored events are read while the lazy part loads; a flush meanwhile schedules another decision.
      const now = Date.now()
      // A decider that decided on this page folds in what was written since; before that, the store is read
      // (in parallel with loading the model part), and that read holds everything written until now.
      let events: Promise<StoredEvent[] | undefined> | undefined
      if (!decider || missed) {
        missed = false
        flushed.length = 0
        events = store.getFeatureEvents(decisionWindowStart(now, options.features?.sessionGapMs)).catch(() => undefined)
      }
      running = (running ?? Promise.resolve())
        // Checked again once the previous decision settled: it may have refused a pack, or consent changed.
        .then(() => (mayDecide() ? (decider || eager || !events ? undefined : decideWithoutModel(events, now)) : null))
        .then((read) => (read === null ? undefined : getDecider().then((d): unknown => at == epoch && d.decide(read ? Promise.resolve(read) : events, flushed.splice(0)))))
        .catch((error: unknown) => {
          const failure = error instanceof SegletError ? error : new SegletError('model_failed', `Segment decision failed: ${String(error)}`, { cause: error })
          // A pack that is refused (integrity, origin, feature spec) stays refused: report it once and
          // carry on capturing without segments, instead of fetching it again after every flush.
          if (failure.code.startsWith('pack_')) packRefused = true
          report(failure)
          // Anti-flicker waits for no decision that failed: the page is revealed now, with what it shows.
          personalizer.apply(personalizer.getSegment())
        })
    }, timeout)
  }

  /**
   * Decides in the core, without the model part, while the decision would be the cold-start default anyway
   * (`null`: decided). Otherwise resolves to the events read, for the model (`undefined`: the read failed).
   */
  const decideWithoutModel = async (pending: Promise<StoredEvent[] | undefined>, now: number): Promise<StoredEvent[] | null | undefined> => {
    const read = await pending
    if (!read) return undefined
    const gap = options.features?.sessionGapMs
    const events = await completeDecisionEvents(store, read, decisionWindowStart(now, gap), now, gap)
    const { pageViews, orders } = readEvidence(events, now, gap)
    const last = await storedSegment
    const minPageViews = options.segments?.minPageViews ?? DEFAULT_MIN_PAGE_VIEWS
    // Evidence enough for a decision (hasEnoughEvidence()'s rule, written out: the core has no byte to spare), or
    // a returning shopper's last segment, which beats the default: the model re-decides (and updates intent).
    if (pageViews >= minPageViews || orders > 0 || (last && !last.coldStart)) return events
    // With a holdout, the personalizer shows no segment before the model part draws this browser's arm (the
    // holdout must see no personalisation): the page is only revealed (anti-flicker). Nothing once the Seglet was
    // destroyed, forgotten (`missed`) or consent withdrawn while the events were read.
    if (events.length > 0 && !missed && mayDecide() && !personalizer.getSegment()) personalizer.apply(createColdStartSegment(options.segments, now))
    // The next page view makes a decision possible: fetch the model part at low priority for it, once the
    // shopper stayed a while (a bounce costs nothing), unless nothing may decide by then (consent withdrawn, destroyed).
    // Not when the shopper was forgotten while the events were read (`missed`): a new visitor is no page view short.
    // Nor once this page loaded the part (`decider`): its page view, written after this read, made the decision.
    if (pageViews + 1 >= minPageViews && !missed && !prefetchTimer) {
      prefetchTimer = setTimeout(() => whenIdle(() => mayDecide() && !decider && prefetchRuntime?.(), DECISION_IDLE_MS), PREFETCH_AFTER_MS)
    }
    return null
  }

  // A returning shopper's segment of the last visit, applied as soon as it is read (consent granted only),
  // before the model part loads; the model then re-decides with the usual hysteresis. Read once persistence
  // is on (`restore()`): at the start, or when consent is granted later on the page (a consent manager that answers
  // after the tag); with consent pending or denied, stored data is not read. `false` once consent is withdrawn or
  // the shopper forgotten on this page: what it reads is of the deleted history, even if consent is granted again
  // before the read ends, and it is not read again.
  let storedSegment: Promise<Segment | null> | false | undefined

  try {
    store.onFlush((batch) => {
      // Without decisions (consent pending, say) nothing is kept: the next decision reads the store instead.
      // Index assignment, not push(): a page that replaced Array.prototype.push must not break it.
      if (mayDecide()) for (const event of batch) flushed[flushed.length] = event
      else missed = true
      scheduleDecision()
    })
    // Every write carries the page's visible time so far (one record per page view, updated), so a last
    // write that the closing page aborts loses only the time since the write before it.
    store.beforeWrite(capture.engagement)
    personalizer.start()
    capture.start()
    // Without a model, or with consent pending or denied (and no segmentWithoutConsent), nothing decides: anti-flicker
    // reveals the page now (the blocks being loaded still waited for).
    mayDecide() || personalizer.apply(personalizer.getSegment())
    if (shouldAutoShowPanel()) whenIdle(() => api.showPanel(), DECISION_IDLE_MS)
    // Last: from here on, nothing that could still fail runs before events are persisted.
    if (isPersistAllowed(consent)) void store.setPersist(true)
  } catch (error) {
    // All or nothing: undo what started (nothing was persisted) and say why.
    destroyed = true
    for (const stop of [capture.stop, personalizer.stop, store.close]) {
      try {
        void stop()
      } catch {
        // Already failing: carry on undoing the rest.
      }
    }
    throw new SegletError('start_failed', `Seglet could not start: ${String(error)}`, { cause: error })
  }

  // Private reports: the report part loads only for a shop that configured them, once consent is granted,
  // when the page is idle.
  const reportContext = { store, options, report, getConsent: () => consent, getEpoch: () => epoch }
  const runReport = () => {
    if (options.reports && loadReports && consent === 'granted') whenIdle(() => void loadReports().then((parts) => parts.run(reportContext), report), REPORT_IDLE_MS)
  }

  const restore = () => {
    // Not again once consent was withdrawn on this page (`false`): what it read would be of the deleted history.
    if (storedSegment !== false && mayDecide() && isPersistAllowed(consent)) {
      storedSegment = store.getMeta(SEGMENT_META_KEY).then(toRestoredSegment, () => null)
      void storedSegment.then((segment) => {
        // With a holdout, the personalizer shows nothing for a segment stored before the shop turned it on (`arm:
        // 'none'`: it may be a holdout browser's) until the model part draws the arm; the page is only revealed.
        // Consent still granted: not withdrawn since, nor the history forgotten (storedSegment kept).
        if (segment && storedSegment && mayDecide() && !personalizer.getSegment()) personalizer.apply(segment)
      })
    }
    scheduleDecision()
    runReport()
  }

  // A returning shopper gets a decision from stored history at once, before any new event is flushed. So does a
  // page restored from the back/forward cache: it shows the segment it was left with, and other pages decided since.
  // So does a tab on the cold-start default that the shopper shows again (`visibilitychange` has no `persisted`):
  // another tab may have stored the page views a decision needs. Once the model part decides, or its panel is opened, it
  // watches that itself.
  // With nothing new stored the decision stays in the core (the cold-start default again) and loads nothing.
  // In the capture phase: the document's `visibilitychange` passes the window on its way.
  restore()
  const unlisten = listen(window, 'visibilitychange pageshow', (event) => ((event as PageTransitionEvent).persisted ?? !(decider || document.visibilityState === 'hidden')) && scheduleDecision(), true)


  const api: Seglet = {
    track(event) {
      capture.track(event)
    },
    setConsent(next) {
      // The same consent again (a consent manager that repeats the shopper's answer, or its absence, on every
      // page) changes nothing: pending again must not delete what earlier visits stored. (`consent` is always a
      // valid value, so `next` equal to it needs no check.)
      if (next == consent) return Promise.resolve()
      // Checked before anything is awaited: a bad value throws at the call, not as an unhandled rejection.
      consent = resolveConsent({ ...options, consent: parseConsent(next) })
      epoch++
      if (!isPersistAllowed(consent)) {
        storedSegment = false
        // The next decision reads the store again: the features the decider folded from the deleted history
        // must not carry on into decisions once consent is granted again later on the page.
        missed = true
        clearSegmentHint()
        // Without decisions from here on, the segment (of the history deleted now) would stay on the page; nor may
        // the decider bring it back (its hint, a decision under way) once consent is granted again.
        mayDecide() || (personalizer.apply(null), decider?.reset())
      }
      return store.setPersist(isPersistAllowed(consent)).then(restore)
    },
    getConsent: () => consent,
    flush: store.flush,
    // No `this` in the personalizer's and capture's methods: the methods themselves, fewer bytes than wrappers.
    getSegment: personalizer.getSegment,
    onSegment: personalizer.onSegment,
    explain: () => decider?.explain() ?? [],
    async forget() {
      epoch++
      // The stored segment being read is of the history deleted now.
      storedSegment = false
      // First: a decision under way, and the events written before, must not bring back what is deleted; the
      // next decision reads the store.
      missed = true
      // A new visitor again: no decision is near, so the model part is not warmed for the next page.
      // Emptied too (clearTimeout() returns undefined), so a later page view one short of a decision sets it again.
      prefetchTimer = clearTimeout(prefetchTimer) as undefined
      decider?.reset()
      await store.forget()
      personalizer.apply(null)
      // Again, for an open panel: the segment is cleared now, and a decision begun meanwhile is dropped too.
      decider?.reset()
    },
    exportData: store.exportData,
    shopifyEvent: capture.shopifyEvent,
    showPanel() {
      // The panel lives in the lazy part: it costs nothing until a shopper (or `?seglet=debug`) asks for it.
      getDecider()
        .then((d) => destroyed || d.showPanel())
        .catch((error: unknown) => report(new SegletError('hook_failed', `The panel could not be shown: ${String(error)}`, { cause: error })))
    },
    hidePanel: () => decider?.hidePanel(),
    async destroy() {
      destroyed = true
      // A decision waiting for the model part is dropped.
      epoch++
      clearTimeout(prefetchTimer)
      unlisten()
      capture.stop()
      personalizer.stop()
      decider?.destroy()
      // flush() never rejects.
      await store.flush()
      store.close()
    },
  }
  return api
}
