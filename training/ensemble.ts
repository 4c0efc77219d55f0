import type { PackLayer } from '../src/pack/types'
import { forward, trainNetwork, type Params } from './network'
import { createRng, permutation } from './rng'

export interface EnsembleOptions {
  x: Float32Array
  inputs: number
  /** Binary label per row. */
  labels: Float32Array
  /** k-means cluster per row (distillation target of the segment head). */
  segments: Int32Array
  k: number
  /** Cross-fitting fold of each row, 0..members-1; member m never sees fold m (its out-of-fold scores pick the threshold). */
  folds: Int32Array
  members: number
  hidden: number
  /** Second hidden layer; 0 for none. */
  hidden2: number
  epochs: number
  batchSize: number
  learningRate: number
  l2: number
  seed: number
  /** Weight of the segment loss against the binary loss. */
  segmentWeight: number
  binaryHead: string
  /**
   * Ship members refitted on all rows (new seeds) instead of the cross-fitting members; the cross-fitting
   * members then only provide the out-of-fold scores.
   */
  refit?: boolean
  /** Weight of each row in the binary loss (default 1), e.g. lower for augmented copies. */
  rowWeights?: Float32Array
  log?: (line: string) => void
}

export interface Ensemble {
  layers: PackLayer[]
  params: Params
  /** Out-of-fold probability of every training row (from the member that did not train on it). */
  oof: Float32Array
}

function memberLayers(o: EnsembleOptions): PackLayer[] {
  const top = o.hidden2 > 0 ? 'trunk2' : 'trunk'
  return [
    { name: 'trunk', input: 'input', units: o.hidden, activation: 'relu' },
    ...(o.hidden2 > 0 ? [{ name: 'trunk2', input: 'trunk', units: o.hidden2, activation: 'relu' } as PackLayer] : []),
    { name: 'segment', input: top, units: o.k, activation: 'softmax' },
    { name: o.binaryHead, input: top, units: 1, activation: 'sigmoid' },
  ]
}

/**
 * Trains `members` small multi-head networks on cross-fitting folds and merges them into ONE dense graph:
 * the trunks side by side (block-diagonal second layer), the heads averaging the members' logits. A softmax
 * or sigmoid of averaged logits is exactly what the merged layers compute, so the browser runs the ensemble
 * as plain dense layers.
 */
export function trainEnsemble(o: EnsembleOptions): Ensemble {
  const layers = memberLayers(o)
  const n = o.labels.length
  const oof = new Float32Array(n)
  const members: Params[] = []
  for (let m = 0; m < o.members; m++) {
    const rows: number[] = []
    for (let i = 0; i < n; i++) if (o.members === 1 || o.folds[i] !== m) rows.push(i)
    const x = new Float32Array(rows.length * o.inputs)
    const y = new Float32Array(rows.length)
    const s = new Int32Array(rows.length)
    rows.forEach((r, i) => { x.set(o.x.subarray(r * o.inputs, (r + 1) * o.inputs), i * o.inputs); y[i] = o.labels[r]; s[i] = o.segments[r] })
    const started = Date.now()
    const params = trainNetwork({
      layers, x, inputs: o.inputs, epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, l2: o.l2,
      seed: o.seed + 101 * m,
      heads: [
        { layer: o.binaryHead, kind: 'sigmoid', labels: y, weight: 1, rowWeights: o.rowWeights ? Float32Array.from(rows, (r) => o.rowWeights![r]) : undefined },
        { layer: 'segment', kind: 'softmax', labels: s, classes: o.k, weight: o.segmentWeight },
      ],
    })
    members.push(params)
    // Out-of-fold scores: rows of fold m (all rows when there is a single member: then they are in-sample).
    const held: number[] = []
    for (let i = 0; i < n; i++) if (o.members === 1 || o.folds[i] === m) held.push(i)
    const xh = new Float32Array(held.length * o.inputs)
    held.forEach((r, i) => xh.set(o.x.subarray(r * o.inputs, (r + 1) * o.inputs), i * o.inputs))
    const p = forward(layers, params, xh, o.inputs).get(o.binaryHead)!
    held.forEach((r, i) => { oof[r] = p[i] })
    o.log?.(`  member ${m + 1}/${o.members} trained on ${rows.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  if (o.refit && o.members > 1) {
    members.length = 0
    for (let m = 0; m < o.members; m++) {
      const started = Date.now()
      members.push(trainNetwork({
        layers, x: o.x, inputs: o.inputs, epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, l2: o.l2,
        seed: o.seed + 7919 + 101 * m,
        heads: [
          { layer: o.binaryHead, kind: 'sigmoid', labels: o.labels, weight: 1, rowWeights: o.rowWeights },
          { layer: 'segment', kind: 'softmax', labels: o.segments, classes: o.k, weight: o.segmentWeight },
        ],
      }))
      o.log?.(`  refit member ${m + 1}/${o.members} trained on all ${n} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }
  }
  return { ...mergeMembers(layers, members, o), oof }
}

