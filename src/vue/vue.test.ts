// Vue bindings with Vue's own tools: vue/server-renderer renders, createSSRApp hydrates, createApp mounts.
import { createApp, createSSRApp, defineComponent, h, nextTick, onMounted, ref, watch } from 'vue'
import type { Component } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSeglet, isSegletError } from 'seglet'
import type { Seglet, Segment } from 'seglet'
import { createSegletPlugin, useSegment, useSegmentHint, useSeglet } from './index'

let running: Seglet[] = []
let n = 0
afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

const options = () => ({ consent: 'granted' as const, storage: { dbName: `vue-test-${++n}` }, capture: { autocapture: false } })

const browse = async (seglet: Seglet): Promise<void> => {
  for (let i = 0; i < 6; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await seglet.flush()
}

const nextSegment = (seglet: Seglet) =>
  new Promise<Segment>((resolve) => {
    const off = seglet.onSegment((s) => (off(), resolve(s)), { immediate: false })
  })

async function decided(): Promise<{ seglet: Seglet; segment: Segment }> {
  const seglet = createSeglet(options())
  running.push(seglet)
  const first = nextSegment(seglet)
  await browse(seglet)
  return { seglet, segment: await first }
}

const Shows = defineComponent({
  setup() {
    const segment = useSegment()
    return () => h('p', { id: 'segment' }, segment.value ? `segment ${segment.value.id}` : 'default')
  },
})

const ShowsHint = defineComponent({
  setup() {
    const hint = useSegmentHint()
    return () => h('p', { id: 'hint' }, hint.value ? `${hint.value.segmentId} ${hint.value.intentBand}` : 'no hint')
  },
})

/** Not SSR-safe on purpose: reads the segment during render. The detector below must catch it. */
const ReadsDirectly = defineComponent({
  setup() {
    const seglet = useSeglet()
    return () => h('p', { id: 'segment' }, seglet?.getSegment() ? `segment ${seglet.getSegment()!.id}` : 'default')
  },
})

/** Server-renders `root` with the plugin as `server`, then hydrates it with the plugin as `client`, collecting warnings. */
async function renderThenHydrate(root: Component, server: Parameters<typeof createSegletPlugin>[0], client: Parameters<typeof createSegletPlugin>[0]) {
  const html = await renderToString(createSSRApp(root).use(createSegletPlugin(server)))
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  const problems: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void problems.push('error: ' + args.map(String).join(' ')))
  vi.spyOn(console, 'warn').mockImplementation((...args) => void problems.push('warn: ' + args.map(String).join(' ')))
  const app = createSSRApp(root).use(createSegletPlugin(client))
  app.mount(container)
  await nextTick()
  return { html, container, problems, app }
}


