import { afterEach, describe, expect, it, vi } from 'vitest'

// The script tag has one Seglet per page, held by the module: each case gets a fresh copy.
const load = async () => {
  vi.resetModules()
  return import('./instance')
}
const exists = async (name: string) => (await indexedDB.databases()).some((d) => d.name === name)

let destroy: (() => Promise<void>) | undefined
afterEach(async () => {
  await destroy?.()
  destroy = undefined
})

describe('Seglet.setConsent() before Seglet.init()', () => {
  it('"denied" from the consent banner wins over the consent in init()\'s options: nothing is stored', async () => {
    const seglet = await load()
    destroy = seglet.destroy
    seglet.configure({ capture: { autocapture: false }, storage: { dbName: 'instance-denied-first' } })
    await seglet.setConsent('denied')
    const running = seglet.init({ consent: 'granted' })
    expect(running.getConsent()).toBe('denied')
    running.track({ type: 'search', query: 'linen shirt' })
    await running.flush()
    expect(await exists('instance-denied-first')).toBe(false)
  })

  it('"granted" wins over init()\'s consent: this page\'s events are stored', async () => {
    const seglet = await load()
    destroy = seglet.destroy
    seglet.configure({ capture: { autocapture: false }, storage: { dbName: 'instance-granted-first' } })
    await seglet.setConsent('granted')
    const running = seglet.init({ consent: 'pending' })
    expect(running.getConsent()).toBe('granted')
    running.track({ type: 'search', query: 'linen shirt' })
    await running.flush()
    expect(await exists('instance-granted-first')).toBe(true)
  })

  it('without one, init()\'s consent goes over the tag\'s', async () => {
    const seglet = await load()
    destroy = seglet.destroy
    seglet.configure({ consent: 'denied', capture: { autocapture: false }, storage: { dbName: 'instance-no-early-consent' } })
    expect(seglet.init({ consent: 'granted' }).getConsent()).toBe('granted')
  })

  it('a bad value throws at the call and changes nothing', async () => {
    const seglet = await load()
    destroy = seglet.destroy
    seglet.configure({ capture: { autocapture: false }, storage: { dbName: 'instance-bad-consent' } })
    expect(() => seglet.setConsent('yes' as never)).toThrow(expect.objectContaining({ code: 'invalid_option' }))
    expect(seglet.init({ consent: 'granted' }).getConsent()).toBe('granted')
  })
})
