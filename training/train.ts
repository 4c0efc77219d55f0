import * as tf from '@tensorflow/tfjs'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import {
  LIFETIME_FEATURE_NAMES, LIFETIME_FEATURE_SPEC_VERSION, LIFETIME_FEATURE_TRANSFORMS,
  SESSION_FEATURE_NAMES, SESSION_FEATURE_SPEC_VERSION, SESSION_FEATURE_TRANSFORMS,
} from '../src/features/featureNames'
import { lifetimeVector, sessionVector } from '../src/features/vectors'
import { PACK_FORMAT_VERSION, type ModelPack, type SegmentTreeNode } from '../src/model/pack'
import { DEFAULT_DATA_DIR, PROJECT_ROOT, RETAIL_FILE, SHOPPERS_FILE, parseArgs, readDataFile } from './data'
import { columns, fitFeatureSpec, median, toMatrix } from './dataset'
import { foldsByGroup, trainEnsemble } from './ensemble'
import { evaluatePack, scoreBinary, type PackEvaluation } from './evaluatePack'
import { kmeans, silhouette, assign, type KMeansResult } from './kmeans'
import { DataError } from './dataError'
import { eventCustomers, eventSessions } from './loadEvents'
import { loadTrainingEvents } from './loadTrainingEvents'
import { packTag } from './packTag'
import { smallDataWarnings } from './smallData'
import { retailCustomers, retailEvents } from './loadRetail'
import { parseShoppers, rowToAggregate } from './loadShoppers'
import { accuracyOf, bestThreshold, rocAuc } from './metrics'
import { nameLifetimeSegment, nameSessionSegment, segmentTree, depthWord, valueTier, type ClusterProfile } from './naming'
import { decodeParams, encodeParams, forward, type WeightEncoding } from './network'
import { writeReport } from './report'
import { segmentIdsMarkdown } from './segmentIds'
import type { WardNode } from './ward'
import { wardTree } from './ward'
import type { LifetimeAggregate, SessionAggregate } from '../src/features/types'

export const DEFAULT_SEED = 20240611
let SEED = DEFAULT_SEED
const GENERATED = 'GENERATED FILE, do not edit. Written by `npm run train` (training/train.ts) from public data; rerun it to rebuild.'

/** Hyper-parameters of both packs (fixed; chosen on out-of-fold training scores, never on the test split). */
export const SESSION_CONFIG: PackConfig = { members: 4, hidden: 24, hidden2: 12, epochs: 30, batchSize: 128, learningRate: 0.003, l2: 3e-4, segmentWeight: 0.5, encoding: 'uint8' as WeightEncoding, refit: false, maskWeight: 0.5 }
export const LIFETIME_CONFIG: PackConfig = { members: 4, hidden: 16, hidden2: 0, epochs: 60, batchSize: 64, learningRate: 0.003, l2: 1e-3, segmentWeight: 1, encoding: 'uint8' as WeightEncoding, refit: false }

export interface PackConfig {
  members: number; hidden: number; hidden2: number; epochs: number; batchSize: number; learningRate: number; l2: number
  segmentWeight: number; encoding: WeightEncoding; refit: boolean
  /** Session pack: weight of the copies without page statistics in the intent loss (1 when absent). */
  maskWeight?: number
}
/** Candidate numbers of clusters; the silhouette picks among them. */
export const K_CANDIDATES = [3, 4, 5, 6, 7]

/** Session k-means runs on the six behaviour inputs (page counts and visible time per group): they exist with or without page statistics. */
export const SESSION_CLUSTER_FEATURES = ['administrative_pages', 'administrative_seconds', 'informational_pages', 'informational_seconds', 'product_pages', 'product_seconds']
/** Lifetime k-means runs on RFM. */
export const LIFETIME_CLUSTER_FEATURES = ['recency_days', 'frequency', 'monetary']

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
}

function log(...lines: string[]): void {
  process.stdout.write(lines.join('\n') + '\n')
}