/** Mounts `Shows` and `ShowsHint` side by side with `seglet`'s plugin, after one tick. */
async function mountBoth(seglet: Seglet) {
  const container = document.createElement('div')
  document.body.append(container)
  const Both = defineComponent({ setup: () => () => [h(Shows), h(ShowsHint)] })
  const app = createApp(Both).use(createSegletPlugin({ seglet }))
  app.mount(container)
  await nextTick()
  return { container, app }
}
describe('seglet/vue', () => {
  it('renders the default on the server, hydrates without a mismatch, then shows the segment', async () => {
    const { seglet, segment } = await decided()
    const { html, container, problems } = await renderThenHydrate(Shows, {}, { seglet })
    expect(html).toBe('<p id="segment">default</p>')
    expect(problems).toEqual([])
    expect(container.textContent).toBe(`segment ${segment.id}`)
  })

  it('detects a mismatch when a component reads the segment during render (the check can fail)', async () => {
    const { seglet } = await decided()
    const { problems } = await renderThenHydrate(ReadsDirectly, {}, { seglet })
    expect(problems.join('\n')).toMatch(/hydration/i)
  })

  it('server-renders with the segment hint and keeps it through hydration, then follows the live segment', async () => {
    const { seglet, segment } = await decided()
    const hint = { segmentId: 'casual-browser', intentBand: 'low' } as const
    const { html, container, problems } = await renderThenHydrate(ShowsHint, { hint }, { seglet, hint })
    expect(html).toBe('<p id="hint">casual-browser low</p>')
    expect(problems).toEqual([])
    const band = segment.intent >= segment.intentThreshold ? 'high' : segment.intent >= segment.intentThreshold / 2 ? 'medium' : 'low'
    expect(container.textContent).toBe(`${segment.id} ${band}`)
  })

  it('updates the ref when the segment changes, stops listening on unmount, and destroys a Seglet it started', async () => {
    const container = document.createElement('div')
    document.body.append(container)
    const app = createApp(Shows).use(createSegletPlugin({ options: options() }))
    let seglet: Seglet | null = null
    app.runWithContext(() => (seglet = useSeglet()))
    expect(seglet).not.toBeNull()
    const destroy = vi.spyOn(seglet!, 'destroy')
    app.mount(container)
    expect(container.textContent).toBe('default')
    const changed = nextSegment(seglet!)
    await browse(seglet!)
    const segment = await changed
    await nextTick()
    expect(container.textContent).toBe(`segment ${segment.id}`)
    app.unmount()
    expect(destroy).toHaveBeenCalledTimes(1)
  })

  it('reports a Seglet that cannot start from options and keeps the app running without it', async () => {
    const errors: unknown[] = []
    // A consent value from a consent manager that Seglet does not know: installing must not take the shop's app down.
    const plugin = createSegletPlugin({ options: { ...options(), consent: 'unknown' as never, onError: (e) => void errors.push(e) } })
    const Probe = defineComponent({
      setup() {
        const seglet = useSeglet()
        const segment = useSegment()
        return () => h('p', `${seglet ? 'running' : 'without'} ${segment.value?.id ?? 'default'}`)
      },
    })
    const container = document.body.appendChild(document.createElement('div'))
    const app = createApp(Probe)
    expect(() => app.use(plugin)).not.toThrow()
    app.mount(container)
    await nextTick()
    expect(container.textContent).toBe('without default')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'OptionsError', code: 'invalid_option' })
    app.unmount()
  })

  it('without onError, warns about a bad option as seglet/react and the script tag do: one console.warn line with its code', async () => {
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
    const plugin = createSegletPlugin({ options: bad })
    const apps = [createApp(Shows).use(plugin), createApp(Shows).use(plugin)]
    expect(apps.map((app) => app.runWithContext(() => useSeglet()))).toEqual([null, null])
    expect(warnings).toEqual([[`Seglet invalid_option: ${thrown!.message}`]])
  })

  it('reports an options object that throws as it is read (a getter) as a SegletError start_failed, through onError or one console.warn line', () => {
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
      const app = createApp(Shows).use(createSegletPlugin({ options: given }))
      expect(app.runWithContext(() => useSeglet())).toBeNull()
    }
    expect(reported).toHaveLength(1)
    expect(isSegletError(reported[0])).toBe(true)
    expect(reported[0]).toMatchObject({ code: 'start_failed', message: 'Seglet could not start: Error: storage is blocked' })
    expect(warnings).toEqual([['Seglet start_failed: Seglet could not start: Error: storage is blocked']])
  })

  it('takes createSegletPlugin(null) (a config read from elsewhere) as no options: the app mounts without Seglet', async () => {
    const container = document.body.appendChild(document.createElement('div'))
    const app = createApp(Shows)
    expect(() => app.use(createSegletPlugin(null))).not.toThrow()
    expect(app.runWithContext(() => useSeglet())).toBeNull()
    app.mount(container)
    await nextTick()
    app.unmount()
  })

  it('the same plugin with a bad option in two apps (two islands of one page) reports it once', async () => {
    const errors: unknown[] = []
    const plugin = createSegletPlugin({ options: { ...options(), consent: 'unknown' as never, onError: (e) => void errors.push(e) } })
    const apps = [createApp(Shows).use(plugin), createApp(Shows).use(plugin)]
    expect(apps.map((app) => app.runWithContext(() => useSeglet()))).toEqual([null, null])
    expect(errors).toMatchObject([{ code: 'invalid_option' }])
  })

  it('the same plugin in two apps (two islands of one page) starts one Seglet, so nothing is captured twice', async () => {
    const plugin = createSegletPlugin({ options: { consent: 'granted', storage: { dbName: `vue-test-${++n}` } } })
    const apps = [createApp(Shows).use(plugin), createApp(Shows).use(plugin)]
    const seglets = apps.map((app) => app.runWithContext(() => useSeglet())!)
    for (const app of apps) app.mount(document.body.appendChild(document.createElement('div')))
    await seglets[1].flush()
    const { events } = await seglets[1].exportData()
    expect(events.filter((e) => e.type === 'page_view')).toHaveLength(1)
    expect(seglets[0]).toBe(seglets[1])
    // Destroyed when the last app using it unmounts, not before.
    const destroy = vi.spyOn(seglets[0], 'destroy')
    apps[0].unmount()
    expect(destroy).not.toHaveBeenCalled()
    apps[1].unmount()
    expect(destroy).toHaveBeenCalledTimes(1)
  })

  it('destroys the Seglet when the last mounted app unmounts, though another app it was installed in never mounted', async () => {
    const plugin = createSegletPlugin({ options: options() })
    // An island whose app was created but never mounted (its element was not on this page).
    const idle = createApp(Shows).use(plugin)
    const shown = createApp(Shows).use(plugin)
    const seglet = shown.runWithContext(() => useSeglet())!
    expect(idle.runWithContext(() => useSeglet())).toBe(seglet)
    const destroy = vi.spyOn(seglet, 'destroy')
    shown.mount(document.body.appendChild(document.createElement('div')))
    shown.unmount()
    expect(destroy).toHaveBeenCalledTimes(1)
    // Mounted afterwards, the idle app starts a new Seglet from the same options, and stops it when it unmounts.
    const container = document.body.appendChild(document.createElement('div'))
    idle.mount(container)
    const next = idle.runWithContext(() => useSeglet())!
    expect(next).not.toBe(seglet)
    const changed = nextSegment(next)
    await browse(next)
    const segment = await changed
    await nextTick()
    expect(container.textContent).toBe(`segment ${segment.id}`)
    const destroyNext = vi.spyOn(next, 'destroy')
    idle.unmount()
    expect(destroyNext).toHaveBeenCalledTimes(1)
  })

  it('keeps the shared Seglet working for the other app when one of two mounted apps unmounts', async () => {
    const plugin = createSegletPlugin({ options: options() })
    const apps = [createApp(Shows).use(plugin), createApp(Shows).use(plugin)]
    const containers = apps.map((app) => {
      const container = document.body.appendChild(document.createElement('div'))
      app.mount(container)
      return container
    })
    const seglet = apps[1].runWithContext(() => useSeglet())!
    apps[0].unmount()
    const changed = nextSegment(seglet)
    await browse(seglet)
    const segment = await changed
    await nextTick()
    expect(containers[1].textContent).toBe(`segment ${segment.id}`)
    const destroy = vi.spyOn(seglet, 'destroy')
    apps[1].unmount()
    expect(destroy).toHaveBeenCalledTimes(1)
  })

  describe.each([
    ['Vue 3.5+', false],
    // Vue 3.3 and 3.4 have no app.onUnmount().
    ['Vue 3.3 and 3.4', true],
  ])('on unmount, with %s', (_, older) => {
    const createAppAs = (root: Component) => {
      const app = createApp(root)
      if (older) delete (app as { onUnmount?: unknown }).onUnmount
      return app
    }

    it('stops looking for the first decision while a hint stands in', async () => {
      // Undecided, with a hint: the plugin looks for the first decision every 250 ms.
      const seglet = createSeglet(options())
      running.push(seglet)
      const timers = new Set<unknown>()
      const setInterval = globalThis.setInterval.bind(globalThis)
      const clearInterval = globalThis.clearInterval.bind(globalThis)
      vi.spyOn(globalThis, 'setInterval').mockImplementation(((callback: () => void, ms?: number) => {
        const timer = setInterval(callback, ms)
        if (ms === 250) timers.add(timer)
        return timer
      }) as typeof globalThis.setInterval)
      vi.spyOn(globalThis, 'clearInterval').mockImplementation((timer) => (timers.delete(timer), clearInterval(timer)))
      const app = createAppAs(ShowsHint).use(createSegletPlugin({ seglet, hint: { segmentId: 'casual-browser', intentBand: 'high' } }))
      app.mount(document.body.appendChild(document.createElement('div')))
      await nextTick()
      expect(timers.size).toBeGreaterThan(0)
      app.unmount()
      expect(timers.size).toBe(0)
    })

    it('destroys a Seglet the plugin started when the last app using it unmounts, once', async () => {
      const plugin = createSegletPlugin({ options: options(), hint: { segmentId: 'casual-browser', intentBand: 'high' } })
      const apps = [createAppAs(Shows).use(plugin), createAppAs(Shows).use(plugin)]
      const seglet = apps[0].runWithContext(() => useSeglet())!
      const destroy = vi.spyOn(seglet, 'destroy')
      for (const app of apps) app.mount(document.body.appendChild(document.createElement('div')))
      apps[0].unmount()
      // Unmounting an app twice does not count for the other one.
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      apps[0].unmount()
      expect(destroy).not.toHaveBeenCalled()
      apps[1].unmount()
      expect(destroy).toHaveBeenCalledTimes(1)
    })

    it('keeps the Seglet when unmount() is called on an app that was never mounted, as Vue does nothing then', async () => {
      const app = createAppAs(Shows).use(createSegletPlugin({ options: options(), hint: { segmentId: 'casual-browser', intentBand: 'high' } }))
      const seglet = app.runWithContext(() => useSeglet())!
      const destroy = vi.spyOn(seglet, 'destroy')
      const warnings: string[] = []
      vi.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args.map(String).join(' ')))
      app.unmount()
      expect(warnings.join('\n')).toMatch(/not mounted/)
      expect(destroy).not.toHaveBeenCalled()
      // Mounted afterwards, it runs with the same live Seglet, and unmounting it then stops it.
      const container = document.body.appendChild(document.createElement('div'))
      app.mount(container)
      const changed = nextSegment(seglet)
      await browse(seglet)
      const segment = await changed
      await nextTick()
      expect(container.textContent).toBe(`segment ${segment.id}`)
      app.unmount()
      expect(destroy).toHaveBeenCalledTimes(1)
    })
  })

  it('gives null in the holdout arm, where the page is not personalised, for the segment and for the hint', async () => {
    const seglet = createSeglet({ ...options(), personalize: { holdout: 1 } })
    running.push(seglet)
    await browse(seglet)
    await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    const { container, app } = await mountBoth(seglet)
    expect(container.textContent).toBe('defaultno hint')
    app.unmount()
  })

  it('sets the refs back to null after forget(), for the segment and for the hint', async () => {
    const { seglet, segment } = await decided()
    const { container, app } = await mountBoth(seglet)
    expect(container.textContent).toMatch(new RegExp(`^segment ${segment.id}${segment.id} `))
    await seglet.forget()
    await new Promise((r) => setTimeout(r, 0))
    await nextTick()
    expect(seglet.getSegment()).toBeNull()
    expect(container.textContent).toBe('defaultno hint')
    // And it follows the next decision as before.
    const next = nextSegment(seglet)
    await browse(seglet)
    await next
    await nextTick()
    expect(container.querySelector('#segment')!.textContent).toBe(`segment ${seglet.getSegment()?.id}`)
    app.unmount()
  })

  it('sets the refs back to null after the app destroys its Seglet, for the segment and for the hint', async () => {
    const { seglet, segment } = await decided()
    const { container, app } = await mountBoth(seglet)
    expect(container.textContent).toMatch(new RegExp(`^segment ${segment.id}${segment.id} `))
    await seglet.destroy()
    await new Promise((r) => setTimeout(r, 0))
    await nextTick()
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect(container.textContent).toBe('defaultno hint')
    app.unmount()
  })

  it('renders the default without the plugin', async () => {
    expect(await renderToString(createSSRApp(Shows))).toBe('<p id="segment">default</p>')
    expect(await renderToString(createSSRApp(ShowsHint))).toBe('<p id="hint">no hint</p>')
  })
})

