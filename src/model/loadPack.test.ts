// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { FIXTURE_LAYERS, makePack } from './__fixtures__/makePack'
import { disposePack, loadPack, predict } from './loadPack'

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

/** The fixture network by hand: hidden = relu(x·K + b); segment = softmax(hidden); intent = sigmoid(h0 − h1). */
function expected(x: number[]) {
  const h = [Math.max(0, x[0] + x[2]), Math.max(0, x[1] - x[2] + 0.5)]
  const e = h.map(Math.exp)
  return { segment: e.map((v) => v / (e[0] + e[1])), intent: [sigmoid(h[0] - h[1])] }
}

describe('predict', () => {
  it.each([
    [[0, 0, 0]],
    [[1, 2, 3]],
    [[-1, 0.25, 0.5]],
    [[3, -2, -4]],
  ])('matches the hand-computed network for %j', (x) => {
    const loaded = loadPack(makePack())
    const out = predict(loaded, x)
    const want = expected(x)
    expect(Object.keys(out)).toEqual(['segment', 'intent'])
    expect(out.segment).toBeInstanceOf(Float32Array)
    for (const head of ['segment', 'intent'] as const) {
      expect(Array.from(out[head]).map((v) => +v.toFixed(5))).toEqual(want[head].map((v) => +v.toFixed(5)))
    }
    disposePack(loaded)
  })

  it('accepts a Float32Array and keeps no tensors behind', async () => {
    const { memory } = await import('@tensorflow/tfjs-core')
    const loaded = loadPack(makePack())
    const before = memory().numTensors
    predict(loaded, new Float32Array([1, 2, 3]))
    expect(memory().numTensors).toBe(before)
    disposePack(loaded)
    expect(memory().numTensors).toBe(before - 6)
  })

  it('runs linear and tanh layers', () => {
    const loaded = loadPack(
      makePack({
        names: ['a', 'b'],
        layers: [
          { name: 'lin', input: 'input', units: 2, activation: 'linear', kernel: [[2, 0], [0, 3]], bias: [1, -1] },
          { name: 'out', input: 'lin', units: 1, activation: 'tanh', kernel: [[1], [1]], bias: [0] },
        ],
        heads: { score: { kind: 'probability', layer: 'out', description: 'x', threshold: 0.5 }, raw: { kind: 'segment', layer: 'lin', labels: ['p', 'q'], tree: { id: 'r', name: 'R' } } },
      }),
    )
    const out = predict(loaded, [0.5, 0.25])
    expect(Array.from(out.raw)).toEqual([2, -0.25])
    expect(out.score[0]).toBeCloseTo(Math.tanh(1.75), 6)
  })

  it('refuses an input of the wrong length and a disposed pack', () => {
    const loaded = loadPack(makePack())
    expect(() => predict(loaded, [1, 2])).toThrow(expect.objectContaining({ code: 'model_failed', message: expect.stringContaining('expects 3 inputs, got 2') }))
    expect(() => predict(loaded, [1, 2, 3], 2)).toThrow(expect.objectContaining({ message: expect.stringContaining('expects 2 × 3 inputs, got 3') }))
    disposePack(loaded)
    expect(() => predict(loaded, [1, 2, 3])).toThrow(expect.objectContaining({ code: 'model_failed' }))
  })

  it('gives a segment head its logits when asked, and every other head as before', async () => {
    const { memory } = await import('@tensorflow/tfjs-core')
    const loaded = loadPack(makePack())
    const before = memory().numTensors
    const x = [1, 2, 3, -1, 0.25, 0.5]
    const plain = predict(loaded, x, 2)
    const out = predict(loaded, x, 2, { logits: true })
    expect(memory().numTensors).toBe(before)
    // The segment layer is the identity over the hidden layer: its logits are the hidden units.
    const hidden = (v: number[]) => [Math.max(0, v[0] + v[2]), Math.max(0, v[1] - v[2] + 0.5)]
    expect(Array.from(out.segment).map((v) => +v.toFixed(5))).toEqual([...hidden(x.slice(0, 3)), ...hidden(x.slice(3))].map((v) => +v.toFixed(5)))
    expect(Array.from(out.intent)).toEqual(Array.from(plain.intent))
    disposePack(loaded)
  })

  it('runs several rows in one call, each as it would alone', () => {
    const loaded = loadPack(makePack())
    const a = predict(loaded, [0.5, -1, 2])
    const b = predict(loaded, [3, 0, -0.25])
    const both = predict(loaded, [0.5, -1, 2, 3, 0, -0.25], 2)
    for (const head of loaded.heads) {
      const width = a[head].length
      expect(Array.from(both[head].subarray(0, width))).toEqual(Array.from(a[head]))
      expect(Array.from(both[head].subarray(width))).toEqual(Array.from(b[head]))
    }
  })
})

describe('quantized weights', () => {
  it.each(['uint8', 'uint16', 'float16'] as const)('decode %s weights to the same outputs', (quantize) => {
    const x = [1, 2, 3]
    const loaded = loadPack(makePack({ quantize }))
    const out = predict(loaded, x)
    const want = expected(x)
    // uint8 keeps ~1/255 of each tensor's range; the fixture weights are all on its grid or near it.
    const digits = quantize === 'uint8' ? 2 : 4
    out.segment.forEach((v, i) => expect(v).toBeCloseTo(want.segment[i], digits))
    expect(out.intent[0]).toBeCloseTo(want.intent[0], digits)
  })
})

describe('loadPack', () => {
  it.each([NaN, Infinity, -Infinity])('refuses a pack with a %s weight as pack_invalid, before any prediction', (bad) => {
    const layers = structuredClone(FIXTURE_LAYERS)
    layers[1].bias = [0, bad]
    expect(() => loadPack(makePack({ layers }))).toThrow(expect.objectContaining({ code: 'pack_invalid', message: expect.stringContaining('segment/bias') }))
  })
})
