export { createSegmentEngine } from './createSegmentEngine'
export { computeContributions } from './computeContributions'
export { explainFeatures } from './explainFeatures'
export { describeFeature } from './describeFeature'
export {
  DEFAULT_SWITCH_MARGIN,
  DEFAULT_SWITCH_AFTER,
  DEFAULT_MIN_PAGE_VIEWS,
  DEFAULT_SEGMENT_ID,
  DEFAULT_SEGMENT_NAME,
  DEFAULT_TOP_FEATURES,
  DEFAULT_MIN_CONTRIBUTION,
  DEFAULT_MIN_LOG_ODDS_CONTRIBUTION,
} from './constants'
export type {
  Segment,
  FunnelFacts,
  ValueSegment,
  Explanation,
  Evidence,
  DecisionInput,
  SegmentDecision,
  SegmentOptions,
  SegmentEngine,
  Contribution,
  ContributionGroup,
  ContributionInput,
  PredictionForExplain,
  ExplainOptions,
} from './types'