describe("useSegmentHint(): the server's hint stands in until Seglet decides on the page, not after forget()", () => {
  it('useSegmentHint() is null after forget(), even when the server passed a hint', async () => {
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'hint-vue-1' }, capture: { autocapture: false } })
    running.push(seglet)
    const first = new Promise<Segment>((resolve) => {
      const off = seglet.onSegment((s) => (off(), resolve(s)), { immediate: false })
    })
    await browse(seglet)
    await first
    const container = document.createElement('div')
    document.body.append(container)
    const app = createApp(ShowsHint).use(createSegletPlugin({ seglet, hint: { segmentId: 'casual-browser', intentBand: 'high' } }))
    app.mount(container)
    await seglet.forget()
    await new Promise((r) => setTimeout(r, 0))
    await nextTick()
    expect(container.textContent).toBe('no hint')
    app.unmount()
  })

  it('useSegmentHint() in a component mounted after forget() does not bring the hint back', async () => {
    const { seglet } = await decided()
    const container = document.createElement('div')
    document.body.append(container)
    // Nothing on this page reads the hint yet; the next client-side route does, after the shopper chose "Forget me".
    const later = ref(false)
    const Page = defineComponent({ setup: () => () => [h(Shows), later.value ? h(ShowsHint) : null] })
    const app = createApp(Page).use(createSegletPlugin({ seglet, hint: { segmentId: 'casual-browser', intentBand: 'high' } }))
    app.mount(container)
    await nextTick()
    await seglet.forget()
    await new Promise((r) => setTimeout(r, 0))
    later.value = true
    await nextTick()
    await new Promise((r) => setTimeout(r, 600))
    await nextTick()
    expect(container.textContent).toBe('defaultno hint')
    app.unmount()
  })

  it('useSegmentHint() drops the hint when the holdout arm is decided after the app mounted', async () => {
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'hint-vue-2' }, capture: { autocapture: false }, personalize: { holdout: 1 } })
    running.push(seglet)
    const container = document.createElement('div')
    document.body.append(container)
    // The server rendered with the hint of an earlier visit; this browser is held out.
    const app = createApp(ShowsHint).use(createSegletPlugin({ seglet, hint: { segmentId: 'casual-browser', intentBand: 'high' } }))
    app.mount(container)
    expect(container.textContent).toBe('casual-browser high')
    await browse(seglet)
    await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    await vi.waitFor(async () => {
      await nextTick()
      expect(container.textContent).toBe('no hint')
    })
    app.unmount()
  })
})

