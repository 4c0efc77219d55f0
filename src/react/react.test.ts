// React bindings with React's own tools: react-dom/server renders, react-dom/client hydrates under act().
import { act, Activity, createElement as h, StrictMode, useState } from 'react'
import type { ReactNode } from 'react'
import { hydrateRoot, createRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSeglet, isSegletError } from 'seglet'
import type { Seglet, Segment } from 'seglet'
import { SegletProvider, useSegment, useSegmentHint, useSeglet } from './index'

beforeAll(() => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
})

let running: Seglet[] = []
let n = 0
afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

const options = () => ({ consent: 'granted' as const, storage: { dbName: `react-test-${++n}` }, capture: { autocapture: false } })

const browse = async (seglet: Seglet, pages = 6): Promise<void> => {
  for (let i = 0; i < pages; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await seglet.flush()
}

/** A running Seglet that has decided a segment. */
async function decided(): Promise<{ seglet: Seglet; segment: Segment }> {
  const seglet = createSeglet(options())
  running.push(seglet)
  const first = new Promise<Segment>((resolve) => {
    const off = seglet.onSegment((s) => (off(), resolve(s)), { immediate: false })
  })
  await browse(seglet)
  return { seglet, segment: await first }
}

function Shows(): ReactNode {
  const segment = useSegment()
  return h('p', { id: 'segment' }, segment ? `segment ${segment.id}` : 'default')
}

function ShowsHint(): ReactNode {
  const hint = useSegmentHint()
  return h('p', { id: 'hint' }, hint ? `${hint.segmentId} ${hint.intentBand}` : 'no hint')
}

/** Not SSR-safe on purpose: reads the segment during render. The detector below must catch it. */
function ReadsDirectly({ seglet }: { seglet: Seglet }): ReactNode {
  return h('p', { id: 'segment' }, typeof window === 'undefined' || !seglet ? 'default' : `segment ${seglet.getSegment()?.id}`)
}

/**
 * Renders `server` with react-dom/server (as a server would, seeing no segment), then hydrates `client` over
 * that HTML, collecting every console error or warning and every recoverable hydration error.
 */
async function renderThenHydrate(server: ReactNode, client: ReactNode): Promise<{ html: string; container: HTMLElement; problems: string[] }> {
  const html = renderToString(server)
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  const problems: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void problems.push('error: ' + args.map(String).join(' ')))
  vi.spyOn(console, 'warn').mockImplementation((...args) => void problems.push('warn: ' + args.map(String).join(' ')))
  await act(async () => {
    hydrateRoot(container, client, { onRecoverableError: (error) => void problems.push('recoverable: ' + String(error)) })
  })
  return { html, container, problems }
}

