// The README's consent-manager recipes ("Wiring a consent manager"), run as written: each one is read from README.md
// (`<!-- readme-test: consent-… -->`) and served as the shop's `seglet-consent.js` beside a stand-in of its consent
// manager's public surface, written from that manager's documentation (only the globals and events the recipe
// uses, plus what a shopper's click in its banner does). The real `dist/seglet.min.js` runs in Chromium, and the
// browser's own IndexedDB and `<html>` markers tell what Seglet stored and shows.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { STRICT_CSP } from '../../scripts/serve.mjs'
import { databaseNames, pageTime, probes, readDb, useHarness, waitForSeglet, waitForSegment } from './helpers'
import { snippet } from './readmeSnippets'

/**
 * What the shopper answers in the banner: everything, nothing, or another category (statistics, analytics) but
 * not the one Seglet follows. A stand-in keeps the answer in a cookie of its own, as the real managers do, and
 * applies it at once on the next page.
 */
type Answer = 'all' | 'none' | 'no-seglet'

const STORED = "var stored = /(?:^|; )standin_answer=([\\w-]+)/.exec(document.cookie); stored = stored && stored[1];\n" +
  "function remember(answer) { document.cookie = 'standin_answer=' + answer + '; path=/; SameSite=Lax' }\n"

/** Each manager's stand-in; `window.__banner(answer)` is the shopper answering in its banner. */
const STAND_INS: Record<string, string> = {
  // The page's gtag snippet with the Consent Mode default Google documents (everything denied until an answer),
  // and a banner that sends an update with the answer, at once on a returning visit.
  gtag: `window.dataLayer = window.dataLayer || [];
function gtag() { dataLayer.push(arguments); }
gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted' });
(function () {
  ${STORED}
  function update(answer) {
    var all = answer === 'all' ? 'granted' : 'denied';
    gtag('consent', 'update', { ad_storage: all, ad_user_data: all, ad_personalization: all, analytics_storage: answer === 'none' ? 'denied' : 'granted', functionality_storage: all, personalization_storage: all });
  }
  if (stored) update(stored);
  window.__banner = function (answer) { remember(answer); update(answer); };
})();`,

  // Cookiebot's object (hasResponse, consent.*) and its window events: OnConsentReady once the consent is known (on
  // load for a returning shopper), OnAccept for an answer that allows any category, OnDecline for one that allows none.
  cookiebot: `(function () {
  ${STORED}
  var cookiebot = (window.Cookiebot = { hasResponse: false, consent: { necessary: true, preferences: false, statistics: false, marketing: false } });
  function apply(answer) {
    cookiebot.hasResponse = true;
    cookiebot.consent = { necessary: true, preferences: answer === 'all', statistics: answer !== 'none', marketing: answer === 'all' };
    window.dispatchEvent(new Event('CookiebotOnConsentReady'));
    window.dispatchEvent(new Event(answer === 'none' ? 'CookiebotOnDecline' : 'CookiebotOnAccept'));
  }
  if (stored) apply(stored);
  window.__banner = function (answer) { remember(answer); apply(answer); };
})();`,

  // OneTrust's OnetrustActiveGroups (opt-in: Strictly Necessary only before an answer), OneTrust.IsAlertBoxClosed()
  // and the OneTrustGroupsUpdated window event, raised as the script loads and at each change.
  onetrust: `(function () {
  ${STORED}
  var GROUPS = { all: ',C0001,C0002,C0003,C0004,', none: ',C0001,', 'no-seglet': ',C0001,C0002,' };
  window.OneTrust = { IsAlertBoxClosed: function () { return !!stored; } };
  function apply(answer) {
    window.OnetrustActiveGroups = GROUPS[answer || 'none'];
    window.dispatchEvent(new CustomEvent('OneTrustGroupsUpdated', { detail: window.OnetrustActiveGroups.split(',').filter(Boolean) }));
  }
  apply(stored);
  window.__banner = function (answer) { remember(answer); stored = answer; apply(answer); };
})();`,

  // Shopify's loadFeatures() and customerPrivacy, in a region that requires consent (nothing allowed before a 'yes';
  // currentVisitorConsent() holds '' until the shopper answers), and visitorConsentCollected on document when the
  // banner's setTrackingConsent() records an answer. The stored answer brings no event.
  shopify: `(function () {
  ${STORED}
  function values(answer) {
    return { preferences: answer === 'all', analytics: answer === 'all' || answer === 'no-seglet', marketing: answer === 'all' };
  }
  function yesNo(allowed) { return !stored ? '' : allowed ? 'yes' : 'no'; }
  var privacy = {
    preferencesProcessingAllowed: function () { return !!stored && values(stored).preferences; },
    analyticsProcessingAllowed: function () { return !!stored && values(stored).analytics; },
    currentVisitorConsent: function () {
      var v = values(stored);
      return { preferences: yesNo(v.preferences), analytics: yesNo(v.analytics), marketing: yesNo(v.marketing), sale_of_data: '' };
    },
  };
  window.Shopify = window.Shopify || {};
  window.Shopify.loadFeatures = function (features, callback) {
    setTimeout(function () { window.Shopify.customerPrivacy = privacy; callback(); }, 0);
  };
  window.__banner = function (answer) {
    remember(answer); stored = answer;
    var v = values(answer);
    document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { preferencesAllowed: v.preferences, analyticsAllowed: v.analytics, marketingAllowed: v.marketing, saleOfDataAllowed: v.marketing } }));
  };
})();`,
}

