import * as tf from '@tensorflow/tfjs'
import type { DenseWeights, PackLayer } from '../src/pack/types'
import { createRng, permutation, type Rng } from './rng'

/** Dense weights of one layer, row-major kernel [inputs, units] (the pack codec's `DenseWeights`). */
export type DenseParams = DenseWeights
export type Params = Map<string, DenseParams>

/** A head trained on one layer's output. */
export type HeadTarget =
  | { layer: string; kind: 'softmax'; labels: Int32Array; classes: number; weight: number }
  | { layer: string; kind: 'sigmoid'; labels: Float32Array; weight: number; positiveWeight?: number; rowWeights?: Float32Array }

export interface TrainOptions {
  layers: PackLayer[]
  /** Row-major inputs, `rows × inputs`. */
  x: Float32Array
  inputs: number
  heads: HeadTarget[]
  epochs: number
  batchSize: number
  learningRate: number
  /** L2 penalty on kernels. */
  l2: number
  seed: number
  /** Called after each epoch (for progress lines). */
  onEpoch?: (epoch: number, loss: number) => void
}

function gaussian(rng: Rng): number {
  let u = 0
  while (u === 0) u = rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/** He-initialised weights for relu layers, Glorot for the others, from a seeded generator. */
export function initParams(layers: readonly PackLayer[], inputs: number, rng: Rng): Params {
  const params: Params = new Map()
  for (const layer of layers) {
    const fanIn = layer.input === 'input' ? inputs : params.get(layer.input)!.units
    const scale = layer.activation === 'relu' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + layer.units))
    const kernel = new Float32Array(fanIn * layer.units)
    for (let i = 0; i < kernel.length; i++) kernel[i] = gaussian(rng) * scale
    params.set(layer.name, { kernel, bias: new Float32Array(layer.units), inputs: fanIn, units: layer.units })
  }
  return params
}

function activate(t: tf.Tensor2D, activation: PackLayer['activation'], logits: boolean): tf.Tensor2D {
  if (logits && (activation === 'sigmoid' || activation === 'softmax')) return t
  switch (activation) {
    case 'relu': return tf.relu(t)
    case 'tanh': return tf.tanh(t)
    case 'sigmoid': return tf.sigmoid(t)
    case 'softmax': return tf.softmax(t)
    default: return t
  }
}

/**
 * Trains the dense graph with a hand-written loop (Adam, shuffled mini-batches, seeded), so every weight maps
 * one-to-one onto the pack format and the run is reproducible. Returns the trained parameters.
 */