describe('seglet/react', () => {
  it('renders the default on the server, hydrates without a mismatch, then shows the segment', async () => {
    const { seglet, segment } = await decided()
    // On the server there is no page: createSeglet() is inert there, and the hook renders the default.
    const { html, container, problems } = await renderThenHydrate(
      h(SegletProvider, { seglet: null }, h(Shows)),
      h(SegletProvider, { seglet }, h(Shows)),
    )
    expect(html).toBe('<p id="segment">default</p>')
    expect(problems).toEqual([])
    expect(container.textContent).toBe(`segment ${segment.id}`)
  })

  it('detects a mismatch when a component reads the segment during render (the check can fail)', async () => {
    const { seglet } = await decided()
    const { problems } = await renderThenHydrate(h(ReadsDirectly, { seglet: null as never }), h(ReadsDirectly, { seglet }))
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.join('\n')).toMatch(/hydrat|match/i)
  })

  it('server-renders with the segment hint and keeps it through hydration, then follows the live segment', async () => {
    const { seglet, segment } = await decided()
    const hint = { segmentId: 'casual-browser', intentBand: 'low' } as const
    const { html, container, problems } = await renderThenHydrate(
      h(SegletProvider, { seglet: null, hint }, h(ShowsHint)),
      h(SegletProvider, { seglet, hint }, h(ShowsHint)),
    )
    expect(html).toBe('<p id="hint">casual-browser low</p>')
    expect(problems).toEqual([])
    const band = segment.intent >= segment.intentThreshold ? 'high' : segment.intent >= segment.intentThreshold / 2 ? 'medium' : 'low'
    expect(container.textContent).toBe(`${segment.id} ${band}`)
  })

  it('re-renders when the segment changes and stops listening on unmount', async () => {
    const seglet = createSeglet(options())
    running.push(seglet)
    const container = document.createElement('div')
    document.body.append(container)
    // Every subscription the hook makes, and whether it was ended.
    const subscriptions: { ended: boolean }[] = []
    const onSegment = seglet.onSegment.bind(seglet)
    vi.spyOn(seglet, 'onSegment').mockImplementation((callback, opts) => {
      const entry = { ended: false }
      subscriptions.push(entry)
      const off = onSegment(callback, opts)
      return () => ((entry.ended = true), off())
    })
    const root = createRoot(container)
    await act(async () => root.render(h(SegletProvider, { seglet }, h(Shows))))
    expect(container.textContent).toBe('default')
    const changed = new Promise<Segment>((resolve) => {
      const off = seglet.onSegment((s) => (off(), resolve(s)), { immediate: false })
    })
    await act(async () => {
      await browse(seglet)
      await changed
    })
    expect(container.textContent).toBe(`segment ${seglet.getSegment()?.id}`)
    expect(subscriptions.filter((s) => !s.ended).length).toBeGreaterThan(0)
    await act(async () => root.unmount())
    expect(subscriptions.every((s) => s.ended)).toBe(true)
  })

  it('returns null in the holdout arm, where the page is not personalised, for the segment and for the hint', async () => {
    const seglet = createSeglet({ ...options(), personalize: { holdout: 1 } })
    running.push(seglet)
    await browse(seglet)
    await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    await act(async () => root.render(h(SegletProvider, { seglet }, h(Shows), h(ShowsHint))))
    expect(container.textContent).toBe('defaultno hint')
    await act(async () => root.unmount())
  })

  it('returns null again after forget(), for the segment and for the hint', async () => {
    const { seglet, segment } = await decided()
    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    await act(async () => root.render(h(SegletProvider, { seglet }, h(Shows), h(ShowsHint))))
    expect(container.textContent).toMatch(new RegExp(`^segment ${segment.id}${segment.id} `))
    await act(async () => {
      await seglet.forget()
      await new Promise((r) => setTimeout(r, 0))
    })
    expect(seglet.getSegment()).toBeNull()
    expect(container.textContent).toBe('defaultno hint')
    // And it follows the next decision as before.
    await act(async () => {
      const next = new Promise<Segment>((resolve) => {
        const off = seglet.onSegment((s) => (off(), resolve(s)), { immediate: false })
      })
      await browse(seglet)
      await next
    })
    expect(container.querySelector('#segment')!.textContent).toBe(`segment ${seglet.getSegment()?.id}`)
    await act(async () => root.unmount())
  })

  it('returns null after the app destroys its Seglet, for the segment and for the hint', async () => {
    const { seglet, segment } = await decided()
    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    const hint = { segmentId: 'casual-browser', intentBand: 'high' } as const
    await act(async () => root.render(h(SegletProvider, { seglet, hint }, h(Shows), h(ShowsHint))))
    expect(container.textContent).toMatch(new RegExp(`^segment ${segment.id}${segment.id} `))
    await act(async () => {
      await seglet.destroy()
      await new Promise((r) => setTimeout(r, 0))
    })
    // The page is not personalised any more: its <html> markers are gone.
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect(container.textContent).toBe('defaultno hint')
    // Nor after a re-render, nor in a component mounted later.
    await act(async () => root.render(h(SegletProvider, { seglet, hint }, h(Shows), h(ShowsHint), h(Shows))))
    expect(container.textContent).toBe('defaultno hintdefault')
    await act(async () => root.unmount())
  })

  it('starts Seglet from options only in the browser, after mounting, and destroys it on unmount (StrictMode too)', async () => {
    let seen: Seglet | null | undefined
    function Probe(): ReactNode {
      seen = useSeglet()
      return h('p', null, seen ? 'running' : 'not yet')
    }
    const opts = options()
    expect(renderToString(h(SegletProvider, { options: opts }, h(Probe)))).toBe('<p>not yet</p>')
    expect(seen).toBeNull()

    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    await act(async () => root.render(h(StrictMode, null, h(SegletProvider, { options: opts }, h(Probe)))))
    expect(container.textContent).toBe('running')
    const instance = seen!
    expect(instance.getConsent()).toBe('granted')
    await act(async () => {
      await browse(instance)
    })
    await vi.waitFor(() => expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(true), { timeout: 15_000 })
    const destroy = vi.spyOn(instance, 'destroy')
    await act(async () => root.unmount())
    expect(destroy).toHaveBeenCalledTimes(1)
    // Destroyed: the page markers are taken off.
    await vi.waitFor(() => expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false))
  })

  it('starts one Seglet from options under StrictMode, so a development build captures the page view once', async () => {
    const seen = new Set<Seglet>()
    function Probe(): ReactNode {
      const seglet = useSeglet()
      if (seglet) seen.add(seglet)
      return null
    }
    // Autocapture on: every Seglet started records the page view.
    const opts = { consent: 'granted' as const, storage: { dbName: `react-test-${++n}` } }
    const container = document.body.appendChild(document.createElement('div'))
    const root = createRoot(container)
    const problems: string[] = []
    vi.spyOn(console, 'warn').mockImplementation((...args) => void problems.push(args.map(String).join(' ')))
    await act(async () => root.render(h(StrictMode, null, h(SegletProvider, { options: { ...opts, onError: (e) => void problems.push(e.code) } }, h(Probe)))))
    expect(seen.size).toBe(1)
    const [instance] = seen
    await instance.flush()
    const { events } = await instance.exportData()
    expect(events.filter((e) => e.type === 'page_view')).toHaveLength(1)
    const destroy = vi.spyOn(instance, 'destroy')
    await act(async () => root.unmount())
    expect(destroy).toHaveBeenCalledTimes(1)
    expect(problems).toEqual([])
  })

  it('reports a Seglet that cannot start from options once (StrictMode too) and keeps rendering the page without it', async () => {
    const errors: unknown[] = []
    let seen: Seglet | null | undefined
    function Probe(): ReactNode {
      seen = useSeglet()
      return h('p', null, useSegment()?.id ?? 'default')
    }
    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    const uncaught: unknown[] = []
    // A consent value from a consent manager that Seglet does not know: the effect must not take the shop's tree down.
    const opts = { ...options(), consent: 'unknown' as never, onError: (e: unknown) => void errors.push(e) }
    await act(async () => {
      try {
        root.render(h(StrictMode, null, h(SegletProvider, { options: opts }, h(Probe))))
      } catch (error) {
        uncaught.push(error)
      }
    })
    expect(uncaught).toEqual([])
    expect(container.textContent).toBe('default')
    expect(seen).toBeNull()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'OptionsError', code: 'invalid_option' })
    await act(async () => root.unmount())
  })

  it('without onError, warns about a bad option as seglet/vue and the script tag do: one console.warn line with its code', async () => {
    const bad = { ...options(), consent: 'unknown' as never }
    let thrown: { code: string; message: string } | undefined
    try {
      createSeglet(bad)
    } catch (error) {
      thrown = error as { code: string; message: string }
    }
    expect(thrown?.code).toBe('invalid_option')
    const warnings: unknown[][] = []
    vi.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args))
    const root = createRoot(document.body.appendChild(document.createElement('div')))
    await act(async () => root.render(h(StrictMode, null, h(SegletProvider, { options: bad }, h(Shows)))))
    expect(warnings).toEqual([[`Seglet invalid_option: ${thrown!.message}`]])
    await act(async () => root.unmount())
  })

  it('starts without anti-flicker from options, which would hide the page React has painted, and says so once (StrictMode too)', async () => {
    const errors: unknown[] = []
    const pending: boolean[] = []
    const watch = new MutationObserver(() => pending.push(document.documentElement.classList.contains('seglet-pending')))
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] })
    let seen: Seglet | null = null
    function Probe(): ReactNode {
      seen = useSeglet()
      return h('p', null, 'painted')
    }
    const opts = { ...options(), personalize: { antiFlicker: true, antiFlickerTimeoutMs: 5_000 }, onError: (e: unknown) => void errors.push(e) }
    const root = createRoot(document.body.appendChild(document.createElement('div')))
    await act(async () => root.render(h(StrictMode, null, h(SegletProvider, { options: opts }, h(Probe)))))
    expect(seen).not.toBeNull()
    await act(async () => {
      await browse(seen!)
    })
    await vi.waitFor(() => expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(true), { timeout: 15_000 })
    watch.disconnect()
    expect(pending.filter(Boolean)).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'OptionsError', code: 'invalid_option', field: 'personalize.antiFlicker' })
    expect((errors[0] as Error).message).toMatch(/createSeglet\(\) before rendering/)
    // The options the app passed are left as they were.
    expect(opts.personalize.antiFlicker).toBe(true)
    await act(async () => root.unmount())

    // Without onError: one console.warn line, in the words of every other report.
    const warnings: unknown[][] = []
    vi.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args))
    const again = createRoot(document.body.appendChild(document.createElement('div')))
    await act(async () => again.render(h(StrictMode, null, h(SegletProvider, { options: { ...options(), personalize: { antiFlicker: true } } }, h(Probe)))))
    expect(warnings).toHaveLength(1)
    expect(String(warnings[0][0])).toMatch(/^Seglet invalid_option: personalize\.antiFlicker needs Seglet to start before the first paint/)
    expect(document.documentElement.classList.contains('seglet-pending')).toBe(false)
    await act(async () => again.unmount())
  })

  it('reports an options object that throws as it is read (a getter) as a SegletError start_failed, through onError or one console.warn line', async () => {
    const reported: unknown[] = []
    const throwing = (onError?: (error: unknown) => void) => ({
      ...options(),
      onError,
      get consent(): 'granted' {
        throw new Error('storage is blocked')
      },
    })
    const warnings: unknown[][] = []
    vi.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args))
    for (const given of [throwing((error) => reported.push(error)), throwing()]) {
      const root = createRoot(document.body.appendChild(document.createElement('div')))
      await act(async () => root.render(h(SegletProvider, { options: given }, h(Shows))))
      await act(async () => root.unmount())
    }
    expect(reported).toHaveLength(1)
    expect(isSegletError(reported[0])).toBe(true)
    expect(reported[0]).toMatchObject({ code: 'start_failed', message: 'Seglet could not start: Error: storage is blocked' })
    expect((reported[0] as Error).cause).toBeInstanceOf(Error)
    expect(warnings).toEqual([['Seglet start_failed: Seglet could not start: Error: storage is blocked']])
  })

  it('reads options once, and destroys the Seglet it started when they are taken away or a seglet is given', async () => {
    const seen: (Seglet | null)[] = []
    function Probe(): ReactNode {
      seen.push(useSeglet())
      return null
    }
    const root = createRoot(document.body.appendChild(document.createElement('div')))
    await act(async () => root.render(h(SegletProvider, { options: options() }, h(Probe))))
    const first = seen.at(-1)!
    const destroy = vi.spyOn(first, 'destroy')
    // New options (an object written inline is new at every render) change nothing.
    await act(async () => root.render(h(SegletProvider, { options: { ...options(), consent: 'denied' } }, h(Probe))))
    expect(seen.at(-1)).toBe(first)
    expect(first.getConsent()).toBe('granted')
    await act(async () => root.render(h(SegletProvider, null, h(Probe))))
    expect(destroy).toHaveBeenCalledTimes(1)
    expect(seen.at(-1)).toBeNull()
    await act(async () => root.render(h(SegletProvider, { options: options() }, h(Probe))))
    const second = seen.at(-1)!
    expect(second).not.toBe(first)
    const destroySecond = vi.spyOn(second, 'destroy')
    const { seglet } = await decided()
    await act(async () => root.render(h(SegletProvider, { seglet, options: options() }, h(Probe))))
    expect(destroySecond).toHaveBeenCalledTimes(1)
    expect(seen.at(-1)).toBe(seglet)
    await act(async () => root.unmount())
  })

  it('renders the default without a provider', () => {
    expect(renderToString(h(Shows))).toBe('<p id="segment">default</p>')
    expect(renderToString(h(ShowsHint))).toBe('<p id="hint">no hint</p>')
  })
})