/**
 * Where the three files sit in the page: the manager and the recipe before Seglet's (async) tag; Seglet's tag first,
 * started before the manager has said anything; the recipe first, before the manager's script. Shopify's recipe needs
 * `window.Shopify`, which the platform defines before a theme's scripts: it always comes after the manager.
 */
type Layout = 'cmp-first' | 'tag-first' | 'recipe-first'
const LAYOUTS: Record<string, Layout[]> = {
  gtag: ['cmp-first', 'tag-first', 'recipe-first'],
  cookiebot: ['cmp-first', 'tag-first', 'recipe-first'],
  onetrust: ['cmp-first', 'tag-first', 'recipe-first'],
  shopify: ['cmp-first', 'tag-first'],
}

function pageOf(cmp: string, layout: Layout): string {
  const standIn = `<script src="/cmp/${cmp}/stand-in.js"></script>`
  const recipe = `<script src="/cmp/${cmp}/seglet-consent.js"></script>`
  const scripts =
    layout === 'tag-first'
      ? ['<script src="/dist/seglet.min.js"></script>', standIn, recipe]
      : layout === 'recipe-first'
        ? [recipe, standIn, '<script src="/dist/seglet.min.js" async></script>']
        : [standIn, recipe, '<script src="/dist/seglet.min.js" async></script>']
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>\n${scripts.join('\n')}\n</head><body><h1>Shop</h1></body></html>`
}

const h = useHarness({
  setup: (harness) =>
    harness.context.route(`${harness.baseUrl}/cmp/**`, (route) => {
      const [, , cmp, file] = new URL(route.request().url()).pathname.split('/')
      const js = (body: string) => route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body })
      if (file === 'stand-in.js') return js(STAND_INS[cmp])
      if (file === 'seglet-consent.js') return js(snippet(`consent-${cmp}`))
      const layout = file.replace(/\.html$/, '') as Layout
      // Under the strict policy the README advertises: recipes and stand-ins are files, nothing inline.
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': STRICT_CSP }, body: pageOf(cmp, layout) })
    }),
})

type SegletWindow = { Seglet: { track(e: unknown): void; flush(): Promise<void>; getConsent(): string } }

const consentOf = (page: Page) => page.evaluate(() => (window as unknown as SegletWindow).Seglet.getConsent())
const marker = (page: Page) => page.getAttribute('html', 'data-seglet-segment')
const answer = (page: Page, a: Answer) => page.evaluate((a) => (window as unknown as { __banner(a: string): void }).__banner(a), a)
/** Tracks a search (the visit's own mark) and writes what may be written. */
const search = (page: Page, query: string) =>
  page.evaluate((query) => {
    const { Seglet } = window as unknown as SegletWindow
    Seglet.track({ type: 'search', query })
    return Seglet.flush()
  }, query)
/** The searches stored in IndexedDB, oldest first. */
const storedSearches = async (page: Page) => (await readDb(page)).events.filter((e) => e.type === 'search').map((e) => e.query)
const open = async (page: Page, cmp: string, layout: Layout) => {
  await page.goto(`${h.baseUrl}/cmp/${cmp}/${layout}.html`)
  await waitForSeglet(page)
}
const gpc = () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true })

