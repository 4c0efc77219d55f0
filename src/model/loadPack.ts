import { ModelPackError } from '../errors'
import { base64ToArrayBuffer } from './base64ToArrayBuffer'
import { checkPackSpec } from './checkPackSpec'
import type { ExpectedFeatureSpec } from './checkPackSpec'
import type { ModelPack, PackLayer } from './pack'
import { decodeWeights, ensureCpuBackend, fused, softmax, tanh, tensor2d, tidy } from './tf'
import type { Tensor, Tensor1D, Tensor2D } from './tf'
import { validatePack } from './validatePack'

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
  kernel: Tensor2D
  bias: Tensor1D
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

/**
 * Validates a pack, checks its feature spec, decodes its weights with `tf.io.decodeWeights` and builds
 * the weight tensors once, on the CPU backend. Call {@link disposePack} to free them.
 *
 * @example
 * const loaded = loadPack(sessionPack, { expected: { kind: 'session', version, names } })
 * const { segment, intent } = predict(loaded, features)
 */
export function loadPack(value: unknown, options: LoadPackOptions = {}): LoadedPack {
  const pack = validatePack(value)
  if (options.expected) checkPackSpec(pack, options.expected)
  ensureCpuBackend()
  let weights: Record<string, Tensor>
  try {
    weights = decodeWeights(base64ToArrayBuffer(pack.model.weightData), pack.model.weightSpecs)
  } catch (error) {
    throw new ModelPackError('pack_invalid', `Invalid model pack: its weights could not be decoded (${String(error)}).`, error)
  }
  const layers = pack.model.layers.map((layer) => ({
    ...layer,
    kernel: weights[`${layer.name}/kernel`] as Tensor2D,
    bias: weights[`${layer.name}/bias`] as Tensor1D,
  }))
  return { pack, heads: Object.keys(pack.heads), layers, disposed: false }
}

/**
 * Runs a loaded pack on one network input: the feature vector already transformed and normalised with
 * the pack's feature spec (`applyFeatureSpec()` of src/features — the one feature definition, so it is
 * not repeated here). Returns each head's output: a segment head gives one probability per label, a
 * probability head one value.
 *
 * @example
 * const input = applyFeatureSpec(sessionVector(aggregate), loaded.pack.featureSpec)
 * const out = predict(loaded, input) // { segment: Float32Array(6), intent: Float32Array(1) }
 */
export function predict(loaded: LoadedPack, input: Float32Array | readonly number[]): Record<string, Float32Array> {
  if (loaded.disposed) throw new ModelPackError('model_failed', `Model pack "${loaded.pack.kind}" was disposed.`)
  const size = loaded.pack.featureSpec.names.length
  if (!input || input.length !== size) {
    throw new ModelPackError('model_failed', `Pack "${loaded.pack.kind}" expects ${size} inputs, got ${input ? input.length : 'none'}.`)
  }
  const pack = loaded.pack
  const result: Record<string, Float32Array> = {}
  tidy(() => {
    const outputs = new Map<string, Tensor2D>([['input', tensor2d(input as Float32Array | number[], [1, size], 'float32')]])
    for (const layer of loaded.layers) outputs.set(layer.name, runLayer(layer, outputs.get(layer.input)!))
    for (const head of loaded.heads) {
      // Copy: on the CPU backend dataSync() hands out the tensor's own storage.
      result[head] = Float32Array.from(outputs.get(pack.heads[head].layer)!.dataSync() as Float32Array)
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

function runLayer(layer: LoadedLayer, x: Tensor2D): Tensor2D {
  const { activation } = layer
  // linear, relu and sigmoid fuse into the matMul kernel; softmax and tanh follow it.
  const fusable = activation === 'relu' || activation === 'sigmoid'
  const y = fused.matMul({ a: x, b: layer.kernel, bias: layer.bias, activation: fusable ? activation : 'linear' }) as Tensor2D
  if (activation === 'softmax') return softmax(y)
  if (activation === 'tanh') return tanh(y)
  return y
}
