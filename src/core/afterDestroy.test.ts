// What the npm build's Seglet says once destroyed, and what it checks at start beyond each option on its own.
import { describe, expect, it } from 'vitest'
import { createStore } from '../store'
import { createSeglet } from './index'
import { OptionsError, SegletError } from '../errors'

const event = { type: 'search', query: 'linen shirt' } as const

describe('a Seglet after destroy()', () => {
  it('refuses events and exports with code destroyed, and forget() still deletes what is stored', async () => {
    const dbName = `after-destroy-${Math.random()}`
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false }, onError: () => {} })
    seglet.track(event)
    await seglet.flush()
    expect((await seglet.exportData()).events.map((e) => e.type)).toEqual(['search'])
    await seglet.destroy()

    const thrown = (() => {
      try {
        seglet.track(event)
      } catch (error) {
        return error
      }
    })()
    expect(thrown).toBeInstanceOf(SegletError)
    expect(thrown).toMatchObject({ code: 'destroyed', message: 'track() after destroy()' })
    expect(() => seglet.shopifyEvent({ name: 'page_viewed', data: {} })).toThrow(expect.objectContaining({ code: 'destroyed' }))
    // A promise that rejects, not a call that throws: `exportData().catch()` catches it.
    const exported = seglet.exportData()
    await expect(exported).rejects.toMatchObject({ code: 'destroyed', message: 'exportData() after destroy()' })

    // The event refused was not taken: what is stored is what was there, read by a new store.
    const store = createStore({ persist: true, dbName })
    expect((await store.getEvents()).map((e) => e.type)).toEqual(['search'])
    await store.close()

    // A destroyed Seglet may still delete the shopper's data.
    await seglet.forget()
    const after = createStore({ persist: true, dbName })
    expect(await after.getEvents()).toEqual([])
    await after.close()
    // Twice is fine.
    await expect(seglet.destroy()).resolves.toBeUndefined()
  })

  it('takes events as before while running', async () => {
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: `running-${Math.random()}` }, capture: { autocapture: false }, onError: () => {} })
    expect(() => seglet.track(event)).not.toThrow()
    expect(() => seglet.track({ type: 'search' } as never)).toThrow(expect.objectContaining({ code: 'invalid_event' }))
    await seglet.destroy()
  })
})

describe('createSeglet() checks the files it is told to load', () => {
  const refused = (options: Parameters<typeof createSeglet>[0]) => {
    try {
      createSeglet({ capture: { autocapture: false }, ...options })
    } catch (error) {
      return error
    }
    throw new Error('accepted')
  }

  it('refuses a file URL without its integrity hash, naming the option it needs', () => {
    for (const [group, file] of [['model', 'sessionPack'], ['model', 'lifetimePack'], ['capture', 'pageStats']] as const) {
      const error = refused({ [group]: { ...(group === 'capture' ? { autocapture: false } : {}), [`${file}Url`]: '/seglet/file.json' } })
      expect(error).toBeInstanceOf(OptionsError)
      expect(error).toMatchObject({
        code: 'invalid_option',
        field: `${group}.${file}Integrity`,
        message: `${group}.${file}Url needs ${group}.${file}Integrity ("sha256-<base64>")`,
      })
    }
  })

  it('refuses a pageStats table row that is not page statistics, naming the row and the field', () => {
    const error = refused({ capture: { autocapture: false, pageStats: { '/products/mug': { pageValue: 12.5 }, '/cart': { bounceRate: 1.5 } } } })
    expect(error).toBeInstanceOf(OptionsError)
    expect(error).toMatchObject({ code: 'invalid_option', field: 'capture.pageStats./cart.bounceRate' })
    expect((error as Error).message).toMatch(/^capture\.pageStats\.\/cart\.bounceRate must be /)
    expect(refused({ capture: { autocapture: false, pageStats: { '/a': 'high' as never } } })).toMatchObject({ code: 'invalid_option', field: 'capture.pageStats./a' })
  })

  it('starts with a URL and its hash, with a valid table, and with a pageStats function', async () => {
    const integrity = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    for (const options of [
      { model: { sessionPackUrl: '/seglet/pack.json', sessionPackIntegrity: integrity, enabled: false } },
      { capture: { autocapture: false, pageStatsUrl: '/seglet/page-stats.json', pageStatsIntegrity: integrity, pageStats: { '/a': { pageValue: 3, exitRate: 0.2 } } } },
      { capture: { autocapture: false, pageStats: () => ({ pageValue: -1 }) } },
    ]) {
      const seglet = createSeglet({ consent: 'pending', storage: { dbName: `files-${Math.random()}` }, onError: () => {}, ...options })
      await seglet.destroy()
    }
  })
})