describe("useSegmentHint(): the server's hint stands in until Seglet decides on the page, not after forget() or in the holdout", () => {
  it('useSegmentHint() is null after forget(), even when the server passed a hint', async () => {
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'hint-react-1' }, capture: { autocapture: false } })
    running.push(seglet)
    const first = new Promise<Segment>((resolve) => {
      const off = seglet.onSegment((s) => (off(), resolve(s)), { immediate: false })
    })
    await browse(seglet)
    const segment = await first
    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    // The hint the server read from the cookie on this request.
    const hint = { segmentId: 'casual-browser', intentBand: 'high' } as const
    await act(async () => root.render(h(SegletProvider, { seglet, hint }, h(ShowsHint))))
    expect(container.textContent).toMatch(new RegExp(`^${segment.id} `))
    await act(async () => {
      await seglet.forget()
      await new Promise((r) => setTimeout(r, 0))
    })
    expect(seglet.getSegment()).toBeNull()
    expect(container.textContent).toBe('no hint')
    await act(async () => root.unmount())
  })

  it('useSegmentHint() is null in the holdout arm, even when the server passed a hint', async () => {
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'hint-react-2' }, capture: { autocapture: false }, personalize: { holdout: 1 } })
    running.push(seglet)
    await browse(seglet)
    await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    await act(async () => root.render(h(SegletProvider, { seglet, hint: { segmentId: 'casual-browser', intentBand: 'high' } }, h(ShowsHint))))
    expect(container.textContent).toBe('no hint')
    await act(async () => root.unmount())
  })

  it('useSegmentHint() in a component mounted after forget() or after a holdout decision never shows the hint', async () => {
    const hint = { segmentId: 'casual-browser', intentBand: 'high' } as const
    const rendered: string[] = []
    function Logs(): ReactNode {
      const value = useSegmentHint()
      rendered.push(value ? `${value.segmentId} ${value.intentBand}` : 'no hint')
      return null
    }
    // A page (say a client-side navigation under a root layout's provider) mounts a component after forget().
    const { seglet } = await decided()
    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    // Nothing on this page reads the hint: the provider still notes that the page decided.
    await act(async () => root.render(h(SegletProvider, { seglet, hint }, h(Shows))))
    await act(async () => {
      await seglet.forget()
      await new Promise((r) => setTimeout(r, 0))
    })
    await act(async () => root.render(h(SegletProvider, { seglet, hint }, h(Shows), h(ShowsHint), h(Logs))))
    await act(async () => new Promise((r) => setTimeout(r, 600)))
    expect(rendered).toEqual(rendered.map(() => 'no hint'))
    expect(container.textContent).toBe('defaultno hint')
    await act(async () => root.unmount())

    // In the holdout arm, decided before the component mounts: not even its first render shows the hint.
    rendered.length = 0
    const held = createSeglet({ ...options(), personalize: { holdout: 1 } })
    running.push(held)
    await browse(held)
    await vi.waitFor(() => expect(held.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    const other = createRoot(container)
    await act(async () => other.render(h(SegletProvider, { seglet: held, hint }, h(Logs))))
    expect(rendered.length).toBeGreaterThan(0)
    expect(rendered).toEqual(rendered.map(() => 'no hint'))
    await act(async () => other.unmount())
  })

  it('a component mounted after the page decided, in a hydrated page, renders the segment from its first render', async () => {
    const { seglet, segment } = await decided()
    const rendered: string[] = []
    function Later(): ReactNode {
      const value = useSegment()
      rendered.push(value ? value.id : 'default')
      return h('p', null, value ? value.id : 'default')
    }
    // The server rendered the default; once hydrated, the page shows a part it did not render before (a route).
    let show: (on: boolean) => void = () => {}
    function Page(): ReactNode {
      const [on, setOn] = useState(false)
      show = setOn
      return h('div', null, h(Shows), on ? h(Later) : null)
    }
    const { container, problems } = await renderThenHydrate(h(SegletProvider, { seglet: null }, h(Page)), h(SegletProvider, { seglet }, h(Page)))
    expect(problems).toEqual([])
    await act(async () => show(true))
    expect(rendered).toEqual([segment.id])
    expect(container.textContent).toBe(`segment ${segment.id}${segment.id}`)
  })

  it('a hint written inline (a new object each render) re-renders no consumer and restarts no check while its content stays', async () => {
    // Undecided: the provider and the hook look for the first decision every 250 ms.
    const seglet = createSeglet(options())
    running.push(seglet)
    const checks = { started: 0, stopped: 0 }
    const timers = new Set<unknown>()
    const setInterval = globalThis.setInterval.bind(globalThis)
    const clearInterval = globalThis.clearInterval.bind(globalThis)
    vi.spyOn(globalThis, 'setInterval').mockImplementation(((callback: () => void, ms?: number) => {
      const timer = setInterval(callback, ms)
      if (ms === 250) (checks.started++, timers.add(timer))
      return timer
    }) as typeof globalThis.setInterval)
    vi.spyOn(globalThis, 'clearInterval').mockImplementation((timer) => {
      if (timers.delete(timer)) checks.stopped++
      clearInterval(timer)
    })
    let renders = 0
    function Counts(): ReactNode {
      renders++
      const value = useSegmentHint()
      return h('p', null, value ? `${value.segmentId} ${value.intentBand}` : 'no hint')
    }
    // The same element each time, as when the layout re-renders for a state of its own: only the context re-renders it.
    const child = h(Counts)
    const container = document.body.appendChild(document.createElement('div'))
    const root = createRoot(container)
    const page = (intentBand: 'high' | 'low') => h(SegletProvider, { seglet, hint: { segmentId: 'casual-browser', intentBand } }, child)
    await act(async () => root.render(page('high')))
    expect(container.textContent).toBe('casual-browser high')
    const before = { renders, ...checks }
    expect(before.started).toBeGreaterThan(0)
    for (let i = 0; i < 3; i++) await act(async () => root.render(page('high')))
    expect({ renders, ...checks }).toEqual(before)
    // A hint with other content is a new hint.
    await act(async () => root.render(page('low')))
    expect(container.textContent).toBe('casual-browser low')
    expect(renders).toBeGreaterThan(before.renders)
    await act(async () => root.unmount())
    expect(timers.size).toBe(0)
  })

  it('useSegmentHint() drops the hint when the holdout arm is decided after the page mounted', async () => {
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'hint-react-3' }, capture: { autocapture: false }, personalize: { holdout: 1 } })
    running.push(seglet)
    const container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    // The server rendered with the hint of an earlier visit; this browser is held out.
    await act(async () => root.render(h(SegletProvider, { seglet, hint: { segmentId: 'casual-browser', intentBand: 'high' } }, h(ShowsHint))))
    expect(container.textContent).toBe('casual-browser high')
    await act(async () => {
      await browse(seglet)
      await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    })
    await vi.waitFor(() => expect(container.textContent).toBe('no hint'))
    await act(async () => root.unmount())
  })
})

