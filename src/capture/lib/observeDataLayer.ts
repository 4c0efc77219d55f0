import { BridgeError } from '../../errors/index'
import { wrapMethod } from './wrapMethod'

/** Entries already in the data layer when Seglet starts that are replayed; older ones are ignored. */
const MAX_BACKLOG = 1000

/**
 * Feeds `onEntry` every entry of `window[name]`: the ones already there, then every pushed one. `push` keeps
 * its behaviour and return value (GTM's own wrapper included). A missing data layer is created as `[]`, the
 * way the GTM snippet does, so a tag loading later (`window.dataLayer = window.dataLayer || []`) adopts it.
 * Returns a function that unwraps `push`.
 */
export function observeDataLayer(win: Window, name: string, onEntry: (entry: unknown) => void): () => void {
  const host = win as unknown as Record<string, unknown>
  if (host[name] === undefined) host[name] = []
  const layer = host[name] as unknown[]
  if (!Array.isArray(layer) || typeof layer.push !== 'function') {
    throw new BridgeError(`window.${name} is not an array: GA4 bridge not started`)
  }
  const backlog = layer.slice(-MAX_BACKLOG)
  const restore = wrapMethod(layer, 'push', (args) => {
    for (let i = 0; i < args.length; i++) onEntry(args[i])
  })
  for (const entry of backlog) onEntry(entry)
  return restore
}
