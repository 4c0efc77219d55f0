import type { StoredEvent } from '../../events/types'

/**
 * Events from several sources (IndexedDB, in-flight and queued batches, memory), each id once (the first
 * seen wins), sorted by `ts`. The sort is stable, so events of one millisecond keep their source order.
 */
export function mergeEvents(sources: Iterable<Iterable<StoredEvent>>): StoredEvent[] {
  const byId = new Map<string, StoredEvent>()
  for (const source of sources) {
    for (const event of source) if (!byId.has(event.id)) byId.set(event.id, event)
  }
  return [...byId.values()].sort((a, b) => a.ts - b.ts)
}