const FORMAT_NAMES = { seglet: 'Seglet events export', ga4: 'GA4 BigQuery export', shopify: 'Shopify orders export' } as const

/** ` (skipped: 3 invalid purchase, …)` or nothing. */
function skippedNote(skipped: Record<string, number>): string {
  const parts = Object.entries(skipped).map(([why, n]) => `${n} ${why}`)
  return parts.length > 0 ? ` (skipped: ${parts.join(', ')})` : ''
}

/** Lifetime labels need 90 days after the cutoff: by default the cutoff is 90 days before the newest event. */
function defaultCutoff(byShopper: Map<string, Array<{ ts: number }>>): number {
  let last = -Infinity
  for (const list of byShopper.values()) for (const e of list) if (e.ts > last) last = e.ts
  return last - 90 * 86_400_000
}

/** A public data file of the default training run; missing, it is a one-line error saying what to do. */
function readPublicData(dir: string, name: string, ownDataFlag: string) {
  const path = join(dir, name)
  try {
    return readDataFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    throw new DataError(`${path}: no such file; download the public data sets (training/README.md) or pass --data <dir>, or train on your own data with ${ownDataFlag} <file>`)
  }
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

function sessionProfileValues(a: SessionAggregate): Record<string, number> {
  return {
    administrativePages: a.administrativePages, administrativeSeconds: a.administrativeSeconds,
    informationalPages: a.informationalPages, informationalSeconds: a.informationalSeconds,
    productPages: a.productPages, productSeconds: a.productSeconds,
  }
}

function lifetimeProfileValues(a: LifetimeAggregate): Record<string, number> {
  return { recencyDays: a.recencyDays, orders: a.orders, monetary: a.monetary, averageBasket: a.averageBasket, tenureDays: a.tenureDays, returns: a.returns }
}

function stringifyPack(pack: ModelPack): string {
  // One top-level key per line keeps diffs readable; values stay compact to respect the size budget.
  const body = Object.entries(pack).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')
  return `{\n${body}\n}\n`
}

export interface PackInput {
  kind: 'session' | 'lifetime'
  binaryHead: 'intent' | 'repeat'
  description: string
  config: typeof SESSION_CONFIG
  specVersion: string
  names: readonly string[]
  transforms: ModelPack['featureSpec']['transforms']
  /** Training vectors (augmented), their labels and the source row of each (for folds and clusters). */
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
  seed: number
}

export function buildPack(input: PackInput): PackResult {
  const started = Date.now()
  const { config } = input
  const spec = fitFeatureSpec(input.specVersion, input.names, input.transforms, input.trainRaw)
  const d = spec.names.length
  const cols = input.clusterFeatures.map((f) => spec.names.indexOf(f))

  // k-means on the training rows, in the normalised input space of the pack.
  const clusterX = columns(toMatrix(input.clusterRaw, spec), d, cols)
  const { k, silhouettes, result } = cluster(clusterX, cols.length, input.seed)
  log(`  ${input.kind}: silhouette ${silhouettes.map((s) => `k=${s.k} ${s.silhouette}`).join(', ')} → k=${k}`)
  const profiles = profilesOf(result, input.profileValues, input.clusterLabels)
  const named = profiles.map((p) => input.name(p, profiles))
  const centroids = Array.from({ length: k }, (_, c) => Array.from(result.centroids.subarray(c * cols.length, (c + 1) * cols.length)))
  const tree = wardTree(centroids, result.sizes)
  const { tree: segTree, labels } = segmentTree(tree, named, (node) => input.branchWords(node, profiles), input.rootName)

  // Networks: targets are the binary label and the nearest centroid of every (augmented) training row.
  const x = toMatrix(input.trainRaw, spec)
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
  const threshold = round(bestThreshold(oofP, oofY, accuracyOf).threshold, 4)
  const oof = scoreBinary(oofP, oofY, threshold)

  // An input that never varied in training (a month absent from the data) carried no information: its weights
  // are whatever initialisation and weight decay left. Zero them so it cannot move a prediction in the browser.
  const constant = spec.std.map((s, j) => s === 1 && spec.mean[j] === 0 && input.trainRaw.every((r) => r[j] === 0))
  const trunk = ensemble.params.get('trunk')!
  constant.forEach((c, j) => { if (c) trunk.kernel.fill(0, j * trunk.units, (j + 1) * trunk.units) })
  const { weightSpecs, weightData } = encodeParams(ensemble.layers, ensemble.params, config.encoding)
  {
    // Quantization check on training rows (never the test split): float32 ensemble vs the decoded pack weights.
    const exact = forward(ensemble.layers, ensemble.params, x, d).get(input.binaryHead)!
    const packed = forward(ensemble.layers, decodeParams(ensemble.layers, weightSpecs, weightData), x, d).get(input.binaryHead)!
    const maskedRows = input.trainGroup.map((g, i) => (g < 0 ? i : -1)).filter((i) => i >= 0)
    const oofNoStats = maskedRows.length ? ` (no stats ${rocAuc(maskedRows.map((i) => ensemble.oof[i]), maskedRows.map((i) => input.trainLabels[i])).toFixed(4)})` : ''
    log(`  ${input.kind}: out-of-fold AUC ${oof.auc.toFixed(4)}${oofNoStats}; training-row AUC float32 ${rocAuc(exact, input.trainLabels).toFixed(4)} vs ${config.encoding} ${rocAuc(packed, input.trainLabels).toFixed(4)}`)
  }
  const pack: ModelPack = {
    $comment: GENERATED,
    format: 'seglet-model-pack',
    formatVersion: PACK_FORMAT_VERSION,
    kind: input.kind,
    version: '1.0.0',
    featureSpec: spec,
    model: { layers: ensemble.layers, weightSpecs, weightData },
    heads: {
      segment: { kind: 'segment', layer: 'segment', labels, tree: segTree },
      [input.binaryHead]: { kind: 'probability', layer: input.binaryHead, description: input.description, threshold },
    },
    provenance: input.provenance,
    metrics: {},
  }
  // Measure the pack as shipped (quantized weights, decoded by tf.io) on the held-out split.
  pack.metrics = { kmeans: { columns: cols, centroids: Array.from(result.centroids, (v) => round(v, 5)) } as never }
  const test = evaluatePack(pack, input.testRaw, input.testLabels, input.binaryHead)
  const testNoStats = input.testNoStatsRaw ? evaluatePack(pack, input.testNoStatsRaw, input.testLabels, input.binaryHead) : undefined
  const r4 = (v: number) => round(v, 4)
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
  m.clusters = { k, silhouette: silhouettes.find((s) => s.k === k)!.silhouette, ...Object.fromEntries(silhouettes.map((s) => [`silhouetteK${s.k}`, s.silhouette])) }
  m.kmeans = { columns: cols, centroids: Array.from(result.centroids, (v) => round(v, 5)) } as never
  pack.metrics = m
  const bytes = Buffer.byteLength(stringifyPack(pack))
  return {
    pack, bytes, test, testNoStats, oofAuc: oof.auc,
    clusters: { k, silhouettes, result, profiles, tree, segmentTree: segTree, labels, features: input.clusterFeatures },
    seconds: (Date.now() - started) / 1000,
  }
}

function weighted(node: WardNode, profiles: ClusterProfile[], key: string): number {
  let sum = 0
  for (const c of node.leaves) sum += profiles[c].medians[key] * profiles[c].size
  return sum / node.size
}

/** Session branches: `engaged` / `light` by browsing depth, then the depth word, then the focus. */
function sessionBranchWords(node: WardNode, profiles: ClusterProfile[]): string[] {
  const depth = depthWord(weighted(node, profiles, 'productPages'))
  const broad = depth === 'brief' || depth === 'casual' ? 'light' : 'engaged'
  const account = weighted(node, profiles, 'administrativePages') >= 1 ? 'account' : 'shopping'
  return [broad, `${depth}-browsing`, `${broad}-${account}`]
}

/** Lifetime branches: `active` / `lapsing` by recency, then with the spend tier. */
function lifetimeBranchWords(node: WardNode, profiles: ClusterProfile[], all: Record<string, number>): string[] {
  const broad = weighted(node, profiles, 'recencyDays') < all.recencyDays ? 'active' : 'lapsing'
  const tier = valueTier(weighted(node, profiles, 'monetary'), all.monetary)
  return [broad, `${broad}-${tier}-value`, `${tier}-value`]
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv)
  const started = Date.now()
  // Production mode before the backend starts: skips debug checks and the "install tfjs-node" banner.
  tf.enableProdMode()
  await tf.setBackend('cpu')
  const dataDir = resolve(String(args.data ?? DEFAULT_DATA_DIR))
  const outDir = resolve(PROJECT_ROOT, String(args.out ?? 'src/models'))
  const reportPath = resolve(PROJECT_ROOT, String(args.report ?? 'reports/training-report.html'))
  const docsPath = resolve(PROJECT_ROOT, String(args.docs ?? 'docs/segments.md'))
  const quick = args.quick === true
  SEED = typeof args.seed === 'string' ? Number(args.seed) : DEFAULT_SEED
  // --config '{"session":{...},"lifetime":{...}}' overrides hyper-parameters (for experiments; recorded in the report).
  const overrides = typeof args.config === 'string' ? JSON.parse(args.config) : {}
  const scale = (c: typeof SESSION_CONFIG, kind: 'session' | 'lifetime') => {
    const merged = { ...c, ...(overrides[kind] ?? {}) }
    return quick ? { ...merged, members: 2, epochs: 3 } : merged
  }
  log(`seglet train: data ${dataDir}${quick ? ' (quick smoke run)' : ''}`)

  // ---- Session pack -------------------------------------------------------------------------------------
  let sessionInput: PackInput
  if (typeof args.events === 'string') {
    const loaded = loadTrainingEvents(args.events, typeof args.format === 'string' ? args.format : undefined)
    if (loaded.format === 'shopify') throw new DataError(`${args.events}: a Shopify orders export has orders but no browsing sessions; use it for the lifetime pack (--lifetime-events)`)
    const sessions = eventSessions(loaded.byShopper)
    if (sessions.length === 0) throw new DataError(`${args.events}: no sessions in this ${loaded.format} file`)
    log(`  ${args.events}: ${loaded.format} format, ${loaded.rows} rows, ${loaded.byShopper.size} shoppers, ${sessions.length} sessions${skippedNote(loaded.skipped)}`)
    const train = sessions.filter((_, i) => i % 5 !== 0)
    const test = sessions.filter((_, i) => i % 5 === 0)
    sessionInput = sessionPackInput(train.map((s) => s.aggregate), train.map((s) => s.label), test.map((s) => s.aggregate), test.map((s) => s.label), {
      dataset: `${FORMAT_NAMES[loaded.format]} ${args.events}`, sha256: loaded.file.sha256, rows: sessions.length,
      split: 'test = sessions whose 0-based index % 5 == 0', seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu)`,
    }, scale(SESSION_CONFIG, 'session'))
  } else {
    const file = readPublicData(dataDir, SHOPPERS_FILE, '--events')
    if (file.verified === false) throw new DataError(`${file.path}: sha256 ${file.sha256} differs from the published one; refusing to train`)
    const rows = parseShoppers(file.text)
    let train = rows.filter((r) => r.index % 5 !== 0)
    let test = rows.filter((r) => r.index % 5 === 0)
    if (typeof args['inner-holdout'] === 'string') {
      // Experiments: evaluate on an inner holdout of the training split (every 5th training row from offset h);
      // the test split is not used at all.
      if (args.only !== 'session') throw new Error('--inner-holdout is for experiments: use it with --only session (it writes nothing)')
      const h = Number(args['inner-holdout'])
      test = train.filter((_, i) => i % 5 === h)
      train = train.filter((_, i) => i % 5 !== h)
      log(`  --inner-holdout ${h}: the "test" figures below are on ${test.length} held-out TRAINING rows`)
    }
    log(`  ${SHOPPERS_FILE}: ${rows.length} rows, sha256 verified; train ${train.length}, test ${test.length}`)
    sessionInput = sessionPackInput(
      train.map((r) => rowToAggregate(r)), train.map((r) => (r.revenue ? 1 : 0)),
      test.map((r) => rowToAggregate(r)), test.map((r) => (r.revenue ? 1 : 0)),
      {
        dataset: 'UCI Online Shoppers Purchasing Intention (id 468, CC BY 4.0)', sha256: file.sha256, rows: rows.length,
        split: 'test = data rows whose 0-based index % 5 == 0; train = the rest (each train row twice: with and without page statistics)',
        seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)`,
      },
      scale(SESSION_CONFIG, 'session'),
    )
  }
  // The session training labels list every row twice (with and without page statistics): count each once.
  for (const warning of smallDataWarnings('session', sessionInput.trainLabels.slice(0, sessionInput.trainLabels.length / 2), sessionInput.testLabels)) log(warning)
  const session = args.only === 'lifetime' ? (undefined as unknown as PackResult) : buildPack(sessionInput)
  if (session) log(`  session: AUC ${session.test.binary.auc.toFixed(4)} (no stats ${session.testNoStats?.binary.auc.toFixed(4)}), accuracy ${session.test.binary.accuracy.toFixed(4)}, segment agreement ${session.test.segmentAgreement.toFixed(4)}, ${session.bytes} bytes, ${session.seconds.toFixed(0)} s`)

  // ---- Lifetime pack ------------------------------------------------------------------------------------
  let lifetimeInput: PackInput
  {
    let customers: Array<{ aggregate: LifetimeAggregate; label: number; test: boolean }>
    let provenance: ModelPack['provenance']
    if (typeof args['lifetime-events'] === 'string') {
      const path = args['lifetime-events']
      const loaded = loadTrainingEvents(path, typeof args['lifetime-format'] === 'string' ? args['lifetime-format'] : undefined)
      const cutoff = typeof args.cutoff === 'string' ? new Date(args.cutoff).getTime() : defaultCutoff(loaded.byShopper)
      if (!Number.isFinite(cutoff)) throw new DataError(`--cutoff ${JSON.stringify(args.cutoff)} is not a date (use YYYY-MM-DD)`)
      customers = eventCustomers(loaded.byShopper, cutoff).map((c, i) => ({ ...c, test: i % 5 === 0 }))
      if (customers.length === 0) throw new DataError(`${path}: no customer with an order before the cutoff ${new Date(cutoff).toISOString().slice(0, 10)}`)
      log(`  ${path}: ${loaded.format} format, ${loaded.rows} rows, ${customers.length} customers with an order before ${new Date(cutoff).toISOString().slice(0, 10)}${skippedNote(loaded.skipped)}`)
      provenance = { dataset: `${FORMAT_NAMES[loaded.format]} ${path} (cutoff ${new Date(cutoff).toISOString().slice(0, 10)})`, sha256: loaded.file.sha256, rows: customers.length, split: 'test = shoppers whose index % 5 == 0', seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)` }
    } else {
      const file = readPublicData(dataDir, RETAIL_FILE, '--lifetime-events')
      if (file.verified === false) throw new DataError(`${file.path}: sha256 ${file.sha256} differs from the published one; refusing to train`)
      customers = retailCustomers(retailEvents(file.text))
      log(`  ${RETAIL_FILE}: ${customers.length} customers with orders before 2011-09-01, sha256 verified`)
      provenance = {
        dataset: 'UCI Online Retail (id 352, CC BY 4.0)', sha256: file.sha256, rows: customers.length,
        split: 'features from invoices before 2011-09-01; label = an order in the 90 days from 2011-09-01; test = CustomerID % 5 == 0',
        seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)`,
      }
    }
    const train = customers.filter((c) => !c.test)
    const test = customers.filter((c) => c.test)
    const profileValues = train.map((c) => lifetimeProfileValues(c.aggregate))
    const all: Record<string, number> = {}
    for (const key of Object.keys(profileValues[0])) all[key] = median(profileValues.map((v) => v[key]))
    lifetimeInput = {
      kind: 'lifetime', binaryHead: 'repeat', description: 'probability of another order within 90 days',
      config: scale(LIFETIME_CONFIG, 'lifetime'), specVersion: LIFETIME_FEATURE_SPEC_VERSION, names: LIFETIME_FEATURE_NAMES, transforms: [...LIFETIME_FEATURE_TRANSFORMS],
      trainRaw: train.map((c) => lifetimeVector(c.aggregate)), trainLabels: train.map((c) => c.label), trainGroup: train.map((_, i) => i),
      clusterRaw: train.map((c) => lifetimeVector(c.aggregate)), clusterLabels: train.map((c) => c.label), profileValues,
      clusterFeatures: LIFETIME_CLUSTER_FEATURES,
      name: (p) => nameLifetimeSegment(p, all),
      branchWords: (node, profiles) => lifetimeBranchWords(node, profiles, all),
      rootName: 'All customers',
      testRaw: test.map((c) => lifetimeVector(c.aggregate)), testLabels: test.map((c) => c.label),
      provenance, seed: SEED + 1,
    }
  }
  if (args.only === 'session') {
    log('  --only session: lifetime pack, report and docs not written')
    return 0
  }
  for (const warning of smallDataWarnings('lifetime', lifetimeInput.trainLabels, lifetimeInput.testLabels)) log(warning)
  const lifetime = buildPack(lifetimeInput)
  log(`  lifetime: repeat AUC ${lifetime.test.binary.auc.toFixed(4)}, segment agreement ${lifetime.test.segmentAgreement.toFixed(4)}, ${lifetime.bytes} bytes, ${lifetime.seconds.toFixed(0)} s`)
  if (args.only === 'lifetime') {
    log('  --only lifetime: packs, report and docs not written')
    return 0
  }

  mkdirSync(outDir, { recursive: true })
  const sessionText = stringifyPack(session.pack)
  const lifetimeText = stringifyPack(lifetime.pack)
  writeFileSync(join(outDir, 'session.json'), sessionText)
  writeFileSync(join(outDir, 'lifetime.json'), lifetimeText)
  const seconds = (Date.now() - started) / 1000
  mkdirSync(dirname(reportPath), { recursive: true })
  writeFileSync(reportPath, writeReport({ session, lifetime, seconds, configs: { session: sessionInput.config, lifetime: lifetimeInput.config } }))
  mkdirSync(dirname(docsPath), { recursive: true })
  writeFileSync(docsPath, segmentsMarkdown(session, lifetime))
  log(`wrote ${join(outDir, 'session.json')} (${session.bytes} B), ${join(outDir, 'lifetime.json')} (${lifetime.bytes} B), ${reportPath}, ${docsPath} in ${seconds.toFixed(0)} s`)
  const baseUrl = typeof args['pack-base-url'] === 'string' ? args['pack-base-url'] : '/models/'
  log('', 'Serve both files from your own origin and load them with this tag (the hashes are of the files as written):', '', packTag({ session: sessionText, lifetime: lifetimeText }, baseUrl), '')
  return 0
}

