import { selectFeatures } from '../src/features/selectFeatures'
import { PACK_FORMAT_VERSION, type ModelPack, type SegmentTreeNode } from '../src/pack/types'
import { decodeWeights, encodeWeights } from '../src/pack/weightCodec'
import { columns, fitFeatureSpec, median, toMatrix } from './dataset'
import { foldsByGroup, trainEnsemble } from './ensemble'
import { evaluatePack, scoreBinary, type PackEvaluation } from './evaluatePack'
import { assign, kmeans, silhouette, type KMeansResult } from './kmeans'
import { accuracyOf, bestThreshold, rocAuc } from './metrics'
import { segmentTree, type ClusterProfile } from './naming'
import { forward } from './network'
import { K_CANDIDATES, type PackConfig } from './packConfig'
import { PUBLIC_PACK_VERSION } from './packVersion'
import { log } from './progress'
import type { TrainingData } from './trainingData'
import type { WardNode } from './ward'
import { wardTree } from './ward'

/** The first line of a pack `npm run train` writes from the data `from` names. */
const generatedFrom = (from: string) => `GENERATED FILE, do not edit. Written by \`npm run train\` (training/train.ts) from ${from}; rerun it to rebuild.`

/** The first line of every pack `npm run train` writes from the public data sets (the shipped packs). */
export const GENERATED = generatedFrom('public data')

/**
 * The first line of a pack trained on `data`: {@link GENERATED} for the public data sets (or when not said), else
 * naming the shop's files, which a pack trained on them must not call public data.
 *
 * @example
 * generatedComment({ name: 'GA4 BigQuery export ga4-events.ndjson', public: false })
 * // 'GENERATED FILE, do not edit. Written by `npm run train` (training/train.ts) from a shop's own data (GA4 BigQuery export ga4-events.ndjson); rerun it to rebuild.'
 */
export function generatedComment(data: TrainingData | undefined): string {
  if (data === undefined || data.public) return GENERATED
  return generatedFrom(`a shop's own data (${data.name})`)
}

export interface ClusterResult {
  k: number
  silhouettes: Array<{ k: number; silhouette: number; inertia: number }>
  result: KMeansResult
  profiles: ClusterProfile[]
  tree: WardNode
  segmentTree: SegmentTreeNode
  labels: string[]
  features: string[]
}

export interface PackResult {
  pack: ModelPack
  bytes: number
  test: PackEvaluation
  testNoStats?: PackEvaluation
  oofAuc: number
  clusters: ClusterResult
  seconds: number
  /** What the pack was trained on (`PackInput.data`). */
  data?: TrainingData
}

/** What `buildPack()` trains a pack from. */
export interface PackInput {
  kind: 'session' | 'lifetime'
  binaryHead: 'intent' | 'repeat'
  description: string
  config: PackConfig
  specVersion: string
  /** Feature names of the table the raw vectors follow (`SESSION_FEATURE_NAMES`, `LIFETIME_FEATURE_NAMES`). */
  tableNames: readonly string[]
  /** The features the pack reads, and their transforms. */
  names: readonly string[]
  transforms: ModelPack['featureSpec']['transforms']
  /** Training vectors (full table vectors, augmented), their labels and the source row of each (for folds and clusters). */
  trainRaw: number[][]
  trainLabels: number[]
  trainGroup: number[]
  /** Rows that k-means, profiles and names are fitted on (one per training example). */
  clusterRaw: number[][]
  clusterLabels: number[]
  profileValues: Array<Record<string, number>>
  clusterFeatures: string[]
  name: (p: ClusterProfile, all: ClusterProfile[]) => { id: string; name: string; description: string }
  branchWords: (node: WardNode, profiles: ClusterProfile[]) => string[]
  rootName: string
  testRaw: number[][]
  testLabels: number[]
  testNoStatsRaw?: number[][]
  provenance: ModelPack['provenance']
  /** What the pack is trained on, as its first line and the segments document name it. @default the public data sets */
  data?: TrainingData
  seed: number
  /** The pack's `version`: `1.0.0` (the shipped packs) unless given (a shop's data, an experimental run, `--pack-version`). */
  version?: string
}


function cluster(points: Float64Array, dim: number, seed: number): { k: number; silhouettes: ClusterResult['silhouettes']; result: KMeansResult } {
  const silhouettes: ClusterResult['silhouettes'] = []
  let best: { k: number; s: number; result: KMeansResult } | null = null
  for (const k of K_CANDIDATES) {
    const result = kmeans(points, dim, k, { restarts: 8, seed: seed + k })
    const s = silhouette(points, dim, result.labels, k, { sample: 2500, seed })
    silhouettes.push({ k, silhouette: round(s, 4), inertia: round(result.inertia, 1) })
    if (!best || s > best.s) best = { k, s, result }
  }
  return { k: best!.k, silhouettes, result: best!.result }
}

function round(v: number, digits = 6): number {
  return Number(v.toPrecision(digits))
}

