/**
 * The model-pack format (contract 2 in DESIGN.md). A pack is one JSON document written by
 * `training/` (or a shop's retraining) and read by `src/model/`; both check it with `checkPack()` and
 * encode or decode its weights with `encodeWeights()` / `decodeWeights()` of this folder.
 * Never edit a pack by hand: run `npm run train`.
 */
import type { IntentCorrection } from '../reports/learn/correction'

/** Current pack format version. A runtime refuses packs with another major version. */
export const PACK_FORMAT_VERSION = 1

/** A dense layer of the pack's network. Weights are `${name}/kernel` [in, units] and `${name}/bias` [units]. */
export interface PackLayer {
  name: string
  /** Name of the layer it reads from, or `'input'`. */
  input: string
  units: number
  activation: 'linear' | 'relu' | 'sigmoid' | 'softmax' | 'tanh'
}

/** One weight tensor as in `tf.io.WeightsManifestEntry` (optionally quantized). */
export interface PackWeightSpec {
  name: string
  shape: number[]
  dtype: 'float32'
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number }
}

/** Input transform applied to one raw feature before normalisation. */
export type FeatureTransform = 'identity' | 'log1p'

/**
 * How the raw feature vector becomes the network input. Every name is a feature of the SDK's feature table
 * (`SESSION_FEATURES` / `LIFETIME_FEATURES` of src/features) with the table's transform; a pack reads the
 * features it names, in its own order, so a newer pack can read features an older one does not.
 */
export interface FeatureSpec {
  /** Version of the feature definition (`FEATURE_SPEC_VERSION` of src/features for that pack kind). */
  version: string
  /** Feature names in input order. */
  names: string[]
  transforms: FeatureTransform[]
  /** Mean and standard deviation after the transform; input = (transform(x) - mean) / std. */
  mean: number[]
  std: number[]
}

/** A node of the segment tree; leaves are segments the head predicts. */
export interface SegmentTreeNode {
  /** Kebab-case id, used in CSS classes and `data-seglet-show` (`account-engaged-browser`). */
  id: string
  /** Human name ("High-intent browser"). */
  name: string
  /** One-line description for docs and the panel. */
  description?: string
  children?: SegmentTreeNode[]
}

/** A classification head: softmax over segments. */
export interface SegmentHead {
  kind: 'segment'
  /** Output layer name. */
  layer: string
  /** Leaf segment ids in output order. */
  labels: string[]
  tree: SegmentTreeNode
}

/** A binary head: sigmoid probability with a decision threshold. */
export interface ProbabilityHead {
  kind: 'probability'
  layer: string
  /** What the probability means ("purchase in this session"). */
  description: string
  /**
   * Threshold chosen on the training split: a probability at or above it is positive. 1 means none is (what
   * training writes when predicting no positive at all was the most accurate).
   */
  threshold: number
}

/**
 * The k-means model a segment head was distilled from: centroids in the pack's normalised input space,
 * over the named features. Retraining matches new clusters to these so segment ids stay stable.
 */
export interface PackKMeans {
  /** Names (from `featureSpec.names`) of the inputs k-means ran on, in centroid order. */
  features: string[]
  /** One centroid per segment label, in the order of the segment head's `labels`. */
  centroids: number[][]
}

/** Where a pack's weights came from. */
export interface PackProvenance {
  dataset: string
  sha256: string
  rows: number
  split: string
  seed: number
  trainedWith: string
}

/** A versioned model pack. */
export interface ModelPack {
  /** First lines of every generated pack say it is generated. */
  $comment: string
  format: 'seglet-model-pack'
  formatVersion: number
  /** `session` (segment + purchase intent) or `lifetime` (value segment + repeat purchase). */
  kind: 'session' | 'lifetime'
  /** Semver-ish version of this pack. */
  version: string
  featureSpec: FeatureSpec
  model: {
    layers: PackLayer[]
    weightSpecs: PackWeightSpec[]
    /** Base64 of the concatenated weight data, as `tf.io.encodeWeights` produces. */
    weightData: string
  }
  heads: Record<string, SegmentHead | ProbabilityHead>
  /**
   * The k-means centroids behind the segment head. Older packs kept them untyped in `metrics.kmeans`
   * (column indices and a flat array); read either with `readPackKMeans()`.
   * @default undefined
   */
  kmeans?: PackKMeans
  provenance: PackProvenance
  /**
   * The intent correction fitted by private training (`npm run collector -- retrain`), added to the intent
   * logit; absent in packs straight from `npm run train`.
   */
  intentCorrection?: IntentCorrection
  /**
   * The training tables (`LEARN_TABLES` ids, `withStats.product_pages`, …) whose question the shop's browsers
   * answer: each training answer picks one of them uniformly. The shop's choice, public, set by
   * `npm run collector -- retrain --learn-tables` (a shop without cart events drops the funnel tables, so
   * the others get their answers).
   * @default undefined (every table)
   */
  learnTables?: string[]
  /** Held-out metrics, measured on the fixed test split by `training/`. */
  metrics: Record<string, number | string | Record<string, number | string>>
}

/**
 * The features a pack's feature spec is checked against: the SDK's feature table for one pack kind.
 * A pack may read any of the features, in any order, each with the table's transform.
 */
export interface ExpectedFeatureSpec {
  kind: ModelPack['kind']
  /** `FEATURE_SPEC_VERSION` of src/features for that kind. */
  version: string
  /** Names the SDK computes, in table order (`SESSION_FEATURE_NAMES`, `LIFETIME_FEATURE_NAMES`). */
  names: readonly string[]
  /**
   * The transform of each name, in the same order.
   * @default undefined (transforms are not compared)
   */
  transforms?: readonly FeatureTransform[]
}

/** How weights are stored in a pack: as float32, or quantized to float16 or uint8 (affine per tensor). */
export type WeightEncoding = 'float32' | 'float16' | 'uint8'

/** The weights of one dense layer: row-major kernel `[inputs, units]` and bias `[units]`. */
export interface DenseWeights {
  kernel: Float32Array
  bias: Float32Array
  inputs: number
  units: number
}
