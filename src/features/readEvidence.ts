import type { StoredEvent } from '../events/types'
import { DEFAULT_SESSION_GAP_MS } from './sessionize'

/** What tells a real decision from a cold start, read without computing features. */
export interface EvidenceCount {
  /** Page views in the current session (the same count as `computeFeatures().session.pageViews`). */
  pageViews: number
  /** Distinct orders in the history (the same count as `computeFeatures().lifetime.orders`). */
  orders: number
}

/**
 * Counts the current session's page views and the stored orders, as `computeFeatures()` would, in one pass
 * and without the model: the core uses it to tell whether a decision would be the cold-start default anyway.
 * Events after `now` are ignored.
 *
 * @example
 * const { pageViews, orders } = readEvidence(events, Date.now())
 */
export function readEvidence(events: readonly StoredEvent[], now: number, gapMs = DEFAULT_SESSION_GAP_MS): EvidenceCount {
  const past = events.filter((e) => e.ts <= now).sort((a, b) => a.ts - b.ts)
  const orders = new Set<string>()
  let pageViews = 0
  let inSession = true
  for (let i = past.length - 1; i >= 0; i--) {
    const event = past[i]
    if (i < past.length - 1 && past[i + 1].ts - event.ts > gapMs) inSession = false
    if (inSession && event.type === 'page_view') pageViews++
    if (event.type === 'purchase') orders.add(event.orderId)
  }
  return { pageViews, orders: orders.size }
}
