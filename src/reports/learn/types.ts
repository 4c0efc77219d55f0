/**
 * What a device knows for the training question (never sent): the current pack's intent logits and the raw
 * session vector of the closed session.
 */
export interface LearnTruth {
  /** Logit of the intent probability with the session's page statistics; null when the shop has none. */
  logitWithStats: number | null
  /** Logit of the intent probability with page statistics left out. */
  logitWithoutStats: number
  /** Raw session vector (`sessionVector()` of the session's aggregate). */
  raw: readonly number[]
}