describe('<Activity mode="hidden"> (React 19.2+) cleans up effects as an unmount does', () => {
  it('a provider with options stops its Seglet while hidden and starts one again when shown, keeping what was stored', async () => {
    const seen: (Seglet | null)[] = []
    function Probe(): ReactNode {
      const seglet = useSeglet()
      seen.push(seglet)
      return h('p', null, seglet ? 'running' : 'not yet')
    }
    // Autocapture on: every Seglet started records the page view.
    const opts = { consent: 'granted' as const, storage: { dbName: `react-test-${++n}` } }
    const root = createRoot(document.body.appendChild(document.createElement('div')))
    const tree = (mode: 'visible' | 'hidden') => h(Activity, { mode, children: h(SegletProvider, { options: opts }, h(Probe)) })
    await act(async () => root.render(tree('visible')))
    const first = seen.at(-1)!
    first.track({ type: 'product_view', productId: 'p1' })
    await first.flush()
    const destroy = vi.spyOn(first, 'destroy')
    await act(async () => root.render(tree('hidden')))
    expect(destroy).toHaveBeenCalledTimes(1)
    await act(async () => root.render(tree('visible')))
    const second = seen.at(-1)!
    expect(second).not.toBe(first)
    expect(second.getConsent()).toBe('granted')
    await second.flush()
    const { events } = await second.exportData()
    // Nothing stored is lost; the new Seglet records the page view as a new one, as a remount does.
    expect(events.filter((e) => e.type === 'product_view')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'page_view')).toHaveLength(2)
    const destroySecond = vi.spyOn(second, 'destroy')
    await act(async () => root.unmount())
    expect(destroySecond).toHaveBeenCalledTimes(1)
  })

  it('a provider given a seglet keeps it through hiding: the hooks follow the same segment when shown again', async () => {
    const { seglet, segment } = await decided()
    const destroy = vi.spyOn(seglet, 'destroy')
    const container = document.body.appendChild(document.createElement('div'))
    const root = createRoot(container)
    const tree = (mode: 'visible' | 'hidden') => h(Activity, { mode, children: h(SegletProvider, { seglet }, h(Shows)) })
    await act(async () => root.render(tree('visible')))
    expect(container.textContent).toBe(`segment ${segment.id}`)
    await act(async () => root.render(tree('hidden')))
    await act(async () => root.render(tree('visible')))
    expect(container.textContent).toBe(`segment ${segment.id}`)
    expect(destroy).not.toHaveBeenCalled()
    await act(async () => root.unmount())
  })
})
