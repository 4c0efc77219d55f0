import { ModelPackError } from '../errors'
import { checkPack } from '../pack/checkPack'
import type { DenseWeights, ExpectedFeatureSpec, ModelPack, PackLayer } from '../pack/types'
import { decodePackWeights } from '../pack/decodePackWeights'
import { dense, ensureCpuBackend, makeTensor, softmax, tidy } from './tf'
import type { Tensor } from './tf'

/** Options of {@link predict}. */
export interface PredictOptions {
  /**
   * Heads whose layer ends in softmax give its logits (before the softmax) instead of probabilities:
   * log-odds worked out from them stay exact where a float32 probability rounds to 1 (explanations).
   * @default false
   */
  logits?: boolean
}

/** A pack whose weights live in TensorFlow.js tensors, ready for {@link predict}. */
export interface LoadedPack {
  readonly pack: ModelPack
  /** Head names in the pack's order; {@link predict} returns one entry per head. */
  readonly heads: readonly string[]
  /** @internal Layers in execution order, with their weight tensors. */
  readonly layers: ReadonlyArray<LoadedLayer>
  disposed: boolean
}

interface LoadedLayer extends PackLayer {
  /** [1, in, units] */
  kernel: Tensor
  /** [units] */
  bias: Tensor
}

/** Options of {@link loadPack}. */
export interface LoadPackOptions {
  /**
   * The feature spec the SDK computes for this kind of pack; a pack that does not match is refused with
   * `pack_spec_mismatch`. Leave out only when the caller checked the spec itself.
   * @default undefined (not checked)
   */
  expected?: ExpectedFeatureSpec
}

/** A pack checked and its weights decoded, before its tensors are built: see {@link readPack}. */
export interface ReadPack {
  readonly pack: ModelPack
  readonly weights: ReadonlyMap<string, DenseWeights>
}

/**
 * Checks a pack (`checkPack()`, with its feature spec when `expected` is given) and decodes its weights
 * (`decodeWeights()` of src/pack), refusing NaN or infinite ones: the first half of {@link loadPack}, which
 * touches no TensorFlow.js state. The runtime yields to the page between the two halves.
 */
export function readPack(value: unknown, options: LoadPackOptions = {}): ReadPack {
  const pack = checkPack(value, options.expected)
  return { pack, weights: decodePackWeights(pack) }
}

/**
 * Builds the weight tensors of a pack {@link readPack} read, once, on the CPU backend (registered on the
 * first call): the second half of {@link loadPack}.
 */
export function buildPack({ pack, weights }: ReadPack): LoadedPack {
  ensureCpuBackend()
  const layers = pack.model.layers.map((layer) => {
    const w = weights.get(layer.name)!
    // Kept 3-D once here, as the matMul kernel wants it, instead of reshaping on every inference.
    return { ...layer, kernel: makeTensor(w.kernel, [1, w.inputs, w.units]), bias: makeTensor(w.bias, [w.units]) }
  })
  return { pack, heads: Object.keys(pack.heads), layers, disposed: false }
}

/**
 * Checks a pack (`checkPack()`, with its feature spec when `expected` is given), decodes its weights
 * (`decodeWeights()` of src/pack) and builds the weight tensors once, on the CPU backend: {@link readPack}
 * then {@link buildPack}. Call {@link disposePack} to free them.
 *
 * @example
 * const loaded = loadPack(sessionPack, { expected: expectedFeatures('session') })
 * const { segment, intent } = predict(loaded, features)
 */
export function loadPack(value: unknown, options: LoadPackOptions = {}): LoadedPack {
  return buildPack(readPack(value, options))
}

/**
 * Runs a loaded pack on one network input: the feature vector already transformed and normalised with
 * the pack's feature spec (`applyFeatureSpec()` of src/features — the one feature definition, so it is
 * not repeated here). Returns each head's output: a segment head gives one probability per label, a
 * probability head one value. With `rows` > 1, `input` holds that many vectors one after another and each
 * head's output holds one result per row, in the same order: one call instead of many (explanations).
 * With `{ logits: true }`, a segment head gives its logits instead of probabilities.
 *
 * @example
 * const input = applyFeatureSpec(selectFeatures(sessionVector(aggregate), SESSION_FEATURE_NAMES, loaded.pack.featureSpec.names), loaded.pack.featureSpec)
 * const out = predict(loaded, input) // { segment: Float32Array(6), intent: Float32Array(1) }
 */
export function predict(loaded: LoadedPack, input: Float32Array | readonly number[], rows = 1, options: PredictOptions = {}): Record<string, Float32Array> {
  if (loaded.disposed) throw new ModelPackError('model_failed', `Model pack "${loaded.pack.kind}" was disposed.`)
  const size = loaded.pack.featureSpec.names.length
  if (!Number.isInteger(rows) || rows < 1 || !input || input.length !== size * rows) {
    throw new ModelPackError('model_failed', `Pack "${loaded.pack.kind}" expects ${rows === 1 ? size : `${rows} × ${size}`} inputs, got ${input ? input.length : 'none'}.`)
  }
  const pack = loaded.pack
  const result: Record<string, Float32Array> = {}
  // Copy: the tensor keeps the array it is given, and the caller's input is the caller's.
  const x = Float32Array.from(input)
  tidy(() => {
    const outputs = new Map<string, Tensor>([['input', makeTensor(x, [1, rows, size])]])
    const logits = new Map<string, Tensor>()
    for (const layer of loaded.layers) {
      const x = outputs.get(layer.input)!
      if (options.logits && layer.activation === 'softmax') {
        const z = dense(x, layer.kernel, layer.bias, 'linear')
        logits.set(layer.name, z)
        outputs.set(layer.name, softmax(z))
      } else outputs.set(layer.name, dense(x, layer.kernel, layer.bias, layer.activation))
    }
    for (const head of loaded.heads) {
      const layer = pack.heads[head].layer
      // Copy: on the CPU backend dataSync() hands out the tensor's own storage.
      result[head] = Float32Array.from((logits.get(layer) ?? outputs.get(layer)!).dataSync() as Float32Array)
    }
  })
  return result
}

/**
 * Frees a loaded pack's weight tensors. Calling {@link predict} afterwards throws.
 *
 * @example
 * disposePack(loaded)
 */
export function disposePack(loaded: LoadedPack): void {
  if (loaded.disposed) return
  loaded.disposed = true
  for (const layer of loaded.layers) {
    layer.kernel.dispose()
    layer.bias.dispose()
  }
}
