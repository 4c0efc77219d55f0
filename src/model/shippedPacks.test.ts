// @vitest-environment node
// The packs training/ ships: valid, matching the SDK's features, and run by the runtime exactly as a
// plain-JavaScript forward pass over the same weights computes them.
import { describe, expect, it } from 'vitest'
import { expectedFeatures } from '../features'
import { base64ToArrayBuffer } from '../pack/base64'
import { checkPack } from '../pack/checkPack'
import type { ModelPack } from '../pack/types'
import { loadPack, predict } from './loadPack'
import { SHIPPED_PACKS } from './shippedPacks'

/** Dequantizes every weight by the tf.io rules, independently of TensorFlow.js. */
function readWeights(pack: ModelPack): Map<string, Float32Array> {
  const buffer = base64ToArrayBuffer(pack.model.weightData)
  const out = new Map<string, Float32Array>()
  let offset = 0
  for (const spec of pack.model.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1)
    const q = spec.quantization
    if (!q) {
      out.set(spec.name, new Float32Array(buffer.slice(offset, offset + size * 4)))
      offset += size * 4
    } else if (q.dtype === 'float16') {
      throw new Error('float16 reference not implemented')
    } else {
      const ints = q.dtype === 'uint8' ? new Uint8Array(buffer, offset, size) : new Uint16Array(buffer.slice(offset, offset + size * 2))
      out.set(spec.name, Float32Array.from(ints, (v) => q.min! + q.scale! * v))
      offset += size * (q.dtype === 'uint8' ? 1 : 2)
    }
  }
  return out
}

function reference(pack: ModelPack, input: number[]): Record<string, number[]> {
  const weights = readWeights(pack)
  const values = new Map<string, number[]>([['input', input]])
  for (const layer of pack.model.layers) {
    const x = values.get(layer.input)!
    const kernel = weights.get(`${layer.name}/kernel`)!
    const bias = weights.get(`${layer.name}/bias`)!
    let y = Array.from({ length: layer.units }, (_, j) => x.reduce((sum, xi, i) => sum + xi * kernel[i * layer.units + j], bias[j]))
    if (layer.activation === 'relu') y = y.map((v) => Math.max(0, v))
    if (layer.activation === 'sigmoid') y = y.map((v) => 1 / (1 + Math.exp(-v)))
    if (layer.activation === 'tanh') y = y.map(Math.tanh)
    if (layer.activation === 'softmax') {
      const max = Math.max(...y)
      const e = y.map((v) => Math.exp(v - max))
      const sum = e.reduce((a, b) => a + b, 0)
      y = e.map((v) => v / sum)
    }
    values.set(layer.name, y)
  }
  return Object.fromEntries(Object.entries(pack.heads).map(([name, head]) => [name, values.get(head.layer)!]))
}

describe.each(['session', 'lifetime'] as const)('the shipped %s pack', (kind) => {
  const pack = checkPack(SHIPPED_PACKS[kind])

  it('matches the SDK feature spec', () => {
    expect(() => loadPack(pack, { expected: expectedFeatures(kind) })).not.toThrow()
  })

  it('runs like a plain forward pass over its weights', () => {
    const loaded = loadPack(pack)
    let seed = 3
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 6 - 3
    for (let n = 0; n < 20; n++) {
      const input = pack.featureSpec.names.map(random)
      const out = predict(loaded, input)
      const want = reference(pack, input)
      for (const head of Object.keys(pack.heads)) {
        expect(out[head].length).toBe(want[head].length)
        out[head].forEach((v, i) => expect(v).toBeCloseTo(want[head][i], 5))
      }
    }
  })
})
