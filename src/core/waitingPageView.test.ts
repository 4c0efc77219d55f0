// A page whose page view waits for the bridges part (its JSON-LD product) has written nothing yet: the database
// opens without waiting for that write, so a shopper who leaves soon after still has one to write into.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Bridges } from '../capture/bridges'
import { createBlocks } from '../personalize/createBlocks'
import { exportStored } from '../store/lib/exportStored'
import { pruneEvents } from '../store/lib/pruneEvents'
import { loadLazyParts } from './loadLazyParts'
import type { Seglet, SegletOptions } from './createSeglet'
import { createSegletWith } from './createSeglet'

let running: Seglet[] = []
afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const start = (options: SegletOptions) => {
  const seglet = createSegletWith(options, {
    loadRuntime: loadLazyParts,
    // The bridges part never arrives: the page view waits for it.
    bridges: () => new Promise<Bridges>(() => {}),
    blocks: { createBlocks },
    prune: { pruneEvents, exportStored },
  })
  running.push(seglet)
  return seglet
}

describe('a page view that waits for the bridges part', () => {
  it('does not keep the database from opening, also without a model (no read of the store at start)', async () => {
    document.body.innerHTML = `<script type="application/ld+json">${JSON.stringify({ '@type': 'Product', sku: 'mug' })}</script>`
    const open = vi.spyOn(indexedDB, 'open')
    start({ consent: 'granted', model: { enabled: false }, storage: { dbName: 'waiting-page-view' } })
    await new Promise((r) => setTimeout(r, 20))
    expect(open).toHaveBeenCalledWith('waiting-page-view', expect.anything())
  })

  it('opens it when consent is granted on the page', async () => {
    document.body.innerHTML = `<script type="application/ld+json">${JSON.stringify({ '@type': 'Product', sku: 'mug' })}</script>`
    const open = vi.spyOn(indexedDB, 'open')
    const seglet = start({ model: { enabled: false }, storage: { dbName: 'waiting-page-view-consent' } })
    await new Promise((r) => setTimeout(r, 20))
    expect(open).not.toHaveBeenCalled()
    await seglet.setConsent('granted')
    expect(open).toHaveBeenCalledWith('waiting-page-view-consent', expect.anything())
  })
})
