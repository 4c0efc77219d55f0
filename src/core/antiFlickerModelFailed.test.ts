// Anti-flicker when the model part fails: the page is revealed at once, not after the whole timeout.
import { afterEach, describe, expect, it } from 'vitest'
import { createBlocks } from '../personalize/createBlocks'
import { pruneEvents } from '../store/lib/pruneEvents'
import { exportStored } from '../store/lib/exportStored'
import { createBridges } from '../capture/bridges'
import type { SegletError } from '../errors'
import type { Seglet, SegletOptions } from './createSeglet'
import { createSegletWith } from './createSeglet'
import type { LazyParts } from './lazy'

let running: Seglet[] = []
let n = 0

afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  document.documentElement.className = ''
})

const pending = () => document.documentElement.classList.contains('seglet-pending')

const until = async (check: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

function start(options: SegletOptions, loadRuntime: () => Promise<LazyParts>) {
  const errors: SegletError[] = []
  const seglet = createSegletWith(
    {
      consent: 'granted',
      storage: { dbName: `anti-flicker-failed-${++n}` },
      capture: { autocapture: false },
      personalize: { antiFlicker: true, antiFlickerTimeoutMs: 10_000 },
      onError: (e) => errors.push(e),
      ...options,
    },
    { loadRuntime, bridges: createBridges(), blocks: { createBlocks }, prune: { pruneEvents, exportStored } },
  )
  running.push(seglet)
  return { seglet, errors }
}

describe('anti-flicker when the model part fails', () => {
  it('reveals the page as soon as the model part fails to load', async () => {
    const { errors } = start({ model: { loading: 'eager' } }, () => Promise.reject(new Error('blocked by CSP')))
    expect(pending()).toBe(true)
    await until(() => errors.some((e) => e.code === 'model_failed'))
    await until(() => !pending(), 500)
  })

  it('reveals the page as soon as the decision fails', async () => {
    const { errors } = start({ model: { loading: 'eager' } }, async () => ({
      createDecider: () => ({ decide: () => Promise.reject(new Error("no backend")), destroy() {}, reset() {} }) as never,
    }) as unknown as LazyParts)
    expect(pending()).toBe(true)
    await until(() => errors.some((e) => e.code === 'model_failed'))
    await until(() => !pending(), 500)
  })
})

describe('anti-flicker without a model', () => {
  it('reveals the page at once when the model is off', async () => {
    let loads = 0
    const { seglet } = start({ model: { enabled: false } }, () => (loads++, Promise.reject(new Error('not loaded'))))
    expect(pending()).toBe(false)
    expect(seglet.getSegment()).toBeNull()
    expect(loads).toBe(0)
  })

  it('reveals the page at once while consent is pending, as nothing decides before it is given', async () => {
    let loads = 0
    const { seglet } = start({ consent: 'pending' }, () => (loads++, Promise.reject(new Error('not loaded'))))
    expect(pending()).toBe(false)
    expect(seglet.getSegment()).toBeNull()
    // Granted later: decisions start then, with the page already shown.
    await seglet.setConsent('granted')
    expect(pending()).toBe(false)
  })

  it('keeps the page pending while consent is pending when the shop decides without consent', () => {
    start({ consent: 'pending', segmentWithoutConsent: true, model: { loading: 'eager' } }, () => new Promise(() => {}))
    expect(pending()).toBe(true)
  })
})
