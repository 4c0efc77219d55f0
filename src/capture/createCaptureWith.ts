import type { SegletError } from '../errors/index'
import { validateEvent } from '../events/validateEvent'
import type { PageType, ShopperEvent, StoredEvent } from '../events/types'
import { createIdFactory } from './lib/createIdFactory'
import { detectPage } from './lib/detectPage'
import { mayHaveJsonLdProduct } from './lib/mayHaveJsonLdProduct'
import { getCurrentUrl } from './lib/getCurrentUrl'
import type { Bridges } from './bridges'
import { readDataLayerEvent } from './lib/readDataLayerEvent'
import { matchPageType } from './lib/matchPageType'
import { normalizeUrl } from '../events/lib/normalizeUrl'
import { observeDataLayer } from './lib/observeDataLayer'
import { observeEngagement, type EngagementObserver } from './lib/observeEngagement'
import { observeHistory } from './lib/observeHistory'
import { readCaptureOptions } from './lib/readCaptureOptions'
import { readMeta } from './lib/readMeta'
import { resolvePageStats } from './lib/resolvePageStats'
import { toSegletError } from './lib/toSegletError'
import { listen } from '../lib/listen'
import { hasPage } from '../lib/hasPage'
import type { Capture, CaptureDependencies } from './types'

/**
 * How long after an SPA navigation the page is read (page type, JSON-LD, page stats), so the router has
 * rendered the new page instead of leaving the old page's `<meta>` tags in place. Navigations within this
 * window are coalesced into one page view.
 *
 * @example
 * history.pushState(null, '', '/cart')
 * setTimeout(checkPageView, NAVIGATION_SETTLE_MS)
 */
export const NAVIGATION_SETTLE_MS = 100

type Source = 'track' | 'autocapture' | 'bridge'

/** Stands in for the bridges' code when it could not be loaded: no JSON-LD product. */
const NO_BRIDGES = {} as Bridges

/**
 * The capture stage with the bridges' mapping code given directly or as a loader (the script-tag build loads
 * it the first time a bridge has something to map). See {@link createCapture}.
 */
