import type { StoredEvent } from '../../events/types'

/**
 * Events from several sources (IndexedDB, in-flight and queued batches, memory), each id once, sorted by
 * `ts`. Pass the sources oldest first: for an id in several, the last source's record wins (an updated
 * engagement record that is queued replaces the stored one). The sort is stable, so events of one
 * millisecond keep their source order.
 */
export function mergeEvents(sources: Iterable<Iterable<StoredEvent>>): StoredEvent[] {
  const byId = new Map<string, StoredEvent>()
  for (const source of sources) {
    for (const event of source) byId.set(event.id, event)
  }
  return [...byId.values()].sort((a, b) => a.ts - b.ts)
}