export function sessionPackInput(
  train: SessionAggregate[], trainLabels: number[], test: SessionAggregate[], testLabels: number[],
  provenance: ModelPack['provenance'], config: typeof SESSION_CONFIG,
): PackInput {
  // Every training session appears twice: as recorded and with its page statistics removed, so one network
  // serves shops with and without statistics (has_stats tells it which case it is in).
  const masked = train.map((a) => ({ ...a, stats: null }))
  const baseRate = trainLabels.reduce((s, v) => s + v, 0) / Math.max(1, trainLabels.length)
  return {
    kind: 'session', binaryHead: 'intent', description: 'probability that this session ends in a purchase',
    config, specVersion: SESSION_FEATURE_SPEC_VERSION, names: SESSION_FEATURE_NAMES, transforms: [...SESSION_FEATURE_TRANSFORMS],
    trainRaw: [...train, ...masked].map(sessionVector), trainLabels: [...trainLabels, ...trainLabels],
    // Masked copies share their row's fold; negative groups mark them for the threshold choice.
    trainGroup: [...train.map((_, i) => i), ...train.map((_, i) => -1 - i)],
    clusterRaw: train.map(sessionVector), clusterLabels: trainLabels, profileValues: train.map(sessionProfileValues),
    clusterFeatures: SESSION_CLUSTER_FEATURES,
    name: (p) => nameSessionSegment(p, baseRate),
    branchWords: sessionBranchWords,
    rootName: 'All sessions',
    testRaw: test.map(sessionVector), testLabels,
    testNoStatsRaw: test.map((a) => sessionVector({ ...a, stats: null })),
    provenance, seed: SEED,
  }
}

