import type { ErrorReporter } from '../errors'
import type { StoredEvent } from '../events/types'
import { SegletError } from '../errors'
import type { ModelRuntime } from '../model'
import type { Personalizer } from '../personalize'
import type { Panel } from '../personalize/panel'
import { createPanel } from '../personalize/panel'
import { checkPanelText } from '../personalize/panelText'
import { onSegmentMarkerChange } from '../personalize/onSegmentMarkerChange'
import { clearSegmentHint } from '../personalize/clearSegmentHint'
import { writeSegmentHint } from '../personalize/writeSegmentHint'
import type { Consent } from '../privacy'
import type { Explanation, Segment, SegmentEngine } from '../segments'
import { createSegmentEngine } from '../segments'
import type { EventStore } from '../store'
import type { PersonalizationArm } from '../personalize'
import { resolveArm } from '../personalize/resolveArm'
import type { PageStatsTable } from '../reports/pageStatsTable'
import { loadPageStatsTable } from '../reports/loadPageStatsTable'
import { readReportSummary } from '../reports/readReportSummary'
import { recordDecision } from '../reports/recordDecision'
import { withTableStats } from '../reports/withTableStats'
import type { SegletOptions } from './createSeglet'
import type { DecisionResult } from './decideSegment'
import { decideSegment, loadPacks } from './decideSegment'
import { completeDecisionEvents, decisionWindowStart, readDecisionEvents } from './readDecisionEvents'
import type { FeatureFold } from '../features/createFeatureFold'
import { createFeatureFold } from '../features/createFeatureFold'
import { computeFeatures } from '../features/computeFeatures'
import { yieldToPage } from './yieldToPage'
import { whenIdle } from '../store/lib/whenIdle'

import { SEGMENT_META_KEY } from './constants'
import { isExpiredSegment } from '../segments/isExpiredSegment'
import { DAY_MS } from '../lib/time'

export { SEGMENT_META_KEY }

/** Longest wait in ms for idle time before a page shown again decides from what other tabs wrote meanwhile. */
const SHOWN_IDLE_MS = 200

/**
 * What the decider needs from the running Seglet: its options (`model`, `features`, `segments`;
 * `capture.pageStatsUrl` and `pageStatsIntegrity` for the collector's page-statistics table;
 * `personalize.holdout` and `segmentHint`; `reports`, when set, records each session's decision for them and
 * the panel tells about them) and the running parts.
 */
