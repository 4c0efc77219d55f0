import { expectedFeatures } from '../src/features/featureNames'
import { selectFeatures } from '../src/features/selectFeatures'
import { checkPack } from '../src/pack/checkPack'
import { decodePackWeights } from '../src/pack/decodePackWeights'
import { readPackKMeans } from '../src/pack/readPackKMeans'
import type { ModelPack, ProbabilityHead, SegmentHead } from '../src/pack/types'
import { toMatrix, columns } from './dataset'
import { assign } from './kmeans'
import { accuracyOf, averagePrecision, bestThreshold, brier, calibration, confusion, f1Of, rocAuc, rocCurve, type Confusion } from './metrics'
import { forward } from './network'

export interface BinaryScores {
  auc: number
  averagePrecision: number
  threshold: number
  accuracy: number
  f1: number
  confusion: Confusion
  bestF1Threshold: number
  bestF1: number
  bestAccuracyThreshold: number
  bestAccuracy: number
  brier: number
  positives: number
  rows: number
}

export function scoreBinary(p: ArrayLike<number>, y: ArrayLike<number>, threshold: number): BinaryScores {
  const c = confusion(p, y, threshold)
  const bf = bestThreshold(p, y, f1Of)
  const ba = bestThreshold(p, y, accuracyOf)
  let positives = 0
  for (let i = 0; i < y.length; i++) positives += y[i]
  return {
    auc: rocAuc(p, y), averagePrecision: averagePrecision(p, y), threshold, accuracy: accuracyOf(c), f1: f1Of(c), confusion: c,
    bestF1Threshold: bf.threshold, bestF1: bf.value, bestAccuracyThreshold: ba.threshold, bestAccuracy: ba.value,
    brier: brier(p, y), positives, rows: y.length,
  }
}

/**
 * Runs a pack on full feature-table vectors (`sessionVector()` / `lifetimeVector()`) exactly as the browser
 * would: the one pack check, the features the pack names, transform, dequantized weights, dense graph.
 */
export function runPack(pack: ModelPack, raws: number[][]): { outputs: Map<string, Float32Array>; x: Float32Array } {
  const expected = expectedFeatures(pack.kind)
  checkPack(pack, expected)
  const x = toMatrix(raws.map((raw) => selectFeatures(raw, expected.names, pack.featureSpec.names)), pack.featureSpec)
  // Refused as the browser refuses it: NaN or infinite weights.
  const params = decodePackWeights(pack)
  return { outputs: forward(pack.model.layers, params, x, pack.featureSpec.names.length), x }
}

export interface PackEvaluation {
  binary: BinaryScores
  roc: Array<[number, number]>
  calibration: Array<{ predicted: number; observed: number; count: number }>
  /** Share of rows where the segment head's argmax equals the nearest k-means centroid. */
  segmentAgreement: number
  segmentConfusion: number[][]
  probabilities: Float32Array
}

/** Scores a pack on raw vectors and labels: the binary head and the segment head against the stored k-means. */
export function evaluatePack(pack: ModelPack, raws: number[][], labels: ArrayLike<number>, binaryHead: string): PackEvaluation {
  const { outputs, x } = runPack(pack, raws)
  const head = pack.heads[binaryHead] as ProbabilityHead
  const seg = pack.heads.segment as SegmentHead
  const p = outputs.get(head.layer)!
  const s = outputs.get(seg.layer)!
  const km = readPackKMeans(pack)
  if (!km) throw new Error(`pack "${pack.kind}@${pack.version}" has no k-means centroids to compare its segment head with`)
  const k = seg.labels.length
  const d = pack.featureSpec.names.length
  const cols = km.features.map((name) => pack.featureSpec.names.indexOf(name))
  const truth = assign(columns(x, d, cols), cols.length, km.centroids.flat(), k)
  const conf = Array.from({ length: k }, () => new Array(k).fill(0))
  let agree = 0
  for (let i = 0; i < truth.length; i++) {
    let best = 0
    for (let j = 1; j < k; j++) if (s[i * k + j] > s[i * k + best]) best = j
    conf[truth[i]][best]++
    if (best === truth[i]) agree++
  }
  return {
    binary: scoreBinary(p, labels, head.threshold),
    roc: rocCurve(p, labels),
    calibration: calibration(p, labels),
    segmentAgreement: agree / Math.max(1, truth.length),
    segmentConfusion: conf,
    probabilities: p,
  }
}
