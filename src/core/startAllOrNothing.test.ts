// Start is all or nothing: when a platform call throws half-way through start, what started is undone and
// nothing is persisted, and the caller learns why.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CaptureDependencies } from '../capture'

afterEach(() => {
  vi.doUnmock('../capture/createCaptureWith')
  vi.resetModules()
})

describe('start is all or nothing', () => {
  it('a platform call that throws after capture started leaves nothing running or persisted, and says why', async () => {
    vi.resetModules()
    vi.doMock('../capture/createCaptureWith', async (importOriginal) => {
      const real = await importOriginal<typeof import('../capture/createCaptureWith')>()
      return {
        ...real,
        createCaptureWith(deps: CaptureDependencies, bridges: Parameters<typeof real.createCaptureWith>[1]) {
          const capture = real.createCaptureWith(deps, bridges)
          return {
            ...capture,
            start() {
              // The page view is captured and history is hooked; then the platform fails.
              capture.start()
              throw new TypeError('requestIdleCallback polyfill is broken')
            },
          }
        },
      }
    })
    const { createSeglet } = await import('./index')
    const { isSegletError } = await import('../errors')
    const dbName = `core-half-${Date.now()}`
    const pushState = history.pushState
    let error: unknown
    try {
      createSeglet({ consent: 'granted', storage: { dbName, flushDelayMs: 0 } })
    } catch (e) {
      error = e
    }
    expect(isSegletError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'start_failed' })
    expect((error as Error).message).toContain('requestIdleCallback polyfill is broken')
    // Capture is undone, and neither idle time, navigation nor the page going away writes anything.
    expect(history.pushState).toBe(pushState)
    history.pushState(null, '', '/after-failed-start')
    window.dispatchEvent(new Event('pagehide'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await indexedDB.databases()).some((d) => d.name === dbName)).toBe(false)
  })
})
