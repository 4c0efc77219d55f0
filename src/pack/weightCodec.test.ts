// @vitest-environment node
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { DenseWeights, PackLayer } from './types'
import { decodeWeights, encodeWeights } from './weightCodec'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const layers: PackLayer[] = [
  { name: 'trunk', input: 'input', units: 8, activation: 'relu' },
  { name: 'segment', input: 'trunk', units: 2, activation: 'softmax' },
  { name: 'intent', input: 'trunk', units: 1, activation: 'sigmoid' },
]

/** Weights with a spread of magnitudes and signs, including exact zeros. */
function weights(): Map<string, DenseWeights> {
  let seed = 7
  const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 2
  const out = new Map<string, DenseWeights>()
  let inputs = 3
  for (const layer of layers) {
    const fanIn = layer.input === 'input' ? 3 : out.get(layer.input)!.units
    inputs = fanIn
    const kernel = Float32Array.from({ length: fanIn * layer.units }, (_, i) => (i % 7 === 0 ? 0 : next()))
    out.set(layer.name, { kernel, bias: Float32Array.from({ length: layer.units }, next), inputs, units: layer.units })
  }
  return out
}

describe('weight codec', () => {
  it.each(['float32', 'float16', 'uint8'] as const)('%s weights decode exactly as tf.io.decodeWeights decodes them', (encoding) => {
    const original = weights()
    const { weightSpecs, weightData } = encodeWeights(layers, original, encoding)
    expect(weightSpecs.map((w) => w.name)).toEqual(['trunk/kernel', 'trunk/bias', 'segment/kernel', 'segment/bias', 'intent/kernel', 'intent/bias'])
    const ours = decodeWeights(layers, weightSpecs, weightData)
    const bytes = Buffer.from(weightData, 'base64')
    const theirs = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), weightSpecs as tf.io.WeightsManifestEntry[])
    for (const layer of layers) {
      const w = ours.get(layer.name)!
      expect(Array.from(w.kernel)).toEqual(Array.from(theirs[`${layer.name}/kernel`].dataSync()))
      expect(Array.from(w.bias)).toEqual(Array.from(theirs[`${layer.name}/bias`].dataSync()))
      expect([w.inputs, w.units]).toEqual(theirs[`${layer.name}/kernel`].shape)
    }
    // And close to what was encoded: exact for float32, within the quantization step otherwise.
    const tol = encoding === 'float32' ? 0 : encoding === 'float16' ? 2e-3 : 0.01
    for (const [name, p] of original) {
      const q = ours.get(name)!
      p.kernel.forEach((v, i) => expect(Math.abs(q.kernel[i] - v)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v)) + 1e-7))
    }
  })

  it('keeps zero weights zero under uint8 quantization', () => {
    const { weightSpecs, weightData } = encodeWeights(layers, weights(), 'uint8')
    const kernel = decodeWeights(layers, weightSpecs, weightData).get('trunk')!.kernel
    expect(Math.abs(kernel[0])).toBeLessThan(0.01)
  })

  it('refuses data that ends inside a weight, and a layer without weights', () => {
    const { weightSpecs, weightData } = encodeWeights(layers, weights(), 'float32')
    const short = Buffer.from(weightData, 'base64').subarray(0, 100).toString('base64')
    expect(() => decodeWeights(layers, weightSpecs, short)).toThrow(expect.objectContaining({ code: 'pack_invalid', message: expect.stringContaining('ends inside "trunk/bias"') }))
    expect(() => decodeWeights([...layers, { name: 'extra', input: 'trunk', units: 1, activation: 'linear' }], weightSpecs, weightData)).toThrow(expect.objectContaining({ code: 'pack_invalid' }))
    expect(() => encodeWeights([{ name: 'missing', input: 'input', units: 1, activation: 'linear' }], weights(), 'float32')).toThrow(expect.objectContaining({ code: 'pack_invalid' }))
  })
})
