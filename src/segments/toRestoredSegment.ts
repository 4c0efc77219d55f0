import type { Segment } from './types'

/**
 * The segment of an earlier visit as stored by Seglet, marked `restored`, or `null` when the stored value
 * does not look like one or has expired (`expiresAt`: the events it was decided from are gone by then, and so is
 * what came of them, its intent and funnel facts). A light check for the core, which applies it before the model part loads; the
 * segment engine validates it fully (`toSegment()`) when the model re-decides.
 *
 * @example
 * const restored = toRestoredSegment(await store.getMeta('segment'))
 */
export function toRestoredSegment(value: unknown): Segment | null {
  const v = value as Segment | null
  if (typeof v?.id !== 'string' || !Array.isArray(v.path) || v.path[v.path.length - 1] !== v.id) return null
  if (typeof v.intent !== 'number' || typeof v.intentThreshold !== 'number' || typeof v.coldStart !== 'boolean' || !(v.expiresAt! > Date.now())) return null
  return { ...v, pathNames: Array.isArray(v.pathNames) ? v.pathNames : v.path, reasons: [], restored: true }
}