export function trainNetwork(options: TrainOptions): Params {
  const { layers, inputs, heads } = options
  const rng = createRng(options.seed)
  const init = initParams(layers, inputs, rng)
  const vars = new Map<string, { kernel: tf.Variable; bias: tf.Variable }>()
  for (const layer of layers) {
    const p = init.get(layer.name)!
    vars.set(layer.name, {
      kernel: tf.variable(tf.tensor2d(p.kernel, [p.inputs, p.units]), true, `${layer.name}_kernel`),
      bias: tf.variable(tf.tensor1d(p.bias), true, `${layer.name}_bias`),
    })
  }
  const rows = options.x.length / inputs
  const optimizer = tf.train.adam(options.learningRate)
  const varList = [...vars.values()].flatMap((v) => [v.kernel, v.bias])

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // Cosine decay of the step size: large steps first, fine-tuning at the end.
    ;(optimizer as unknown as { learningRate: number }).learningRate = options.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * epoch) / options.epochs)))
    const order = permutation(rows, rng)
    let epochLoss = 0
    let batches = 0
    for (let start = 0; start < rows; start += options.batchSize) {
      const idx = order.slice(start, start + options.batchSize)
      const n = idx.length
      const xb = new Float32Array(n * inputs)
      for (let r = 0; r < n; r++) xb.set(options.x.subarray(idx[r] * inputs, idx[r] * inputs + inputs), r * inputs)
      const loss = tf.tidy(() => {
        const xt = tf.tensor2d(xb, [n, inputs])
        const targets = heads.map((h) => {
          if (h.kind === 'softmax') {
            const y = new Int32Array(n)
            for (let r = 0; r < n; r++) y[r] = h.labels[idx[r]]
            return tf.oneHot(tf.tensor1d(y, 'int32'), h.classes).toFloat()
          }
          const y = new Float32Array(n)
          const w = new Float32Array(n)
          for (let r = 0; r < n; r++) {
            y[r] = h.labels[idx[r]]
            w[r] = (y[r] === 1 ? h.positiveWeight ?? 1 : 1) * (h.rowWeights ? h.rowWeights[idx[r]] : 1)
          }
          return tf.stack([tf.tensor1d(y), tf.tensor1d(w)], 1)
        })
        return optimizer.minimize(() => {
          const outputs = new Map<string, tf.Tensor2D>()
          for (const layer of layers) {
            const v = vars.get(layer.name)!
            const inp = layer.input === 'input' ? xt : outputs.get(layer.input)!
            outputs.set(layer.name, activate(tf.add(tf.matMul(inp, v.kernel), v.bias) as tf.Tensor2D, layer.activation, true))
          }
          let total = tf.scalar(0)
          heads.forEach((h, i) => {
            const logits = outputs.get(h.layer)!
            const t = targets[i]
            let l: tf.Scalar
            if (h.kind === 'softmax') l = tf.losses.softmaxCrossEntropy(t, logits) as tf.Scalar
            else {
              const y = t.slice([0, 0], [n, 1])
              const w = t.slice([0, 1], [n, 1])
              l = tf.div(tf.sum(tf.mul(w, tf.losses.sigmoidCrossEntropy(y, logits, undefined, undefined, tf.Reduction.NONE))), tf.sum(w)) as tf.Scalar
            }
            total = tf.add(total, tf.mul(l, h.weight))
          })
          if (options.l2 > 0) {
            for (const v of vars.values()) total = tf.add(total, tf.mul(tf.sum(tf.square(v.kernel)), options.l2))
          }
          return total as tf.Scalar
        }, true, varList) as tf.Scalar
      })
      epochLoss += loss.dataSync()[0]
      loss.dispose()
      batches++
    }
    options.onEpoch?.(epoch, epochLoss / batches)
  }
  const params: Params = new Map()
  for (const layer of layers) {
    const v = vars.get(layer.name)!
    const p = init.get(layer.name)!
    params.set(layer.name, { kernel: v.kernel.dataSync() as Float32Array, bias: v.bias.dataSync() as Float32Array, inputs: p.inputs, units: p.units })
  }
  optimizer.dispose()
  for (const v of vars.values()) { v.kernel.dispose(); v.bias.dispose() }
  return params
}

/**
 * Runs the dense graph in plain JavaScript (matMul + bias + activation, exactly what the browser runtime does).
 * Returns every layer's output, row-major.
 */
export function forward(layers: readonly PackLayer[], params: Params, x: Float32Array, inputs: number): Map<string, Float32Array> {
  const rows = x.length / inputs
  const outputs = new Map<string, Float32Array>()
  for (const layer of layers) {
    const p = params.get(layer.name)!
    const inp = layer.input === 'input' ? x : outputs.get(layer.input)!
    const k = p.inputs
    const u = p.units
    const out = new Float32Array(rows * u)
    for (let r = 0; r < rows; r++) {
      const o = r * u
      for (let j = 0; j < u; j++) out[o + j] = p.bias[j]
      for (let i = 0; i < k; i++) {
        const xi = inp[r * k + i]
        if (xi === 0) continue
        const w = i * u
        for (let j = 0; j < u; j++) out[o + j] += xi * p.kernel[w + j]
      }
      if (layer.activation === 'relu') for (let j = 0; j < u; j++) out[o + j] = Math.max(0, out[o + j])
      else if (layer.activation === 'tanh') for (let j = 0; j < u; j++) out[o + j] = Math.tanh(out[o + j])
      else if (layer.activation === 'sigmoid') for (let j = 0; j < u; j++) out[o + j] = 1 / (1 + Math.exp(-out[o + j]))
      else if (layer.activation === 'softmax') {
        let m = -Infinity
        for (let j = 0; j < u; j++) m = Math.max(m, out[o + j])
        let s = 0
        for (let j = 0; j < u; j++) { out[o + j] = Math.exp(out[o + j] - m); s += out[o + j] }
        for (let j = 0; j < u; j++) out[o + j] /= s
      }
    }
    outputs.set(layer.name, out)
  }
  return outputs
}