function mergeMembers(member: PackLayer[], members: Params[], o: EnsembleOptions): { layers: PackLayer[]; params: Params } {
  const M = members.length
  const layers = member.map((l) => ({ ...l, units: l.activation === 'relu' ? l.units * M : l.units }))
  const params: Params = new Map()
  const first = members[0]
  const h1 = first.get('trunk')!.units
  // trunk: the members' kernels side by side.
  {
    const k = new Float32Array(o.inputs * h1 * M)
    const b = new Float32Array(h1 * M)
    members.forEach((p, m) => {
      const t = p.get('trunk')!
      for (let i = 0; i < o.inputs; i++) for (let j = 0; j < h1; j++) k[i * h1 * M + m * h1 + j] = t.kernel[i * h1 + j]
      b.set(t.bias, m * h1)
    })
    params.set('trunk', { kernel: k, bias: b, inputs: o.inputs, units: h1 * M })
  }
  let topUnits = h1
  if (o.hidden2 > 0) {
    // trunk2: block-diagonal, each member reads only its own first-layer units.
    const h2 = first.get('trunk2')!.units
    const k = new Float32Array(h1 * M * h2 * M)
    const b = new Float32Array(h2 * M)
    members.forEach((p, m) => {
      const t = p.get('trunk2')!
      for (let i = 0; i < h1; i++) for (let j = 0; j < h2; j++) k[(m * h1 + i) * h2 * M + m * h2 + j] = t.kernel[i * h2 + j]
      b.set(t.bias, m * h2)
    })
    params.set('trunk2', { kernel: k, bias: b, inputs: h1 * M, units: h2 * M })
    topUnits = h2
  }
  // Heads: the members' head kernels stacked and divided by M, so the logits are the members' mean logit.
  for (const head of ['segment', o.binaryHead]) {
    const units = first.get(head)!.units
    const k = new Float32Array(topUnits * M * units)
    const b = new Float32Array(units)
    members.forEach((p, m) => {
      const t = p.get(head)!
      for (let i = 0; i < topUnits; i++) for (let j = 0; j < units; j++) k[(m * topUnits + i) * units + j] = t.kernel[i * units + j] / M
      for (let j = 0; j < units; j++) b[j] += t.bias[j] / M
    })
    params.set(head, { kernel: k, bias: b, inputs: topUnits * M, units })
  }
  return { layers, params }
}

/** Fold of each row: a seeded, balanced assignment by group (augmented copies of a row share its fold). */
export function foldsByGroup(groups: ArrayLike<number>, members: number, seed: number): Int32Array {
  let max = 0
  for (let i = 0; i < groups.length; i++) max = Math.max(max, groups[i])
  const order = permutation(max + 1, createRng(seed))
  const foldOf = new Int32Array(max + 1)
  order.forEach((g, position) => { foldOf[g] = position % members })
  const out = new Int32Array(groups.length)
  for (let i = 0; i < groups.length; i++) out[i] = foldOf[groups[i]]
  return out
}
