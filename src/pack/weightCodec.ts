import { ModelPackError } from '../errors'
import { base64ToArrayBuffer, bytesToBase64 } from './base64'
import type { DenseWeights, PackLayer, PackWeightSpec, WeightEncoding } from './types'

/**
 * Encodes dense layers as a pack's weight specs and base64 data (`${layer}/kernel`, `${layer}/bias`, in layer
 * order), optionally quantized — uint8 affine per tensor with 0 kept inside the range, or float16 — in the
 * layout TensorFlow.js's `tf.io.decodeWeights` reads. Training and retraining write packs with it.
 *
 * @example
 * const { weightSpecs, weightData } = encodeWeights(layers, weights, 'uint8')
 */
export function encodeWeights(
  layers: readonly PackLayer[],
  weights: ReadonlyMap<string, DenseWeights>,
  encoding: WeightEncoding,
): { weightSpecs: PackWeightSpec[]; weightData: string } {
  const specs: PackWeightSpec[] = []
  const chunks: Uint8Array[] = []
  for (const layer of layers) {
    const p = weights.get(layer.name)
    if (!p) throw new ModelPackError('pack_invalid', `Invalid model pack: no weights for layer "${layer.name}".`)
    for (const [suffix, values, shape] of [['kernel', p.kernel, [p.inputs, p.units]], ['bias', p.bias, [p.units]]] as const) {
      const spec: PackWeightSpec = { name: `${layer.name}/${suffix}`, shape: [...shape], dtype: 'float32' }
      if (encoding === 'float32') {
        chunks.push(new Uint8Array(new Float32Array(values).buffer))
      } else if (encoding === 'float16') {
        spec.quantization = { dtype: 'float16' }
        chunks.push(new Uint8Array(Uint16Array.from(values, float16Bits).buffer))
      } else {
        let min = Infinity
        let max = -Infinity
        for (const v of values) { if (v < min) min = v; if (v > max) max = v }
        // Keep 0 inside the range so zero weights stay (almost) zero after dequantization.
        min = Math.min(min, 0)
        max = Math.max(max, 0)
        const scale = max > min ? (max - min) / 255 : 1
        spec.quantization = { dtype: 'uint8', min, scale }
        chunks.push(Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round((v - min) / scale)))))
      }
      specs.push(spec)
    }
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const chunk of chunks) { bytes.set(chunk, at); at += chunk.length }
  return { weightSpecs: specs, weightData: bytesToBase64(bytes) }
}

/**
 * Decodes a pack's weights into dense layers, dequantizing as `tf.io.decodeWeights` does (uint8/uint16:
 * `q · scale + min`; float16: IEEE half precision). Plain JavaScript, so training, the collector and the
 * browser read weights with the same code and the browser needs no TensorFlow.js I/O module. Throws
 * `ModelPackError('pack_invalid')` when the data is shorter than the specs or a layer lacks a weight; run
 * `checkPack()` first for a message naming the problem.
 *
 * @example
 * const weights = decodeWeights(pack.model.layers, pack.model.weightSpecs, pack.model.weightData)
 * weights.get('trunk')!.kernel // Float32Array, row-major [inputs, units]
 */
export function decodeWeights(
  layers: readonly PackLayer[],
  weightSpecs: readonly PackWeightSpec[],
  weightData: string,
): Map<string, DenseWeights> {
  const buffer = base64ToArrayBuffer(weightData)
  const tensors = new Map<string, { values: Float32Array; shape: number[] }>()
  let offset = 0
  for (const spec of weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1)
    const q = spec.quantization
    const bytes = size * (q ? (q.dtype === 'uint8' ? 1 : 2) : 4)
    if (offset + bytes > buffer.byteLength) {
      throw new ModelPackError('pack_invalid', `Invalid model pack: weight data ends inside "${spec.name}".`)
    }
    // Copies: a typed array over an offset that is not a multiple of its element size would throw.
    const slice = buffer.slice(offset, offset + bytes)
    offset += bytes
    let values: Float32Array
    if (!q) values = new Float32Array(slice)
    else {
      // Plain loops, not Float32Array.from(source, map): a mapping callback per weight is what made a
      // pack's first decode on the page take several milliseconds of main-thread time.
      const source = q.dtype === 'uint8' ? new Uint8Array(slice) : new Uint16Array(slice)
      values = new Float32Array(source.length)
      if (q.dtype === 'float16') for (let i = 0; i < source.length; i++) values[i] = float16Value(source[i])
      else {
        const min = q.min ?? 0
        const scale = q.scale ?? 1
        for (let i = 0; i < source.length; i++) values[i] = source[i] * scale + min
      }
    }
    tensors.set(spec.name, { values, shape: spec.shape })
  }
  const weights = new Map<string, DenseWeights>()
  for (const layer of layers) {
    const kernel = tensors.get(`${layer.name}/kernel`)
    const bias = tensors.get(`${layer.name}/bias`)
    if (!kernel || !bias) throw new ModelPackError('pack_invalid', `Invalid model pack: weights lack ${layer.name}/kernel or ${layer.name}/bias.`)
    weights.set(layer.name, { kernel: kernel.values, bias: bias.values, inputs: kernel.shape[0] ?? 0, units: kernel.shape[1] ?? 0 })
  }
  return weights
}

/** float32 → IEEE half-precision bits, rounding to nearest. */
function float16Bits(value: number): number {
  const f32 = new Float32Array([value])
  const x = new Uint32Array(f32.buffer)[0]
  const sign = (x >>> 16) & 0x8000
  let exp = ((x >>> 23) & 0xff) - 127 + 15
  let mant = x & 0x7fffff
  if (exp <= 0) {
    if (exp < -10) return sign
    mant = (mant | 0x800000) >> (1 - exp)
    return sign | ((mant + 0x1000) >> 13)
  }
  if (exp >= 31) return sign | 0x7c00
  const rounded = mant + 0x1000
  if (rounded & 0x800000) { mant = 0; exp++ } else mant = rounded
  if (exp >= 31) return sign | 0x7c00
  return sign | (exp << 10) | (mant >> 13)
}

/** IEEE half-precision bits → number. */
function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exp = (bits >> 10) & 0x1f
  const mant = bits & 0x3ff
  if (exp === 0) return sign * mant * 2 ** -24
  if (exp === 31) return mant ? NaN : sign * Infinity
  return sign * (1 + mant / 1024) * 2 ** (exp - 15)
}