for (const cmp of Object.keys(STAND_INS)) {
  describe(`recipe: ${cmp}`, () => {
    for (const layout of LAYOUTS[cmp]) {
      it(`${layout}: pending until the shopper answers; accepted, stored and decided; a returning visit keeps the history; declining deletes; the next visit stays denied`, async () => {
        const page = await h.newPage()
        // A first visit: the banner is up, nothing is answered.
        await open(page, cmp, layout)
        await search(page, 'visit-1')
        await pageTime(page, 300)
        expect(await consentOf(page)).toBe('pending')
        expect(await databaseNames(page)).toEqual([])
        expect(await marker(page)).toBeNull()

        // The shopper accepts: this page's events are written and the page decides.
        await answer(page, 'all')
        await expect.poll(() => consentOf(page)).toBe('granted')
        await page.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
        expect(await storedSearches(page)).toEqual(['visit-1'])
        await waitForSegment(page)

        // A returning visit: the manager applies the stored answer at once (Consent Mode: the default, denied,
        // then the update). The first visit's history is kept and extended, never deleted on the way.
        await open(page, cmp, layout)
        await expect.poll(() => consentOf(page)).toBe('granted')
        await search(page, 'visit-2')
        expect(await storedSearches(page)).toEqual(['visit-1', 'visit-2'])
        await waitForSegment(page)

        // The shopper reopens the banner and allows another category, not Seglet's: what was stored is deleted,
        // and the segment leaves the page.
        await answer(page, 'no-seglet')
        await expect.poll(() => consentOf(page)).toBe('denied')
        await expect.poll(() => databaseNames(page)).toEqual([])
        await expect.poll(() => marker(page)).toBeNull()

        // The next visit: the stored answer denies at once; nothing is stored.
        await open(page, cmp, layout)
        await expect.poll(() => consentOf(page)).toBe('denied')
        await search(page, 'visit-3')
        await pageTime(page, 300)
        expect(await databaseNames(page)).toEqual([])
        expect(await marker(page)).toBeNull()
        // Consent commands in the data layer are no GA4 events: they do not load the bridges part.
        expect(h.requests.filter((url) => url.endsWith('/seglet-bridges.min.js'))).toEqual([])
        const t = await probes(page)
        expect(t.errors).toEqual([])
        expect(t.escaped).toEqual([])
        expect(t.csp).toEqual([])
        await page.close()
      })
    }

    it('answered before Seglet\'s tag runs: Seglet starts with that answer and stores this page', async () => {
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      const tag = `${h.baseUrl}/dist/seglet.min.js`
      await h.context.route(tag, async (route) => {
        await released
        await route.continue()
      })
      try {
        const page = await h.newPage()
        await page.goto(`${h.baseUrl}/cmp/${cmp}/cmp-first.html`, { waitUntil: 'domcontentloaded' })
        await pageTime(page, 100)
        await answer(page, 'all')
        // The recipe has passed the answer on before Seglet exists (Shopify's: once its API has loaded).
        await pageTime(page, 100)
        expect(await page.evaluate(() => typeof (window as unknown as { Seglet?: unknown }).Seglet)).toBe('undefined')
        release()
        await waitForSeglet(page)
        expect(await consentOf(page)).toBe('granted')
        await search(page, 'before-tag')
        expect(await storedSearches(page)).toEqual(['before-tag'])
        await waitForSegment(page)
        expect((await probes(page)).errors).toEqual([])
        await page.close()
      } finally {
        release()
        await h.context.unroute(tag)
      }
    })

    it('asked again (the manager\'s record expired or cleared): the history is kept unread until the answer, and declining deletes it', async () => {
      const page = await h.newPage()
      await open(page, cmp, 'cmp-first')
      await answer(page, 'all')
      await search(page, 'kept')
      expect(await storedSearches(page)).toEqual(['kept'])
      // The manager's cookie is gone: to it, a new visitor; Seglet's database is still there.
      await h.context.clearCookies()
      await open(page, cmp, 'cmp-first')
      await search(page, 'unanswered')
      await pageTime(page, 300)
      expect(await consentOf(page)).toBe('pending')
      expect(await storedSearches(page)).toEqual(['kept'])
      expect(await marker(page)).toBeNull()
      await answer(page, 'none')
      await expect.poll(() => consentOf(page)).toBe('denied')
      await expect.poll(() => databaseNames(page)).toEqual([])
      expect((await probes(page)).errors).toEqual([])
      await page.close()
    })

    it('declined on a first visit: denied, nothing stored, nothing decided', async () => {
      const page = await h.newPage()
      await open(page, cmp, 'cmp-first')
      await answer(page, 'none')
      await expect.poll(() => consentOf(page)).toBe('denied')
      await search(page, 'declined')
      await pageTime(page, 300)
      expect(await databaseNames(page)).toEqual([])
      expect(await marker(page)).toBeNull()
      expect((await probes(page)).errors).toEqual([])
      await page.close()
    })

    it('Global Privacy Control: the manager\'s grant leaves Seglet denied, and a returning shopper\'s history is deleted', async () => {
      // A first visit without GPC: accepted and stored.
      const before = await h.newPage()
      await open(before, cmp, 'cmp-first')
      await answer(before, 'all')
      await search(before, 'before-gpc')
      expect(await storedSearches(before)).toEqual(['before-gpc'])
      await before.close()

      // The shopper turns GPC on; the manager still applies the stored "all".
      const page = await h.newPage()
      await page.addInitScript(gpc)
      await open(page, cmp, 'cmp-first')
      await search(page, 'with-gpc')
      await pageTime(page, 300)
      expect(await consentOf(page)).toBe('denied')
      await expect.poll(() => databaseNames(page)).toEqual([])
      expect(await marker(page)).toBeNull()
      // Answering again in the banner changes nothing.
      await answer(page, 'all')
      await search(page, 'with-gpc-again')
      await pageTime(page, 300)
      expect(await consentOf(page)).toBe('denied')
      expect(await databaseNames(page)).toEqual([])
      // The deletion at the start is reported once, as the consent contract says.
      expect((await probes(page)).errors.map((e) => e.code)).toEqual(['data_deleted'])
      await page.close()
    })
  })
}
