// The SDK's internals in one ES module for the benchmarks (Node and Chromium): each stage measured on
// its own, with the model runtime linked in statically (no lazy chunk to wait for).
export { createCapture } from '../../src/capture'
export { createStore } from '../../src/store'
export { computeFeatures } from '../../src/features'
export { createSegmentEngine } from '../../src/segments'
export { createModelRuntime } from '../../src/model/runtime'
export { decideSegment } from '../../src/core/decideSegment'
export { validateEvent } from '../../src/events'
export { applyFeatureSpec } from '../../src/features'
export { SHIPPED_PACKS } from '../../src/model/shippedPacks'
export { decisionTolerance } from '../../src/core/decideSegment'
export { createBlocks } from '../../src/personalize/createBlocks'
