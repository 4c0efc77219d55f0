import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The module keeps once-per-page state: a fresh copy for every test.
const load = async () => {
  vi.resetModules()
  return import('./loadScriptParts')
}

beforeEach(() => {
  document.head.innerHTML = '<script src="https://shop.example/js/seglet.min.js"></script>'
})

afterEach(() => {
  document.head.innerHTML = ''
})

describe('preloadScriptParts', () => {
  it('adds one low-priority modulepreload hint for the runtime beside seglet.min.js', async () => {
    const { preloadScriptParts } = await load()
    preloadScriptParts()
    preloadScriptParts()
    // Added in a task of its own, after the one that booted Seglet.
    expect(document.querySelector('link')).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 0))
    const links = document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')
    expect(links).toHaveLength(1)
    expect(links[0].href).toBe('https://shop.example/js/seglet-model.min.js')
    expect(links[0].getAttribute('fetchpriority')).toBe('low')
  })

  it('adds nothing when the runtime URL is unknown', async () => {
    document.head.innerHTML = ''
    const { preloadScriptParts } = await load()
    preloadScriptParts()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(document.querySelector('link')).toBeNull()
  })

  it('never throws into the page', async () => {
    const { preloadScriptParts } = await load()
    vi.spyOn(document, 'createElement').mockImplementation(() => {
      throw new Error('blocked')
    })
    expect(() => preloadScriptParts()).not.toThrow()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(document.querySelector('link')).toBeNull()
    vi.restoreAllMocks()
  })
})
