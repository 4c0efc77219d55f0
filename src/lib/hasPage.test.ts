// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { addHideListeners } from './addHideListeners'
import { hasPage } from './hasPage'

describe('hasPage', () => {
  it('is false without window and document (server rendering, Node), and what needs a page then does nothing', () => {
    expect(hasPage()).toBe(false)
    const flush = vi.fn()
    expect(() => addHideListeners(flush, flush)()).not.toThrow()
    expect(flush).not.toHaveBeenCalled()
  })

  it('needs both: a window without a document is no page', () => {
    vi.stubGlobal('window', {})
    try {
      expect(hasPage()).toBe(false)
      vi.stubGlobal('document', {})
      expect(hasPage()).toBe(true)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
