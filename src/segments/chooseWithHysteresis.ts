import { argmax } from './argmax'

/** What hysteresis remembers between decisions for one head. */
export interface HysteresisState {
  /** Id currently held, or null when nothing model-decided is held yet. */
  currentId: string | null
  /** The challenger that beat the current id by the margin in the latest decisions. */
  challengerId: string | null
  /** How many consecutive decisions the challenger has won by the margin. */
  streak: number
}

/**
 * Pick the label to hold: the current one unless the top challenger beats it by more than
 * `margin` for `switchAfter` consecutive decisions. Mutates and returns nothing but `state`.
 *
 * @returns index of the chosen label in `labels`
 */
export function chooseWithHysteresis(
  probs: ArrayLike<number>,
  labels: readonly string[],
  state: HysteresisState,
  margin: number,
  switchAfter: number,
): number {
  const best = argmax(probs)
  const current = state.currentId === null ? -1 : labels.indexOf(state.currentId)
  // Nothing held yet, or the held id is not in this head (e.g. a new pack): take the best at once.
  if (current === -1 || best === current) return hold(state, labels, best)
  if (probs[best] - probs[current] > margin) {
    const challenger = labels[best]
    state.streak = state.challengerId === challenger ? state.streak + 1 : 1
    state.challengerId = challenger
    if (state.streak >= switchAfter) return hold(state, labels, best)
    return current
  }
  // The streak must be consecutive: a decision inside the margin resets it.
  state.challengerId = null
  state.streak = 0
  return current
}

function hold(state: HysteresisState, labels: readonly string[], index: number): number {
  state.currentId = labels[index]
  state.challengerId = null
  state.streak = 0
  return index
}