describe('useSegmentHint() in a component created after the page decided', () => {
  const hint = { segmentId: 'casual-browser', intentBand: 'high' } as const
  /** ShowsHint, noting what each render gave. */
  const recording = (renders: string[]) =>
    defineComponent({
      setup() {
        const value = useSegmentHint()
        return () => {
          const text = value.value ? `${value.value.segmentId} ${value.value.intentBand}` : 'no hint'
          renders.push(text)
          return h('p', { id: 'hint' }, text)
        }
      },
    })

  /** Mounts a page with `seglet` and the hint that shows `Later` only once `later` is set. */
  async function mountPage(seglet: Seglet, Later: Component) {
    const container = document.body.appendChild(document.createElement('div'))
    const later = ref(false)
    const Page = defineComponent({ setup: () => () => [h(Shows), later.value ? h(Later) : null] })
    const app = createApp(Page).use(createSegletPlugin({ seglet, hint }))
    app.mount(container)
    await nextTick()
    return { container, app, later }
  }

  it('never renders the hint, not even once, after forget()', async () => {
    const { seglet } = await decided()
    const renders: string[] = []
    const { container, app, later } = await mountPage(seglet, recording(renders))
    await seglet.forget()
    await new Promise((r) => setTimeout(r, 0))
    later.value = true
    await nextTick()
    expect(renders).toEqual(['no hint'])
    expect(container.textContent).toBe('defaultno hint')
    app.unmount()
  })

  it('never renders the hint, not even once, after a decision in the holdout arm', async () => {
    const seglet = createSeglet({ ...options(), personalize: { holdout: 1 } })
    running.push(seglet)
    const renders: string[] = []
    const { container, app, later } = await mountPage(seglet, recording(renders))
    await browse(seglet)
    await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    later.value = true
    await nextTick()
    expect(renders).toEqual(['no hint'])
    expect(container.textContent).toBe('defaultno hint')
    app.unmount()
  })

  it('renders the live segment from its first render, not the hint', async () => {
    const { seglet, segment } = await decided()
    const renders: string[] = []
    const { container, app, later } = await mountPage(seglet, recording(renders))
    later.value = true
    await nextTick()
    const band = segment.intent >= segment.intentThreshold ? 'high' : segment.intent >= segment.intentThreshold / 2 ? 'medium' : 'low'
    expect(`${segment.id} ${band}`).not.toBe(`${hint.segmentId} ${hint.intentBand}`)
    // Rendered again once mounted, with the same segment: never the hint.
    expect(new Set(renders)).toEqual(new Set([`${segment.id} ${band}`]))
    expect(container.textContent).toBe(`segment ${segment.id}${segment.id} ${band}`)
    await seglet.forget()
    await new Promise((r) => setTimeout(r, 0))
    await nextTick()
    expect(container.textContent).toBe('defaultno hint')
    app.unmount()
  })

  it('useSegment() renders the decided segment from its first render, so a watcher or onMounted never sees the default first', async () => {
    const { seglet, segment } = await decided()
    const renders: string[] = []
    const watched: string[] = []
    let atMount = ''
    const Later = defineComponent({
      setup() {
        const value = useSegment()
        watch(value, (s) => void watched.push(s ? s.id : 'default'))
        onMounted(() => (atMount = document.getElementById('later')!.textContent!))
        return () => {
          const text = value.value ? `segment ${value.value.id}` : 'default'
          renders.push(text)
          return h('p', { id: 'later' }, text)
        }
      },
    })
    const { container, app, later } = await mountPage(seglet, Later)
    later.value = true
    await nextTick()
    expect(renders).toEqual([`segment ${segment.id}`])
    expect(atMount).toBe(`segment ${segment.id}`)
    expect(watched).toEqual([])
    expect(container.textContent).toBe(`segment ${segment.id}segment ${segment.id}`)
    // And it still follows the segment: forget() clears it.
    await seglet.forget()
    await new Promise((r) => setTimeout(r, 0))
    await nextTick()
    expect(watched).toEqual(['default'])
    expect(container.textContent).toBe('defaultdefault')
    app.unmount()
  })

  it('server-renders the default and the hint, not the live segment, where the server has a DOM (a test runner with jsdom)', async () => {
    const { seglet } = await decided()
    const Both = defineComponent({ setup: () => () => [h(Shows), h(ShowsHint)] })
    expect(await renderToString(createSSRApp(Both).use(createSegletPlugin({ seglet, hint })))).toBe('<!--[--><p id="segment">default</p><p id="hint">casual-browser high</p><!--]-->')
  })

  it('still hydrates with the hint in the holdout arm, without a mismatch, then drops it', async () => {
    const seglet = createSeglet({ ...options(), personalize: { holdout: 1 } })
    running.push(seglet)
    await browse(seglet)
    await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    const renders: string[] = []
    const { html, container, problems } = await renderThenHydrate(recording(renders), { hint }, { seglet, hint })
    expect(html).toBe('<p id="hint">casual-browser high</p>')
    expect(problems).toEqual([])
    expect(renders).toEqual(['casual-browser high', 'casual-browser high', 'no hint'])
    expect(container.textContent).toBe('no hint')
  })
})