function profilesOf(result: KMeansResult, values: Array<Record<string, number>>, labels: ArrayLike<number>): ClusterProfile[] {
  const n = values.length
  return result.sizes.map((size, c) => {
    const rows = values.filter((_, i) => result.labels[i] === c)
    let pos = 0
    for (let i = 0; i < n; i++) if (result.labels[i] === c) pos += labels[i]
    const medians: Record<string, number> = {}
    for (const key of Object.keys(values[0])) medians[key] = median(rows.map((r) => r[key]))
    return { cluster: c, size, share: size / n, medians, positiveRate: pos / Math.max(1, size) }
  })
}

/** A pack metric the held-out split could not measure (no positive, or no negative, among its rows). */
export const NOT_MEASURED = 'not measured'

/** A held-out figure for the log: 4 decimals, or `not measured`. */
export function figure(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : NOT_MEASURED
}

/** The pack as written: one top-level key per line keeps diffs readable; values stay compact for the size budget. */
export function stringifyPack(pack: ModelPack): string {
  const body = Object.entries(pack).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')
  return `{\n${body}\n}\n`
}

/**
 * Trains one pack: normalisation on the training rows, k-means + Ward tree for the segments, an ensemble of
 * small networks for the segment and binary heads, quantized weights, and the held-out metrics of the pack
 * as shipped.
 */