export function createCaptureWith({ enqueue, onError, options = {} }: CaptureDependencies, source: Bridges | (() => Promise<Bridges>)): Capture {
  const settings = readCaptureOptions(options)
  let bridges = typeof source === 'function' ? undefined : source
  let loading: Promise<Bridges> | undefined
  const nextId = createIdFactory()
  // Per page: what automatic sources must not capture twice.
  let lastPageViewUrl: string | undefined
  // The same, for track(), until the page is next hidden: a page view tracked at a restore from the back/forward
  // cache (a `pageshow` listener of the shop's) is a new one.
  let trackedUrl: string | undefined
  let productsSeen = new Set<string>()
  const ordersSeen = new Set<string>()

  let started: boolean | undefined
  let cleanups: Array<() => void> = []
  let engagement: EngagementObserver | undefined
  let currentUrl: string | undefined
  let currentPageType: PageType | undefined
  let settleTimer: ReturnType<typeof setTimeout> | undefined
  // The current page's view waits for the bridges' code.
  let waiting: boolean | undefined

  const report = (error: SegletError) => {
    try {
      onError(error)
    } catch {
      // The reporter is the shop's code; its failure must not reach the page either.
    }
  }

  const commit = (event: ShopperEvent, id = nextId(), ts = Date.now()): StoredEvent => {
    const stored = event as StoredEvent
    stored.id = id
    stored.ts = ts
    if (event.type === 'page_view') {
      // Autocapture's own page view comes after its navigation, which already began the new page's set.
      if (event.url !== currentUrl) productsSeen = new Set()
      lastPageViewUrl = trackedUrl = event.url
    } else if (event.type === 'product_view') productsSeen.add(event.productId)
    else if (event.type === 'purchase') ordersSeen.add(event.orderId)
    enqueue(stored)
    return stored
  }

  const isDuplicate = (event: ShopperEvent): boolean =>
    (event.type === 'page_view' && event.url === lastPageViewUrl) ||
    (event.type === 'product_view' && productsSeen.has(event.productId)) ||
    (event.type === 'purchase' && ordersSeen.has(event.orderId))

  /** Validates, dedupes and commits an event from an automatic source (with `id`, an update of that record); never throws. */
  const capture = (raw: unknown, source: Exclude<Source, 'track'>, context: string, id?: string, ts?: number): void => {
    try {
      const event = validateEvent(raw)
      if (isDuplicate(event)) return
      commit(event, id, ts)
    } catch (error) {
      report(toSegletError(error, source, context))
    }
  }

  const guard = (context: string, fn: () => void) => () => {
    try {
      fn()
    } catch (error) {
      report(toSegletError(error, 'autocapture', context))
    }
  }

  const showPage = (win: Window, loaded = bridges): void => {
    if (!loaded && (mayHaveJsonLdProduct(win.document) || (settings.pageViews && readMeta(win.document, 'seglet:page-stats')))) {
      // The JSON-LD reader and the page-statistics parser are part of the bridges' code: the page view waits
      // for it (one small same-origin file). Page statistics only go into page views: with those off, the meta
      // tag loads nothing (a JSON-LD product still does: it gives the engagement records their page type).
      // Without it (the file failed to load), the page type comes from the meta tag and the URL rules, and the
      // statistics from the `pageStats` option. A navigation while it
      // loads takes the page view then (see onNavigation), so a late file never reads the next page.
      waiting = true
      return withBridges('page view dropped', (b) => waiting && showPage(win, b), () => waiting && showPage(win, NO_BRIDGES))
    }
    waiting = false
    // The address the navigations left (a page taken by onNavigation keeps its own).
    const url = currentUrl!
    const { pageType, product } = detectPage(win.document, url, settings.pageTypePatterns, loaded?.readJsonLdProduct)
    currentPageType = pageType
    if (!settings.pageViews) return
    let stats
    try {
      stats = resolvePageStats(win.document, url, settings.pageStats, loaded?.parsePageStats)
    } catch (error) {
      report(toSegletError(error, 'autocapture', 'pageStats option failed'))
    }
    const pageView = { type: 'page_view', url, pageType, stats, pageKey: readMeta(win.document, 'seglet:page-key') }
    // A bad statistic or page key is reported and left out; the page view itself is kept.
    for (const field of ['stats', 'pageKey'] as const) {
      if (pageView[field] === undefined) continue
      try {
        validateEvent({ type: 'page_view', url, pageType, [field]: pageView[field] })
      } catch (error) {
        report(toSegletError(error, 'autocapture', `page ${field} ignored`))
        pageView[field] = undefined
      }
    }
    // Dropped when this URL already had its page view (a `track()` before start, a same-URL navigation).
    capture(pageView, 'autocapture', 'page view dropped')
    if (product) capture({ type: 'product_view', ...product }, 'autocapture', 'JSON-LD product view dropped')
  }

  /** {@link showPage}, its failure (a URL rule of the shop that throws) reported as a dropped page view. */
  const show = (win: Window, loaded?: Bridges) => guard('page view dropped', () => showPage(win, loaded))()

  /** Reads the page of the navigation that settles: at its timer, or earlier when the page is hidden or left. */
  const settle = () => {
    clearTimeout(settleTimer)
    settleTimer = undefined
    show(window)
  }

  const onNavigation = (win: Window, replace?: boolean) => {
    const url = getCurrentUrl(win)
    if (replace && url.split('?')[0] === currentUrl!.split('?')[0]) {
      // A `replaceState` within the path (a variant picker, a filter) rewrites this page's own address and leaves
      // nothing to come back to: the same page view, from now on at this URL. A `pushState` stays a page view.
      if (lastPageViewUrl === currentUrl) lastPageViewUrl = url
      currentUrl = url
    }
    if (url === currentUrl) return
    // The page's view still waits for the bridges' code: taken now, at its own address, without them.
    if (waiting) show(win, NO_BRIDGES)
    // A page that never got its page view (a redirect within the settle time) hands its time to the next one.
    const pending = settleTimer !== undefined
    if (!pending) engagement?.flush()
    currentUrl = url
    // A new page, also one this URL had before (left and come back to while settling): its own page view.
    currentPageType = lastPageViewUrl = undefined
    // A new page: a product view pushed while it settles (a router's `view_item`) belongs to it.
    productsSeen = new Set()
    engagement?.begin(pending)
    clearTimeout(settleTimer)
    settleTimer = setTimeout(settle, NAVIGATION_SETTLE_MS)
  }

  /**
   * Maps with the bridges' code, loading it first when needed (in order, stamped with the time the input
   * arrived). A failed load drops what waited, reports it, and is retried on the next input. A `checkout` (GA4
   * `begin_checkout`, Shopify `checkout_started`) that has to wait is stored at once as a bare `begin_checkout`,
   * its kind only (nothing of the input, which may hold an e-mail or an address), so a shopper who leaves before
   * the code arrives still began checkout; the mapped event then updates that record.
   */
  const bridge = (context: string, map: (loaded: Bridges) => unknown[] | null, checkout?: boolean) => {
    const ts = Date.now()
    const id = checkout && !bridges ? commit({ type: 'begin_checkout' }, nextId(), ts).id : undefined
    withBridges(context, (loaded) => {
      for (const event of map(loaded) ?? []) capture(event, 'bridge', context, id, ts)
    })
  }

  /**
   * Runs `use` with the bridges' code, loading it first when needed (in the order of the calls); failures
   * are reported with `context`. When the code cannot be loaded, the failure is reported once and
   * `fallback` runs instead; the next call tries again.
   */
  const withBridges = (context: string, use: (loaded: Bridges) => void, fallback: () => void = () => {}) => {
    const run = (loaded: Bridges) => {
      try {
        use(loaded)
      } catch (error) {
        report(toSegletError(error, 'bridge', context))
      }
    }
    if (bridges) return run(bridges)
    void (loading ??= (source as () => Promise<Bridges>)().then(
      (loaded) => (bridges = loaded),
      (error: unknown) => {
        loading = undefined
        report(toSegletError(error, 'bridge', context))
        throw error
      },
    )).then(run, fallback)
  }

  /**
   * Emits the page view's engagement so far. With `hide` (the page is hidden or left), first reads the page of a
   * navigation still settling, and takes a page view that still waits for the bridges' code without them (the
   * file may never arrive on a page that is going away), so the engagement record carries that page view's
   * type; then stops the clock. If the file does arrive while the page is still the same (a tab the shopper
   * comes back to), it reads the page again: its JSON-LD product view, the page view deduplicated. The store's
   * hide listener comes here (its `beforeWrite(true)` call): the capture has none of its own. Autocapture runs on
   * the page's own window.
   */
  const onHide = (hide?: boolean) => {
    if (hide) {
      if (settleTimer) settle()
      if (waiting) show(window, NO_BRIDGES), (waiting = true)
      trackedUrl = undefined
    }
    engagement?.flush(hide)
  }

  const onDataLayerEntry = (win: Window, entry: unknown) => {
    // Only GA4 events need the mapping code: `gtm.js`, `config` and the like load nothing. A GA4 event the code does not
    // map (`view_cart`) tells a page with ecommerce data, whose `begin_checkout` may be pushed as the shopper leaves
    // it: the code is loaded now, so that event is mapped at once, not lost to a fetch the navigation cuts.
    let read
    try {
      if (!(read = readDataLayerEvent(entry))) return
    } catch (error) {
      report(toSegletError(error, 'bridge', 'GA4 dataLayer entry dropped'))
      return
    }
    const url = getCurrentUrl(win)
    bridge('GA4 dataLayer entry dropped', (loaded) => loaded.mapDataLayerEntry(entry, read!, url, settings.pageViews), read == 'begin_checkout')
  }

  const startAutocapture = (win: Window) => {
    const doc = win.document
    const pages = settings.pageViews || settings.engagement
    if (pages) {
      if (settings.engagement) {
        const observer = observeEngagement(win, {
          scroll: settings.scrollDepth,
          nextId,
          // Each emission replaces the page view's record (same id), at the page's current URL.
          // `pageType` is a getter, so a shop's URL rule that throws is reported by capture() instead of leaving
          // the observer's own listeners.
          emit: (id, visibleMs, scrollDepth) =>
            capture({
              type: 'engagement',
              url: currentUrl,
              get pageType() {
                return currentPageType ?? matchPageType(currentUrl!, settings.pageTypePatterns)
              },
              visibleMs,
              scrollDepth,
            }, 'autocapture', 'engagement dropped', id),
        })
        engagement = observer
        cleanups.push(() => {
          observer.stop()
          engagement = undefined
        })
      }
      const onLoad = () => show(win)
      currentUrl = getCurrentUrl(win)
      engagement?.begin()
      if (doc.readyState === 'loading') {
        // JSON-LD and meta tags further down are not parsed yet.
        cleanups.push(listen(doc, 'DOMContentLoaded', onLoad, { once: true }))
      } else onLoad()
      cleanups.push(() => {
        clearTimeout(settleTimer)
        settleTimer = undefined
      })
    }
    if (settings.dataLayer) {
      try {
        cleanups.push(observeDataLayer(win, settings.dataLayerName, (entry) => onDataLayerEntry(win, entry)))
      } catch (error) {
        report(toSegletError(error, 'bridge', 'GA4 bridge not started'))
      }
    }
    // Last: a history that cannot be wrapped (a frozen one throws) must not cost the dataLayer bridge.
    if (pages) cleanups.push(observeHistory(win, guard('navigation failed', () => onNavigation(win)), guard('navigation failed', () => onNavigation(win, true))))
  }

  return {
    track(input) {
      const event = validateEvent(input)
      // The page view this address has already (a router hook that also runs for the route the page loaded with,
      // or for a navigation to the same address) is not a second one: dropped, as autocapture's own would be.
      return event.type === 'page_view' && event.url === trackedUrl ? undefined : commit(event)
    },

    start() {
      if (started || !hasPage()) return
      started = true
      if (!settings.autocapture) return
      const begin = guard('autocapture not started', () => startAutocapture(window))
      // A page the browser prerenders (speculation rules, the address bar's guess) is not seen until it is
      // shown, and may never be: its page view, engagement and dataLayer entries are captured from then on.
      if ((document as { prerendering?: boolean }).prerendering) cleanups.push(listen(document, 'prerenderingchange', begin, { once: true }))
      else begin()
    },

    engagement: onHide,

    stop() {
      if (!started) return
      started = false
      guard('engagement dropped', () => engagement?.flush())()
      // Undo in reverse order of setup.
      for (const cleanup of cleanups.reverse()) guard('stop failed', cleanup)()
      cleanups = []
      currentUrl = currentPageType = waiting = undefined
    },

    shopifyEvent(event) {
      let checkout
      try {
        checkout = (event as { name: unknown }).name == 'checkout_started'
      } catch {
        // A getter that throws: the mapping reads it again, and reports it.
      }
      bridge('Shopify event dropped', (loaded) => loaded.mapShopifyEvent(event, (url) => matchPageType(url, settings.pageTypePatterns), normalizeUrl), checkout)
    },
  }
}
