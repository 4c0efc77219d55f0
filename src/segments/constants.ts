/**
 * A challenger segment must beat the current one by more than this probability to take over.
 * 0.15 keeps a shopper from flipping between two near-tied segments on every event.
 */
export const DEFAULT_SWITCH_MARGIN = 0.15

/** Consecutive decisions a challenger must win by the margin before it takes over. */
export const DEFAULT_SWITCH_AFTER = 2

/** Session page views before the first real decision (unless the shopper has bought before). */
export const DEFAULT_MIN_PAGE_VIEWS = 2

/** Id of the segment used for lack of evidence (cold start). Style it with `.seglet-new-visitor`. */
export const DEFAULT_SEGMENT_ID = 'new-visitor'

/** Name of the cold-start segment when the pack's tree has no node with its id. */
export const DEFAULT_SEGMENT_NAME = 'New visitor'

/**
 * How many features `computeContributions()` returns, and how many lines of what the shopper did `explain()`
 * gives at most.
 */
export const DEFAULT_TOP_FEATURES = 3

/** Contributions that moved the probability by less than this are not worth explaining. */
export const DEFAULT_MIN_CONTRIBUTION = 0.01

/**
 * Contributions that moved the log-odds by less than this are not worth explaining (0.05 is about a
 * 1% change of a probability near one half).
 */
export const DEFAULT_MIN_LOG_ODDS_CONTRIBUTION = 0.05

/**
 * Highest intent a segment carries, the largest number below 1: so a pack's intent threshold of 1 (what
 * training writes when predicting no buyer at all was the most accurate) means no shopper is high intent under
 * the rule `intent >= intentThreshold`, also when the network's float32 sigmoid or the corrected intent is 1.
 */
export const MAX_INTENT = 1 - 2 ** -53