export interface DeciderContext extends Pick<SegletOptions, 'model' | 'features' | 'segments' | 'capture' | 'personalize' | 'reports' | 'storage'> {
  runtime: ModelRuntime
  store: EventStore
  personalizer: Personalizer
  report: ErrorReporter
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
   * `flushed` are the events written since the previous decision (or since `pending` began): a decider that
   * already decided on this page folds them into its features instead of reading the store again, and does
   * not run the networks when they cannot change the decision (`DECISION_TOLERANCE`).
   */
  decide(pending?: Promise<StoredEvent[] | undefined>, flushed?: readonly StoredEvent[]): Promise<void>
  /** Why the last decision was made, in plain words. */
  explain(): Explanation[]
  /**
   * Forgets the last decision and the hysteresis state (on `forget()`); a decision under way is dropped. An
   * open panel shows the segment the page has then: `forget()` calls this again once it cleared the segment,
   * as the holdout arm sets no `<html>` marker the panel could watch.
   */
  reset(): void
  /**
   * Opens the transparency panel. Before any decision it also starts watching for the page being shown again, as
   * a decision does: the core leaves that to the decider once there is one.
   */
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
  let panelListener: ((segment: Segment | null) => void) | undefined
  let arm: Promise<PersonalizationArm> | undefined
  // The arm was drawn for this page only (IndexedDB failed to read the browser's draw, see resolveArm): nothing of it
  // leaves the page, neither the stored segment (restored by the next page before its decision) nor the segment hint.
  let pageArm = false
  // With a holdout, every segment carries the share its arm was drawn at: the core shows a returning shopper's
  // stored segment only when the share is still the same (a larger share moves treatment browsers into the holdout).
  const share = ctx.personalize?.holdout || undefined
  const inArm = (segment: Segment, drawn: PersonalizationArm): Segment => (share ? { ...segment, arm: drawn, holdout: share } : { ...segment, arm: drawn })
  // The arm and share of the segment stored by an earlier page: rewritten when this page's differ, even if the segment does not.
  let storedArm: unknown
  // When the stored segment was decided: an unchanged segment is written again once a day, so its `decidedAt` says
  // when a page last confirmed it. One no page confirmed for `storage.retentionDays` is not restored (`expired`):
  // the events it came from are gone, and so is what came of them (its intent, its funnel facts).
  let storedAt = 0
  let expired = false
  // 30: DEFAULT_RETENTION_DAYS, written out. Imported, the npm entry chunk would export it to this lazily loaded one,
  // for 15 B gzip more in every app (expiredSegment.test.ts holds the two equal).
  const retentionDays = ctx.storage?.retentionDays ?? 30
  let table: Promise<PageStatsTable | undefined> | undefined
  let recorded = ''
  // Explanations of the last decision, and of the decision that chose the current segment.
  let lastReasons: () => Explanation[] = () => []
  let segmentReasons = lastReasons
  let fold: FeatureFold | undefined
  // Whether any event was read or written: without one there is nothing to decide from.
  let held = false
  // Set when the page was hidden, and again when it is shown: another tab may have written meanwhile, so the
  // next decision reads the store. A decision that ran while the page was in the background (its last write
  // schedules one) read it before the shopper used the other tab. Set too when the window gets the focus back:
  // two windows side by side both stay visible while the shopper works in the other one.
  let stale = true
  // Bumped by reset(): a decision that was under way when the shopper asked to be forgotten is dropped, so
  // nothing decided from the forgotten history is shown or written back.
  let epoch = 0
  // Whether the last decision could read stored history: once consent is withdrawn, or another tab deleted the
  // database, that history is gone.
  let persisting = false
  // Set for the rest of the page once the database it read was lost under it while consent is granted here:
  // another tab's forget() or withdrawn consent (or the browser clearing the site's data) deleted it, and this
  // page cannot tell which. The shopper may have asked to be forgotten, so it writes no segment hint again.
  let lost = false
  /** Drops what was decided from the stored history: the features, the last decision and the hysteresis state. */
  const drop = () => {
    recorded = ''
    last = undefined
    fold = undefined
    held = false
    lastReasons = segmentReasons = () => []
    engine?.reset()
  }
  // The option table checks only that `personalize.panelText` is an object: its keys are checked here, as the
  // model part loads; a bad one is reported (`invalid_option`) and shown in English.
  const panelText = ctx.personalize?.panelText && checkPanelText(ctx.personalize.panelText, 'personalize.panelText', report)
  const view = typeof document !== 'undefined' ? document : undefined
  const win = view?.defaultView
  // Decisions run one at a time: the core's, and the one a page shown again schedules for itself.
  let queue: Promise<unknown> = Promise.resolve()
  // The epoch of the last decision that ended without failing (-1: none since the last reset or failure), or of the
  // panel's opening before any decision. A page shown again decides by itself only then: not before the core's first
  // decision (the core still watches), nor after forget(), withdrawn consent or destroy() (each moves the epoch), nor
  // after a failed decision (a refused pack is not fetched again).
  let decidedAt = -1
  let cancelShown: (() => void) | undefined
  const onVisibility = () => {
    stale = true
    // Shown again (or the window has the focus back): another tab may have filled the cart or ordered meanwhile,
    // and the shopper sees it without doing something here first. One decision in idle time: it reads the store,
    // and runs the networks only when the features moved.
    if (view?.visibilityState === 'hidden' || cancelShown || decidedAt !== epoch) return
    const at = epoch
    cancelShown = whenIdle(() => {
      cancelShown = undefined
      // Not when a decision since the show read the store already, nor once consent was withdrawn or the history
      // forgotten here. When another tab deleted the database (its forget() or withdrawn consent), the decision
      // takes away what came of the deleted history.
      if (stale && at === epoch && ctx.mayPersist() && (store.mode === 'indexeddb' || persisting)) {
        decider.decide().catch((error: unknown) => report(error instanceof SegletError ? error : new SegletError('model_failed', `Segment decision failed: ${String(error)}`, { cause: error })))
      }
    }, SHOWN_IDLE_MS)
  }
  // Added by the first decision (or the panel), not here: a decider whose Seglet was destroyed while the model part
  // loaded never decides, and so leaves nothing on the page that would keep it alive.
  let watching = false
  const watch = () => {
    if (watching) return
    watching = true
    view?.addEventListener('visibilitychange', onVisibility)
    win?.addEventListener('focus', onVisibility)
  }

