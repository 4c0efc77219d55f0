// @vitest-environment node
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PackLayer } from '../src/pack/types'
import { trainEnsemble } from './ensemble'
import { rocAuc } from './metrics'
import { forward, initParams, trainNetwork } from './network'
import { createRng } from './rng'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const layers: PackLayer[] = [
  { name: 'trunk', input: 'input', units: 8, activation: 'relu' },
  { name: 'segment', input: 'trunk', units: 2, activation: 'softmax' },
  { name: 'intent', input: 'trunk', units: 1, activation: 'sigmoid' },
]

function toy(n: number, seed: number) {
  const rng = createRng(seed)
  const x = new Float32Array(n * 2)
  const y = new Float32Array(n)
  const s = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    x[2 * i] = rng() * 2 - 1
    x[2 * i + 1] = rng() * 2 - 1
    y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0 // XOR-like: needs the hidden layer
    s[i] = x[2 * i] > 0 ? 1 : 0
  }
  return { x, y, s }
}

describe('network (smoke training)', () => {
  it('learns a non-linear toy problem, reproducibly', () => {
    const { x, y, s } = toy(400, 1)
    const train = () => trainNetwork({
      layers, x, inputs: 2, epochs: 40, batchSize: 32, learningRate: 0.02, l2: 0, seed: 5,
      heads: [{ layer: 'intent', kind: 'sigmoid', labels: y, weight: 1 }, { layer: 'segment', kind: 'softmax', labels: s, classes: 2, weight: 1 }],
    })
    const a = train()
    const b = train()
    expect(Array.from(a.get('intent')!.kernel)).toEqual(Array.from(b.get('intent')!.kernel))
    const out = forward(layers, a, x, 2)
    expect(rocAuc(out.get('intent')!, y)).toBeGreaterThan(0.9)
  })

  it('the JS forward pass equals tfjs matMul + bias + activation', () => {
    const params = initParams(layers, 2, createRng(3))
    const { x } = toy(5, 2)
    const js = forward(layers, params, x, 2)
    const t = params.get('trunk')!
    const h = tf.relu(tf.add(tf.matMul(tf.tensor2d(x, [5, 2]), tf.tensor2d(t.kernel, [2, 8])), tf.tensor1d(t.bias)))
    const p = params.get('intent')!
    const o = tf.sigmoid(tf.add(tf.matMul(h, tf.tensor2d(p.kernel, [8, 1])), tf.tensor1d(p.bias))).dataSync()
    Array.from(o).forEach((v, i) => expect(js.get('intent')![i]).toBeCloseTo(v, 5))
  })

  it('members merge into one dense graph with shared trunk layers', () => {
    const { x, y, s } = toy(200, 6)
    const folds = Int32Array.from({ length: 200 }, (_, i) => i % 2)
    const e = trainEnsemble({ x, inputs: 2, labels: y, segments: s, k: 2, folds, members: 2, hidden: 4, hidden2: 3, epochs: 2, batchSize: 50, learningRate: 0.01, l2: 0, seed: 1, segmentWeight: 1, binaryHead: 'intent' })
    expect(e.layers.map((l) => [l.name, l.input, l.units])).toEqual([['trunk', 'input', 8], ['trunk2', 'trunk', 6], ['segment', 'trunk2', 2], ['intent', 'trunk2', 1]])
    const out = forward(e.layers, e.params, x, 2).get('intent')!
    expect(out.every((v) => v > 0 && v < 1)).toBe(true)
    expect(e.oof.every((v) => v > 0 && v < 1)).toBe(true)
  })
})
