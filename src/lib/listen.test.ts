import { describe, expect, it, vi } from 'vitest'
import { listen } from './listen'

describe('listen()', () => {
  it('listens for each of the types, and the function it returns removes every one', () => {
    const target = new EventTarget()
    const listener = vi.fn()
    const unlisten = listen(target, 'pagehide visibilitychange', listener, true)
    target.dispatchEvent(new Event('pagehide'))
    target.dispatchEvent(new Event('visibilitychange'))
    target.dispatchEvent(new Event('pageshow'))
    expect(listener.mock.calls.map(([event]) => (event as Event).type)).toEqual(['pagehide', 'visibilitychange'])
    unlisten()
    target.dispatchEvent(new Event('pagehide'))
    target.dispatchEvent(new Event('visibilitychange'))
    expect(listener).toHaveBeenCalledTimes(2)
  })

  it('removes a capture-phase listener with the phase it was added in', () => {
    const child = document.createElement('div')
    document.body.append(child)
    const listener = vi.fn()
    const unlisten = listen(window, 'visibilitychange', listener, true)
    // Capture phase: an event that does not bubble still passes the window on its way to the element.
    child.dispatchEvent(new Event('visibilitychange'))
    expect(listener).toHaveBeenCalledTimes(1)
    unlisten()
    child.dispatchEvent(new Event('visibilitychange'))
    expect(listener).toHaveBeenCalledTimes(1)
    child.remove()
  })
})