  const loadTable = async (): Promise<PageStatsTable | undefined> => {
    const { pageStatsUrl, pageStatsIntegrity } = ctx.capture ?? {}
    if (pageStatsUrl === undefined) return undefined
    try {
      return await loadPageStatsTable(pageStatsUrl, { integrity: pageStatsIntegrity!, cache: store })
    } catch (error) {
      // Decisions go on without the table; reported once per page.
      report(error instanceof SegletError ? error : new SegletError('table_load_failed', String(error), { cause: error }))
      return undefined
    }
  }

  const safeExplain = (result: DecisionResult): Explanation[] => {
    try {
      return result.explain()
    } catch (error) {
      report(new SegletError('model_failed', `The explanation could not be computed: ${String(error)}`, { cause: error }))
      return []
    }
  }

  // A browser in the holdout is not personalised, on the server either: it gets no hint, and one left from
  // before it was held out (a larger holdout share) is removed. Nor does a decision that forget() or a consent
  // change overtook while it recorded (the epoch moved on), nor one on a page that keeps its events in memory
  // (IndexedDB failed or deleted under it, or forget() called here: the hint would outlive what it came from).
  /** The decision under way read stored history that another tab has deleted since (the page is in memory now). */
  const historyGone = () => persisting && store.mode !== 'indexeddb'
  const writeHint = (segment: Segment, at: number) => {
    if (ctx.personalize?.segmentHint && (segment.arm === 'holdout' || pageArm)) clearSegmentHint()
    else if (ctx.personalize?.segmentHint && at === epoch && ctx.mayPersist() && !lost && store.mode === 'indexeddb' && typeof document !== 'undefined') {
      try {
        writeSegmentHint(document, segment)
      } catch (error) {
        // A sandboxed document refuses cookies: the page is personalised all the same.
        report(new SegletError('hook_failed', `The segment hint could not be written: ${String(error)}`, { cause: error }))
      }
    }
  }