export function buildPack(input: PackInput): PackResult {
  const started = Date.now()
  const { config } = input
  // The features the pack reads, from the full table vectors.
  const pick = (raws: number[][]) => raws.map((raw) => selectFeatures(raw, input.tableNames, input.names))
  const trainRaw = pick(input.trainRaw)
  const spec = fitFeatureSpec(input.specVersion, input.names, input.transforms, trainRaw)
  const d = spec.names.length
  const cols = input.clusterFeatures.map((f) => spec.names.indexOf(f))

  // k-means on the training rows, in the normalised input space of the pack.
  const clusterX = columns(toMatrix(pick(input.clusterRaw), spec), d, cols)
  const { k, silhouettes, result } = cluster(clusterX, cols.length, input.seed)
  log(`  ${input.kind}: silhouette ${silhouettes.map((s) => `k=${s.k} ${Number.isFinite(s.silhouette) ? s.silhouette : NOT_MEASURED}`).join(', ')} → k=${k}`)
  const profiles = profilesOf(result, input.profileValues, input.clusterLabels)
  const named = profiles.map((p) => input.name(p, profiles))
  const centroids = Array.from({ length: k }, (_, c) => Array.from(result.centroids.subarray(c * cols.length, (c + 1) * cols.length)))
  const tree = wardTree(centroids, result.sizes)
  const { tree: segTree, labels } = segmentTree(tree, named, (node) => input.branchWords(node, profiles), input.rootName)

  // Networks: targets are the binary label and the nearest centroid of every (augmented) training row.
  const x = toMatrix(trainRaw, spec)
  const segments = assign(columns(x, d, cols), cols.length, result.centroids, k)
  const folds = foldsByGroup(input.trainGroup.map((g) => (g >= 0 ? g : -1 - g)), config.members, input.seed)
  const ensemble = trainEnsemble({
    x, inputs: d, labels: Float32Array.from(input.trainLabels), segments, k, folds, members: config.members,
    hidden: config.hidden, hidden2: config.hidden2, epochs: config.epochs, batchSize: config.batchSize,
    learningRate: config.learningRate, l2: config.l2, seed: input.seed, segmentWeight: config.segmentWeight,
    binaryHead: input.binaryHead, refit: config.refit, log,
    // Copies without page statistics (negative group) weigh maskWeight in the intent loss.
    rowWeights: config.maskWeight !== undefined && config.maskWeight !== 1 ? Float32Array.from(input.trainGroup, (g) => (g < 0 ? config.maskWeight! : 1)) : undefined,
  })
  // Threshold: the best accuracy of the out-of-fold scores of the training rows that keep page statistics
  // (trainGroup >= 0); never the test split.
  const oofRows = input.trainGroup.map((g, i) => (g >= 0 ? i : -1)).filter((i) => i >= 0)
  const oofP = oofRows.map((i) => ensemble.oof[i])
  const oofY = oofRows.map((i) => input.trainLabels[i])
  // When predicting no positive at all is the most accurate (few or badly ranked positives), the sweep says
  // Infinity: a pack holds a probability threshold, so 1 stands for "none".
  const threshold = Math.min(1, round(bestThreshold(oofP, oofY, accuracyOf).threshold, 4))
  const oof = scoreBinary(oofP, oofY, threshold)

  // An input that never varied in training (a month absent from the data) carried no information: its weights
  // are whatever initialisation and weight decay left. Zero them so it cannot move a prediction in the browser.
  const constant = spec.std.map((s, j) => s === 1 && spec.mean[j] === 0 && trainRaw.every((r) => r[j] === 0))
  const trunk = ensemble.params.get('trunk')!
  constant.forEach((c, j) => { if (c) trunk.kernel.fill(0, j * trunk.units, (j + 1) * trunk.units) })
  const { weightSpecs, weightData } = encodeWeights(ensemble.layers, ensemble.params, config.encoding)
  {
    // Quantization check on training rows (never the test split): float32 ensemble vs the decoded pack weights.
    const exact = forward(ensemble.layers, ensemble.params, x, d).get(input.binaryHead)!
    const packed = forward(ensemble.layers, decodeWeights(ensemble.layers, weightSpecs, weightData), x, d).get(input.binaryHead)!
    const maskedRows = input.trainGroup.map((g, i) => (g < 0 ? i : -1)).filter((i) => i >= 0)
    const oofNoStats = maskedRows.length ? ` (no stats ${figure(rocAuc(maskedRows.map((i) => ensemble.oof[i]), maskedRows.map((i) => input.trainLabels[i])))})` : ''
    log(`  ${input.kind}: out-of-fold AUC ${figure(oof.auc)}${oofNoStats}; training-row AUC float32 ${figure(rocAuc(exact, input.trainLabels))} vs ${config.encoding} ${figure(rocAuc(packed, input.trainLabels))}`)
  }
  const pack: ModelPack = {
    $comment: generatedComment(input.data),
    format: 'seglet-model-pack',
    formatVersion: PACK_FORMAT_VERSION,
    kind: input.kind,
    version: input.version ?? PUBLIC_PACK_VERSION,
    featureSpec: spec,
    model: { layers: ensemble.layers, weightSpecs, weightData },
    heads: {
      segment: { kind: 'segment', layer: 'segment', labels, tree: segTree },
      [input.binaryHead]: { kind: 'probability', layer: input.binaryHead, description: input.description, threshold },
    },
    provenance: input.provenance,
    metrics: {},
  }
  // The k-means model the segment head was distilled from, typed: retraining matches new clusters to it.
  pack.kmeans = {
    features: input.clusterFeatures,
    centroids: Array.from({ length: k }, (_, c) => Array.from(result.centroids.subarray(c * cols.length, (c + 1) * cols.length), (v) => round(v, 5))),
  }
  // Measure the pack as shipped (quantized weights, decoded as the browser decodes them) on the held-out split.
  const test = evaluatePack(pack, input.testRaw, input.testLabels, input.binaryHead)
  const testNoStats = input.testNoStatsRaw ? evaluatePack(pack, input.testNoStatsRaw, input.testLabels, input.binaryHead) : undefined
  // A figure the held-out split cannot give (ROC AUC without a buyer, or without a non-buyer, in it) is written as
  // NOT_MEASURED: JSON has no NaN, and a null would read as a figure that was lost.
  const r4 = (v: number) => (Number.isFinite(v) ? round(v, 4) : NOT_MEASURED)
  const m: ModelPack['metrics'] = {
    split: input.provenance.split,
    testRows: input.testLabels.length,
    [`${input.binaryHead}RocAuc`]: r4(test.binary.auc),
    [`${input.binaryHead}AveragePrecision`]: r4(test.binary.averagePrecision),
    [`${input.binaryHead}Accuracy`]: r4(test.binary.accuracy),
    [`${input.binaryHead}F1`]: r4(test.binary.f1),
    [`${input.binaryHead}BestF1`]: r4(test.binary.bestF1),
    [`${input.binaryHead}Brier`]: r4(test.binary.brier),
  }
  if (testNoStats) {
    m.intentRocAucNoStats = r4(testNoStats.binary.auc)
    m.intentAveragePrecisionNoStats = r4(testNoStats.binary.averagePrecision)
    m.intentAccuracyNoStats = r4(testNoStats.binary.accuracy)
    m.segmentAgreementNoStats = r4(testNoStats.segmentAgreement)
  }
  m.segmentAgreement = r4(test.segmentAgreement)
  m.outOfFoldRocAuc = r4(oof.auc)
  // Rows that are all alike (a tiny export) give no silhouette: not measured either.
  m.clusters = { k, silhouette: r4(silhouettes.find((s) => s.k === k)!.silhouette), ...Object.fromEntries(silhouettes.map((s) => [`silhouetteK${s.k}`, r4(s.silhouette)])) }
  // JSON would write any other figure that is not a number as null: a pack never carries one.
  const unwritable: string[] = []
  JSON.stringify(m, (key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) && unwritable.push(key), v))
  if (unwritable.length > 0) throw new Error(`${input.kind} pack: metrics ${unwritable.join(', ')} are not finite numbers`)
  pack.metrics = m
  const bytes = Buffer.byteLength(stringifyPack(pack))
  return {
    pack, bytes, test, testNoStats, oofAuc: oof.auc,
    clusters: { k, silhouettes, result, profiles, tree, segmentTree: segTree, labels, features: input.clusterFeatures },
    seconds: (Date.now() - started) / 1000,
    data: input.data,
  }
}