function segmentsMarkdown(session: PackResult, lifetime: PackResult): string {
  const lines: string[] = [
    '<!-- GENERATED FILE, do not edit. Written by `npm run train` (training/train.ts); the segment ids table is also rewritten from the shipped packs by `npm run segment-ids` (training/segmentIds.ts). -->',
    '# Segments',
    '',
    'Seglet ships two segment trees, learned from public data by `npm run train`: k-means (k-means++, 8 restarts, k chosen by silhouette) on the training split, then Ward agglomerative clustering of the centroids into a tree. Names follow fixed rules from each cluster\'s profile (training/naming.ts), so they are regenerated, never hand-typed. A page can target a leaf (`data-seglet-show="<leaf>"`) or a branch.',
    '',
    '## Segment ids',
    '',
    'Every id a page can target: `data-seglet-show` / `data-seglet-hide` (a branch matches all the segments inside it), the classes on `<html>` (`.seglet-<id>`), `data-seglet-segment` and `segment.id` / `segment.path`. Value ids (the lifetime pack, from stored orders) go to `segment.valueSegment`, `data-seglet-value-segment` and `.seglet-value-<id>`, and `data-seglet-show` matches them too.',
    '',
    segmentIdsMarkdown(session.pack, lifetime.pack),
    '',
  ]
  for (const [title, r, cols] of [
    ['Session segments (UCI Online Shoppers)', session, ['administrativePages', 'administrativeSeconds', 'informationalPages', 'informationalSeconds', 'productPages', 'productSeconds']],
    ['Lifetime value segments (UCI Online Retail)', lifetime, ['recencyDays', 'orders', 'monetary', 'averageBasket', 'tenureDays', 'returns']],
  ] as const) {
    lines.push(`## ${title}`, '', `k = ${r.clusters.k}; silhouette by k: ${r.clusters.silhouettes.map((s) => `${s.k}: ${s.silhouette}`).join(', ')}.`, '')
    lines.push(`| segment | share | ${cols.join(' | ')} | ${r === session ? 'purchase rate' : 'repeat rate'} |`, `| --- | --- | ${cols.map(() => '---').join(' | ')} | --- |`)
    r.clusters.profiles.forEach((p, c) => {
      lines.push(`| \`${r.clusters.labels[c]}\` | ${(p.share * 100).toFixed(1)}% | ${cols.map((k) => String(Math.round(p.medians[k] * 10) / 10)).join(' | ')} | ${(p.positiveRate * 100).toFixed(1)}% |`)
    })
    lines.push('', 'Medians over the training rows of each cluster (seconds, days and GBP as in the data).', '', 'Tree:', '', '```')
    const walk = (node: SegmentTreeNode, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${node.id}${node.children ? '' : ` — ${node.description ?? ''}`}`)
      node.children?.forEach((c) => walk(c, depth + 1))
    }
    walk(r.clusters.segmentTree, 0)
    lines.push('```', '')
  }
  return lines.join('\n')
}