  const decider: Decider = {
    async decide(pending, flushed = []) {
      const at = epoch
      watch()
      // Consent withdrawn (segments decided without it), or the database deleted under the page by another tab
      // (its forget() or withdrawn consent): the stored history is gone, so is what came of it.
      const stored = ctx.mayPersist() && store.mode === 'indexeddb'
      const gone = persisting && !stored
      if (gone) {
        drop()
        lost ||= ctx.mayPersist()
        // A hint this page wrote as the other tab removed it (a decision that ended in that instant) goes too.
        if (ctx.personalize?.segmentHint) clearSegmentHint()
        // An open panel tells what is stored: no longer the deleted history.
        panel?.refresh()
        // The page keeps in memory every event it holds from now on, and the store's read below has them all:
        // a flushed event it does not have was written to the database just before the deletion took it.
        flushed = []
      }
      else if (stored && !persisting && engine) {
        // Consent granted after this page decided without it (`segmentWithoutConsent`, from its events only): from
        // now on it decides as a page that started with consent would. It reads the stored history, its hysteresis
        // starts again from the segment an earlier page stored (the decisions made without consent could not read it),
        // the browser's arm is the one IndexedDB keeps (an earlier visit's draw wins over the one drawn for this page),
        // and this decision shows its segment even if it is unchanged.
        engine = arm = last = undefined
        stale = true
      }
      persisting = stored
      if (!engine) {
        await yieldToPage()
        await loadPacks({ runtime, model: ctx.model ?? {}, cache: store, report, pause: yieldToPage })
        await yieldToPage()
        engine = createSegmentEngine(ctx.segments ?? {})
        // A returning shopper keeps the segment of the last visit unless the evidence says otherwise.
        const stored = (await store.getMeta(SEGMENT_META_KEY).catch(() => undefined)) as Partial<Segment> | undefined
        // A segment stored without `expiresAt` (by a release before it was written) is written again by this
        // decision, changed or not: the core restores only a segment that says until when.
        storedAt = stored?.expiresAt ? Number(stored.decidedAt) || 0 : 0
        expired = stored !== undefined && isExpiredSegment(stored, retentionDays, Date.now())
        engine.restore(expired ? undefined : stored)
        storedArm = `${stored?.arm} ${stored?.holdout}`
      }
      // Once per page (again after forget()): the browser's arm and the shop's page-statistics table.
      arm ??= ((pageArm = false), resolveArm(ctx.personalize?.holdout, store, () => (pageArm = true)))
      table ??= loadTable()
      const now = Date.now()
      const gap = ctx.features?.sessionGapMs
      // The features move with each write (the fold); the store is read again only for the first decision,
      // after the page was hidden or shown again (another tab may have written meanwhile), or when the fold cannot follow.
      // Page views take the statistics they do not carry of their own from the shop's page-statistics table.
      const stats = await table
      const withStats = (events: readonly StoredEvent[]): StoredEvent[] => (stats ? withTableStats(events, stats) : (events as StoredEvent[]))
      let features = fold && !stale && !pending && fold.add(withStats(flushed)) ? fold.features(now) : undefined
      if (!features) {
        stale = false
        const read = await pending
        // The read started earlier, from an earlier (smaller) window start: checking against this later
        // start is stricter, never wrong.
        let events = withStats(read ? await completeDecisionEvents(store, read, decisionWindowStart(now, gap), now, gap) : await readDecisionEvents(store, now, gap))
        fold = createFeatureFold(events, ctx.features)
        // What was written since the read started; when the fold cannot take it, read again. Taken into the
        // events too (newest version of each), for when the fold has no features at `now` (an event stamped
        // ahead of it).
        const written = withStats(flushed)
        if (!fold.add(written)) fold = createFeatureFold((events = withStats(await readDecisionEvents(store, now, gap))), ctx.features)
        else events = [...new Map([...events, ...written].map((e) => [e.id, e])).values()]
        held = events.length > 0
        features = fold.features(now) ?? computeFeatures(events, now, ctx.features)
      }
      held ||= flushed.length > 0
      // Nothing stored to decide from, as after consent was withdrawn (its history deleted) and granted again:
      // the page's segment stands, and its hint is written as an unchanged decision's is.
      if (!held) {
        // The segment on the page came from that history (`segmentWithoutConsent: true` keeps deciding after the
        // withdrawal, from this page's events only): without an event of this page's own, it goes with it.
        // So does an expired segment the core restored before this part loaded (see `expired`).
        if ((gone || (expired && personalizer.getSegment()?.restored)) && at === epoch) {
          personalizer.apply(null)
          panelListener?.(null)
        }
        return last && writeHint({ ...last.segment, arm: await arm }, at)
      }
      const started = performance.now()
      const result = await decideSegment({ features, now, runtime, engine, model: ctx.model ?? {}, cache: store, report, unchangedFrom: last?.inputs, pause: yieldToPage })
      if (result) measure(started)
      if (!result) {
        if (!last) return
        // The networks' inputs did not move, but the funnel facts are counted from events: a cart or checkout
        // event without a page view updates them on the segment at once (not a notable change: no callback).
        const funnel = last.segment.funnel
        const s = features.session
        if (funnel && (funnel.cartReached !== s.cartReached || funnel.checkoutReached !== s.checkoutReached || funnel.productsAdded !== s.productsAdded || funnel.cartValue !== s.cartValue)) {
          const facts = { ...funnel, cartReached: s.cartReached, checkoutReached: s.checkoutReached, productsAdded: s.productsAdded, cartValue: s.cartValue }
          last = { ...last, segment: { ...last.segment, funnel: facts } }
          if (at === epoch) personalizer.apply(withReasons(inArm(last.segment, await arm), segmentReasons))
        }
        // An unchanged decision rewrites the hint too: it lasts while the shopper browses, and one that consent
        // now allows (granted after segments were decided without it, or again after it was withdrawn) is
        // written at once, not at the next change.
        writeHint(inArm(last.segment, await arm), at)
        return
      }
      const decidedArm = await arm
      // Forgotten meanwhile, or the database deleted under the page by another tab (its forget() or withdrawn
      // consent) while this decision worked from the history read before: the engine may have taken it as its
      // current segment.
      if (at !== epoch || historyGone()) {
        engine.reset()
        return
      }
      const previous = last
      last = result
      // The explanation (one batched inference) is worked out when something first reads
      // `segment.reasons`, the panel or explain(): never on the way to the first segment. It is
      // recomputed only when the segment changed.
      lastReasons = memoise(() => safeExplain(result))
      if (result.changed || !previous) segmentReasons = lastReasons
      const segment = withReasons(inArm(result.segment, decidedArm), segmentReasons)
      personalizer.apply(segment)
      // An open panel shows every decision, the holdout arm's too (onSegment() never fires there).
      panelListener?.(segment)
      if (ctx.reports && store.mode === 'indexeddb' && ctx.mayPersist()) {
        // What a report about this session will say once it is closed; written when it changes.
        const packs = await loadPacks({ runtime, model: ctx.model ?? {}, cache: store, report })
        const sessionStart = fold?.sessionStart()
        if (sessionStart !== undefined && at === epoch) {
          recorded = await recordDecision(store, { sessionStart, segment, packs, last: recorded, learn: result.learn() }).catch(() => recorded)
        }
      }
      writeHint(segment, at)
      const armed = `${segment.arm} ${segment.holdout}`
      // Written again once a day; at once when it was written under a clock that was ahead (set right since): its
      // `expiresAt` would keep it restored for as long.
      if ((result.changed || armed !== storedArm || Math.abs(now - storedAt) > DAY_MS) && !pageArm && store.mode === 'indexeddb' && ctx.mayPersist() && at === epoch) {
        // Only what hysteresis needs across page loads, and the arm, so the next page's restored segment
        // personalises nothing in the holdout either: the explanation is not stored.
        storedArm = armed
        storedAt = now
        // `expiresAt`: the core restores it at the next page's start only until then (`toRestoredSegment()`).
        void store.setMeta(SEGMENT_META_KEY, { ...segment, reasons: [], expiresAt: now + retentionDays * DAY_MS }).catch(() => undefined)
      }
    },
    explain: () => lastReasons(),
    reset() {
      epoch++
      arm = undefined
      drop()
      panelListener?.(personalizer.getSegment())
    },
    showPanel() {
      // Opened on a page the core kept on the cold-start default (no decision here yet): the core leaves a page shown
      // again to the decider once there is one, so it watches from now on, as after a decision, and decides when shown
      // again: another tab may have stored the page views a decision needs. Not with the model turned off.
      if (!watching && ctx.model?.enabled !== false) {
        decidedAt = epoch
        watch()
      }
      panel ??= createPanel({
        getSegment: () => personalizer.getSegment(),
        explain: () => lastReasons(),
        getStoredSummary: async () => {
          const events = await store.getEvents()
          return { events: events.length, oldest: events[0]?.ts, mode: store.mode, consent: ctx.getConsent(), segmentHint: !!ctx.personalize?.segmentHint && ctx.getConsent() == 'granted' && store.mode == 'indexeddb' && personalizer.getSegment()?.arm != 'holdout' }
        },
        forget: ctx.forget,
        getReportSummary: ctx.reports
          ? () => readReportSummary(store, ctx.reports!).then((summary) => (ctx.getConsent() == 'pending' ? { ...summary, unread: true } : summary))
          : undefined,
        exportData: () => store.exportData(),
        onSegment: (callback: (segment: Segment | null) => void) => {
          panelListener = callback
          // forget() from the page (not the panel's button) clears the segment and removes the <html> marker.
          const offMarker = onSegmentMarkerChange(() => callback(personalizer.getSegment()))
          return () => ((panelListener = undefined), offMarker())
        },
        onError: report,
        text: panelText,
      })
      panel.show()
    },
    hidePanel: () => panel?.hide(),
    destroy() {
      // A decision under way when the Seglet is destroyed (an unmount, a hot reload) is dropped, as after forget().
      epoch++
      cancelShown?.()
      view?.removeEventListener('visibilitychange', onVisibility)
      win?.removeEventListener('focus', onVisibility)
      panel?.destroy()
    },
  }
  const decideNow = decider.decide
  decider.decide = (pending, flushed) => {
    const at = epoch
    const done = queue.then(() => decideNow(pending, flushed))
    queue = done.then(
      () => (decidedAt = at),
      () => (decidedAt = -1),
    )
    return done
  }
  return decider
}

/**
 * Most `seglet:decision` entries kept in the page's performance timeline: a single-page app open for hours decides
 * thousands of times, and the timeline keeps every entry until it is cleared. At the limit the old ones are cleared;
 * a `PerformanceObserver` still sees each one.
 */
export const MAX_DECISION_MEASURES = 50

/** A User Timing entry per decision that ran the networks (`seglet:decision`), for performance tools. */
function measure(start: number): void {
  try {
    if (performance.getEntriesByName('seglet:decision').length >= MAX_DECISION_MEASURES) performance.clearMeasures('seglet:decision')
    performance.measure('seglet:decision', { start })
  } catch {
    // User Timing Level 3 is missing (older browsers): nothing to record.
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
