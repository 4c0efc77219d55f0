// @vitest-environment node
// Server rendering in Node: the plugin starts an inert Seglet, which reports nothing.
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { describe, expect, it } from 'vitest'
import { createSegletPlugin, useSegment, useSeglet } from './index'

describe('seglet/vue in Node', () => {
  it('renders the default and the Seglet it starts is inert', async () => {
    const errors: unknown[] = []
    let started: ReturnType<typeof useSeglet> = null
    const App = defineComponent({
      setup() {
        const segment = useSegment()
        started = useSeglet()
        return () => h('p', segment.value ? segment.value.id : 'default')
      },
    })
    const app = createSSRApp(App).use(createSegletPlugin({ options: { consent: 'granted', onError: (e) => errors.push(e) } }))
    expect(await renderToString(app)).toBe('<p>default</p>')
    // Unlike React's provider, which starts Seglet only once mounted, the plugin gives the inert Seglet.
    expect(started).not.toBeNull()
    started!.track({ type: 'page_view', url: '/', pageType: 'home' })
    await started!.flush()
    await new Promise((r) => setTimeout(r, 200))
    expect(started!.getSegment()).toBeNull()
    expect(errors).toEqual([])
  })

  it('renders the page when the options are bad, reporting them instead of failing the request', async () => {
    const errors: unknown[] = []
    const App = defineComponent({ setup: () => () => h('p', useSeglet() ? 'running' : 'without') })
    const app = createSSRApp(App)
    app.use(createSegletPlugin({ options: { consent: 'yes' as never, onError: (e) => errors.push(e) } }))
    expect(await renderToString(app)).toBe('<p>without</p>')
    expect(errors).toMatchObject([{ code: 'invalid_option' }])
  })
})
