// The script tag starts Seglet in a task of its own after the script's evaluation, so the evaluation stays
// short. API calls and queued commands made before that task runs start Seglet at once and keep their order:
// nothing is lost, and a bad event still throws at the call.
import { describe, expect, it } from 'vitest'
import { readDb, useHarness } from './helpers'

const h = useHarness()

/** In the page: adds the tag; its `onload` runs right after the evaluation, before the start's own task. */
function addTag({ calls, antiFlicker = false }: { calls: boolean; antiFlicker?: boolean }) {
  const w = window as unknown as { seglet: unknown; Seglet: Record<string, (...a: unknown[]) => unknown>; __seen: Record<string, unknown> }
  w.seglet = [['track', { type: 'search', query: 'queued before the tag' }]]
  const script = document.createElement('script')
  script.src = '/dist/seglet.min.js'
  script.async = true
  script.setAttribute('data-consent', 'granted')
  if (antiFlicker) script.setAttribute('data-anti-flicker', 'true')
  script.onload = () => {
    w.__seen = { queueArrayAfterEvaluation: Array.isArray(w.seglet), api: typeof w.Seglet?.track }
    if (antiFlicker) w.__seen.pendingAfterEvaluation = document.documentElement.classList.contains('seglet-pending')
    if (!calls) return
    w.Seglet.track({ type: 'search', query: 'right after the tag' })
    ;(w.seglet as unknown[]).push(['track', { type: 'search', query: 'pushed next' }])
    try {
      w.Seglet.track({ type: 'search' })
    } catch (error) {
      w.__seen.badTrack = (error as { code?: string }).code
    }
    w.Seglet.track({ type: 'search', query: 'last' })
    w.__seen.consent = w.Seglet.getConsent()
  }
  document.head.appendChild(script)
}

/** The stored page views and searches in the order they were captured (an id ends in the page's counter). */
const captured = (events: Array<Record<string, unknown> & { id: string; type: string }>) =>
  events
    .filter((e) => e.type === 'page_view' || e.type === 'search')
    .sort((a, b) => parseInt(a.id.split('-')[1], 36) - parseInt(b.id.split('-')[1], 36))
    .map((e) => (e.type === 'search' ? e.query : e.type))

describe('the start after the script tag', () => {
  it('runs in a later task; without calls the queue is replayed there and Seglet starts', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/blank.html')
    await page.evaluate(addTag, { calls: false })
    await page.waitForFunction(() => !Array.isArray((window as unknown as { seglet: unknown }).seglet))
    const seen = await page.evaluate(() => (window as unknown as { __seen: unknown }).__seen)
    // The evaluation published the API and left the queue for the start's own task.
    expect(seen).toEqual({ queueArrayAfterEvaluation: true, api: 'function' })
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    const { events } = await readDb(page)
    expect(captured(events)).toEqual(['page_view', 'queued before the tag'])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('calls made before that task start Seglet at once, in order, and a bad event still throws', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/blank.html')
    await page.evaluate(addTag, { calls: true })
    await page.waitForFunction(() => !!(window as unknown as { __seen?: unknown }).__seen)
    const seen = await page.evaluate(() => (window as unknown as { __seen: unknown }).__seen)
    expect(seen).toEqual({ queueArrayAfterEvaluation: true, api: 'function', badTrack: 'invalid_event', consent: 'granted' })
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    const { events } = await readDb(page)
    expect(captured(events)).toEqual(['page_view', 'queued before the tag', 'right after the tag', 'pushed next', 'last'])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('a blocking tag with data-anti-flicker starts during its evaluation, so the page is hidden before its first paint', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/blank.html')
    await page.setContent(
      '<!doctype html><html><head><script src="/dist/seglet.min.js" data-consent="granted" data-anti-flicker="true"></script>' +
        '<script>window.__seen = { queueArrayAfterEvaluation: Array.isArray(window.seglet), pendingAfterEvaluation: document.documentElement.classList.contains("seglet-pending") }</script>' +
        '</head><body><p data-seglet-show="engaged">for engaged shoppers</p></body></html>',
    )
    const seen = await page.evaluate(() => (window as unknown as { __seen: unknown }).__seen)
    expect(seen).toEqual({ queueArrayAfterEvaluation: false, pendingAfterEvaluation: true })
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('an async tag with data-anti-flicker waits for its task like any other', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/blank.html')
    await page.evaluate(addTag, { calls: false, antiFlicker: true })
    await page.waitForFunction(() => !Array.isArray((window as unknown as { seglet: unknown }).seglet))
    const seen = await page.evaluate(() => (window as unknown as { __seen: unknown }).__seen)
    expect(seen).toEqual({ queueArrayAfterEvaluation: true, api: 'function', pendingAfterEvaluation: false })
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    const { events } = await readDb(page)
    expect(captured(events)).toEqual(['page_view', 'queued before the tag'])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })
})
