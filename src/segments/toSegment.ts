import type { FunnelFacts, Segment, ValueSegment } from './types'

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128
const isProbability = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1
const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every(isId)

/**
 * A `Segment` from untrusted stored data (a previous page load), or null when it does not have the
 * shape of one. Fills `pathNames` for segments stored by an older version.
 */
export function toSegment(value: unknown): Segment | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (!isId(v.id) || typeof v.name !== 'string' || !isIdList(v.path)) return null
  if (v.path[v.path.length - 1] !== v.id) return null
  if (!isProbability(v.confidence) || !isProbability(v.intent) || !isProbability(v.intentThreshold)) return null
  if (typeof v.decidedAt !== 'number' || !Number.isFinite(v.decidedAt)) return null
  const segment: Segment = {
    id: v.id,
    name: v.name,
    path: [...v.path],
    pathNames: namesFor(v.path, v.pathNames),
    confidence: v.confidence,
    intent: v.intent,
    intentThreshold: v.intentThreshold,
    coldStart: v.coldStart === true,
    decidedAt: v.decidedAt,
    reasons: Array.isArray(v.reasons)
      ? v.reasons.filter((r) => typeof r === 'object' && r !== null && typeof r.text === 'string')
      : [],
  }
  if (typeof v.description === 'string') segment.description = v.description
  const funnel = toFunnel(v.funnel)
  if (funnel) segment.funnel = funnel
  const valueSegment = toValueSegment(v.valueSegment)
  if (valueSegment) segment.valueSegment = valueSegment
  if (isProbability(v.repeatProbability)) segment.repeatProbability = v.repeatProbability
  return segment
}

function toFunnel(value: unknown): FunnelFacts | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0
  if (typeof v.cartReached !== 'boolean' || typeof v.checkoutReached !== 'boolean' || typeof v.inIntent !== 'boolean') return null
  if (!count(v.productsAdded) || !count(v.cartValue)) return null
  return { cartReached: v.cartReached, checkoutReached: v.checkoutReached, productsAdded: v.productsAdded, cartValue: v.cartValue, inIntent: v.inIntent }
}

function toValueSegment(value: unknown): ValueSegment | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (!isId(v.id) || typeof v.name !== 'string' || !isIdList(v.path) || !isProbability(v.confidence)) return null
  return { id: v.id, name: v.name, path: [...v.path], pathNames: namesFor(v.path, v.pathNames), confidence: v.confidence }
}

function namesFor(path: string[], names: unknown): string[] {
  return Array.isArray(names) && names.length === path.length && names.every((n) => typeof n === 'string')
    ? [...names]
    : [...path]
}
