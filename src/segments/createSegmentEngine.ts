import { ModelPackError } from '../errors'
import { chooseWithHysteresis, type HysteresisState } from './chooseWithHysteresis'
import { clamp01 } from './clamp01'
import {
  DEFAULT_MIN_PAGE_VIEWS,
  DEFAULT_SEGMENT_ID,
  DEFAULT_SEGMENT_NAME,
  DEFAULT_SWITCH_AFTER,
  DEFAULT_SWITCH_MARGIN,
  MAX_INTENT,
} from './constants'
import { hasEnoughEvidence } from './hasEnoughEvidence'
import { resolveNode } from './resolveNode'
import { toSegment } from './toSegment'
import type { DecisionInput, Segment, SegmentEngine, SegmentOptions, ValueSegment } from './types'

/**
 * Create the decider that turns model outputs into a `Segment`, with hysteresis (a shopper keeps
 * a segment until a challenger clearly and repeatedly beats it) and a cold-start default.
 *
 * @example
 * const engine = createSegmentEngine({ switchMargin: 0.2 })
 * engine.restore(storedSegment)            // keep last visit's segment across reloads
 * const { segment, changed } = engine.decide(input)
 * if (changed) saveSegment(segment)
 */
export function createSegmentEngine(options: SegmentOptions = {}): SegmentEngine {
  const margin = options.switchMargin ?? DEFAULT_SWITCH_MARGIN
  const switchAfter = Math.max(1, Math.floor(options.switchAfter ?? DEFAULT_SWITCH_AFTER))
  const minPageViews = options.minPageViews ?? DEFAULT_MIN_PAGE_VIEWS
  const defaultId = options.defaultSegmentId ?? DEFAULT_SEGMENT_ID
  const defaultName = options.defaultSegmentName ?? DEFAULT_SEGMENT_NAME

  let current: Segment | null = null
  const session: HysteresisState = { currentId: null, challengerId: null, streak: 0 }
  const lifetime: HysteresisState = { currentId: null, challengerId: null, streak: 0 }

  function decide(input: DecisionInput): { segment: Segment; changed: boolean } {
    checkHead('session', input.sessionHead, input.sessionLabels)
    checkProbability('intent', input.intent)
    checkProbability('intentThreshold', input.intentThreshold)
    // Everything is checked before any hysteresis state moves, so a bad input leaves the engine as it was.
    if (input.lifetimeHead && input.lifetimeLabels) checkHead('lifetime', input.lifetimeHead, input.lifetimeLabels)
    if (input.repeat !== undefined) checkProbability('repeat', input.repeat)

    const { evidence } = input
    const enough = hasEnoughEvidence(evidence, minPageViews)
    let base: Pick<Segment, 'id' | 'name' | 'description' | 'path' | 'pathNames' | 'confidence' | 'coldStart'>
    if (enough) {
      const index = chooseWithHysteresis(input.sessionHead, input.sessionLabels, session, margin, switchAfter)
      const id = input.sessionLabels[index]
      base = { id, ...resolveNode(input.sessionTree, id), confidence: clamp01(input.sessionHead[index]), coldStart: false }
    } else if (current && !current.coldStart) {
      // A returning shopper at the start of a visit: last visit's segment beats the default.
      const { id, name, description, path, pathNames, confidence } = current
      base = { id, name, description, path, pathNames, confidence, coldStart: false }
      if (description === undefined) delete base.description
    } else {
      base = { id: defaultId, ...resolveNode(input.sessionTree, defaultId, defaultName), confidence: 0, coldStart: true }
    }
    const next: Segment = {
      ...base,
      intent: Math.min(clamp01(input.intent), MAX_INTENT),
      intentThreshold: clamp01(input.intentThreshold),
      decidedAt: input.now,
      reasons: input.explanation,
    }

    // Only from the lifetime pack as it ran now: without it (no stored order left) there is none.
    const value = decideValue(input)
    if (value) next.valueSegment = value
    if (input.repeat !== undefined) next.repeatProbability = clamp01(input.repeat)

    const changed =
      !current ||
      current.id !== next.id ||
      current.coldStart !== next.coldStart ||
      current.valueSegment?.id !== next.valueSegment?.id
    current = next
    return { segment: next, changed }
  }

  function decideValue(input: DecisionInput): ValueSegment | null {
    const { lifetimeHead: head, lifetimeLabels: labels } = input
    if (!head || !labels) return null
    const index = chooseWithHysteresis(head, labels, lifetime, margin, switchAfter)
    const id = labels[index]
    const { name, path, pathNames } = resolveNode(input.lifetimeTree, id)
    return { id, name, path, pathNames, confidence: clamp01(head[index]) }
  }

  function restore(value: unknown): boolean {
    const segment = value === null ? null : toSegment(value)
    if (value !== null && !segment) return false
    current = segment
    session.currentId = segment && !segment.coldStart ? segment.id : null
    lifetime.currentId = segment?.valueSegment?.id ?? null
    session.challengerId = lifetime.challengerId = null
    session.streak = lifetime.streak = 0
    return true
  }

  return {
    decide,
    restore,
    reset: () => void restore(null),
    getSegment: () => current,
    isSettled: () => session.streak === 0 && lifetime.streak === 0,
  }
}

function checkHead(which: string, head: ArrayLike<number>, labels: readonly string[]): void {
  if (!head || !labels || labels.length === 0 || head.length !== labels.length) {
    throw new ModelPackError(
      'model_failed',
      `The ${which} segment head has ${head ? head.length : 0} outputs but ${labels ? labels.length : 0} labels.`,
    )
  }
  for (let i = 0; i < head.length; i++) {
    if (!Number.isFinite(head[i])) {
      throw new ModelPackError('model_failed', `The ${which} segment head returned a non-finite value at ${i}.`)
    }
  }
}

function checkProbability(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelPackError('model_failed', `${name} must be a finite number, got ${String(value)}.`)
  }
}
