import { toClassToken } from '../personalize/toClassToken'
import { ModelPackError } from '../errors'
import { isIntentCorrection } from '../reports/learn/correction'
import { learnTableIndexes } from '../reports/learn/learnTableIndexes'
import { LEARN_TABLES } from '../reports/learn/schema'
import { PACK_FORMAT_VERSION } from './types'
import type { ExpectedFeatureSpec, ModelPack, PackLayer, PackWeightSpec } from './types'

const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'softmax', 'tanh']
const TRANSFORMS = ['identity', 'log1p']
const QUANTIZATIONS = ['uint8', 'uint16', 'float16']
const BYTES_PER_VALUE: Record<string, number> = { float32: 4, uint8: 1, uint16: 2, float16: 2 }

/**
 * The one check of a model pack, used by the browser before it builds tensors and by training before it
 * evaluates or writes a pack. First the shape: a parsed JSON value has the shape of a {@link ModelPack} and
 * its parts agree with each other (layer graph, weight shapes, weight byte length, heads); else it throws
 * `ModelPackError('pack_invalid')` naming the first thing that is wrong; with `expected`, a session pack must
 * have a segment head and a probability head (intent). Then, with `expected` (the SDK's
 * feature table for a kind, see `expectedFeatures()` of src/features), the features: same kind, same feature
 * version, every name one the SDK computes, none twice, each with the table's transform; else it throws
 * `ModelPackError('pack_spec_mismatch')` listing every difference. A pack may read fewer features than the
 * table holds, in its own order. Returns the value typed as a pack.
 *
 * @example
 * const pack = checkPack(JSON.parse(text), expectedFeatures('session'))
 */
export function checkPack(value: unknown, expected?: ExpectedFeatureSpec): ModelPack {
  const fail = (message: string): never => {
    throw new ModelPackError('pack_invalid', `Invalid model pack: ${message}.`)
  }
  if (!isObject(value)) return fail('expected a JSON object')
  const pack = value as Partial<ModelPack>
  if (pack.format !== 'seglet-model-pack') fail(`"format" must be "seglet-model-pack", got ${show(pack.format)}`)
  if (pack.formatVersion !== PACK_FORMAT_VERSION) {
    fail(`"formatVersion" ${show(pack.formatVersion)} is not supported (this SDK reads ${PACK_FORMAT_VERSION})`)
  }
  if (pack.kind !== 'session' && pack.kind !== 'lifetime') fail(`"kind" must be "session" or "lifetime", got ${show(pack.kind)}`)
  if (typeof pack.version !== 'string' || !pack.version) fail('"version" must be a non-empty string')

  // Feature spec: four arrays of the same length.
  const spec = pack.featureSpec
  if (!isObject(spec)) return fail('"featureSpec" is missing')
  if (typeof spec.version !== 'string') fail('"featureSpec.version" must be a string')
  if (!Array.isArray(spec.names) || spec.names.some((n) => typeof n !== 'string')) {
    fail('"featureSpec.names" must be an array of strings')
  }
  const inputSize = spec.names.length
  if (inputSize === 0) fail('"featureSpec.names" is empty')
  for (const key of ['transforms', 'mean', 'std'] as const) {
    const list = spec[key] as unknown
    if (!Array.isArray(list) || list.length !== inputSize) {
      fail(`"featureSpec.${key}" must be an array of ${inputSize} entries (one per feature name)`)
    }
  }
  spec.transforms.forEach((t, i) => {
    if (!TRANSFORMS.includes(t)) fail(`"featureSpec.transforms[${i}]" ${show(t)} is not one of ${TRANSFORMS.join(', ')}`)
  })
  spec.mean.forEach((m, i) => {
    if (!Number.isFinite(m)) fail(`"featureSpec.mean[${i}]" must be a finite number`)
  })
  spec.std.forEach((s, i) => {
    if (!Number.isFinite(s) || s <= 0) fail(`"featureSpec.std[${i}]" must be a positive number, got ${show(s)}`)
  })

  // Layers: a graph of dense layers, each reading 'input' or an earlier layer.
  const model = pack.model
  if (!isObject(model)) return fail('"model" is missing')
  if (!Array.isArray(model.layers) || model.layers.length === 0) fail('"model.layers" must be a non-empty array')
  const widths = new Map<string, number>([['input', inputSize]])
  model.layers.forEach((layer: PackLayer, i) => {
    const at = `"model.layers[${i}]"`
    if (!isObject(layer)) fail(`${at} must be an object`)
    if (typeof layer.name !== 'string' || !layer.name || layer.name === 'input') fail(`${at}.name must be a non-empty string other than "input"`)
    if (widths.has(layer.name)) fail(`${at}.name "${layer.name}" is used twice`)
    if (!widths.has(layer.input)) fail(`${at} ("${layer.name}") reads ${show(layer.input)}, which is neither "input" nor an earlier layer`)
    if (!Number.isInteger(layer.units) || layer.units < 1) fail(`${at}.units must be a positive integer`)
    if (!ACTIVATIONS.includes(layer.activation)) fail(`${at}.activation ${show(layer.activation)} is not one of ${ACTIVATIONS.join(', ')}`)
    widths.set(layer.name, layer.units)
  })

  // Weight specs: exactly a kernel [in, units] and a bias [units] per layer; byte length matches the data.
  if (!Array.isArray(model.weightSpecs)) fail('"model.weightSpecs" must be an array')
  if (typeof model.weightData !== 'string') fail('"model.weightData" must be a base64 string')
  const specs = new Map<string, PackWeightSpec>()
  let byteLength = 0
  model.weightSpecs.forEach((w: PackWeightSpec, i) => {
    const at = `"model.weightSpecs[${i}]"`
    if (!isObject(w) || typeof w.name !== 'string') return fail(`${at} must be an object with a name`)
    if (!Array.isArray(w.shape) || w.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`${at} ("${w.name}") has an invalid shape`)
    if (w.dtype !== 'float32') fail(`${at} ("${w.name}") dtype must be "float32", got ${show(w.dtype)}`)
    if (w.quantization !== undefined && (!isObject(w.quantization) || !QUANTIZATIONS.includes(w.quantization.dtype))) {
      fail(`${at} ("${w.name}") quantization dtype must be one of ${QUANTIZATIONS.join(', ')}`)
    }
    if (specs.has(w.name)) fail(`${at} "${w.name}" is listed twice`)
    specs.set(w.name, w)
    byteLength += w.shape.reduce((a, b) => a * b, 1) * BYTES_PER_VALUE[w.quantization?.dtype ?? 'float32']
  })
  for (const layer of model.layers) {
    const expected: Array<[string, number[]]> = [
      [`${layer.name}/kernel`, [widths.get(layer.input)!, layer.units]],
      [`${layer.name}/bias`, [layer.units]],
    ]
    for (const [name, shape] of expected) {
      const w = specs.get(name)
      if (!w) fail(`weight "${name}" is missing from "model.weightSpecs"`)
      else if (w.shape.join() !== shape.join()) fail(`weight "${name}" has shape [${w.shape}], expected [${shape}]`)
    }
  }
  const decodedLength = base64ByteLength(model.weightData)
  if (decodedLength < 0) fail('"model.weightData" is not base64')
  if (decodedLength !== byteLength) {
    fail(`"model.weightData" holds ${decodedLength} bytes but "model.weightSpecs" describe ${byteLength}`)
  }

  // Heads: each reads an existing layer; segment heads have one label per unit.
  if (!isObject(pack.heads) || Object.keys(pack.heads).length === 0) fail('"heads" must name at least one output head')
  for (const [name, head] of Object.entries(pack.heads!)) {
    const at = `head "${name}"`
    if (!isObject(head)) return fail(`${at} must be an object`)
    const units = widths.get(head.layer)
    if (units === undefined || head.layer === 'input') fail(`${at} reads layer ${show(head.layer)}, which is not in "model.layers"`)
    if (head.kind === 'segment') {
      if (!Array.isArray(head.labels) || head.labels.length !== units) fail(`${at} must have ${units} labels, one per unit of "${head.layer}"`)
      // Labels become the segment's id: kept as a stored segment keeps one (`toSegment()`), one output each.
      const seen = new Set<string>()
      head.labels.forEach((label: unknown, i: number) => {
        if (!isSegmentId(label)) fail(`${at} label ${i} must be a segment id (text of 1–${MAX_SEGMENT_ID_LENGTH} characters), got ${show(label)}`)
        if (seen.has(label as string)) fail(`${at} lists label ${show(label)} twice`)
        seen.add(label as string)
      })
      if (!isObject(head.tree) || typeof head.tree.id !== 'string') fail(`${at} needs a segment "tree"`)
      checkTree(head.tree, at, fail)
    } else if (head.kind === 'probability') {
      if (units !== 1) fail(`${at} is a probability head, so layer "${head.layer}" must have 1 unit, not ${units}`)
      if (typeof head.threshold !== 'number' || !(head.threshold >= 0 && head.threshold <= 1)) fail(`${at} threshold must be between 0 and 1`)
    } else {
      fail(`${at} kind must be "segment" or "probability", got ${show((head as { kind?: unknown }).kind)}`)
    }
  }
  // A session pack for the SDK decides a segment and the purchase intent: without either head no decision is made.
  const kinds = Object.values(pack.heads!).map((head) => head.kind)
  if (expected && pack.kind === 'session' && !(kinds.includes('segment') && kinds.includes('probability'))) fail('a session pack needs a "segment" head and a "probability" head')
  if (expected) checkFeatures(pack as ModelPack, expected)
  if (pack.intentCorrection !== undefined && !isIntentCorrection(pack.intentCorrection)) fail('"intentCorrection" does not match the training tables of this SDK')
  if (pack.learnTables !== undefined && (pack.kind !== 'session' || !learnTableIndexes(pack.learnTables)))
    fail(`"learnTables" must be a session pack's list of 1 or more distinct training tables of this SDK (${LEARN_TABLES.map((t) => t.id).join(', ')})`)
  return pack as ModelPack
}

function checkFeatures(pack: ModelPack, expected: ExpectedFeatureSpec): void {
  const problems: string[] = []
  if (pack.kind !== expected.kind) problems.push(`pack kind is "${pack.kind}", expected "${expected.kind}"`)
  if (pack.featureSpec.version !== expected.version) {
    problems.push(`feature version is "${pack.featureSpec.version}", the SDK computes "${expected.version}"`)
  }
  const { names, transforms } = pack.featureSpec
  const unknown = names.filter((name) => !expected.names.includes(name))
  if (unknown.length) problems.push(`unknown features: ${unknown.join(', ')}`)
  const twice = names.filter((name, i) => names.indexOf(name) !== i)
  if (twice.length) problems.push(`features read twice: ${twice.join(', ')}`)
  if (expected.transforms) {
    const other = names.filter((name, i) => {
      const at = expected.names.indexOf(name)
      return at >= 0 && expected.transforms![at] !== transforms[i]
    })
    if (other.length) problems.push(`features with another transform: ${other.map((n) => `${n} (the SDK uses ${expected.transforms![expected.names.indexOf(n)]})`).join(', ')}`)
  }
  if (problems.length) {
    throw new ModelPackError(
      'pack_spec_mismatch',
      `Model pack "${pack.kind}@${pack.version}" does not match this SDK's features: ${problems.join('; ')}.`,
    )
  }
}

/** Longest segment id: what a stored segment keeps across page loads (`toSegment()`). */
const MAX_SEGMENT_ID_LENGTH = 128

const isSegmentId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_SEGMENT_ID_LENGTH

/**
 * Most levels below the root of a segment tree: every level is a class on `<html>` and a step of the segment's
 * path. Packs cluster into a handful of segments, a few levels deep.
 */
const MAX_SEGMENT_TREE_DEPTH = 32

/**
 * Every node of a segment tree has an id and a name, text; a description, if any, is text; children, if any,
 * a list of nodes; no node is more than MAX_SEGMENT_TREE_DEPTH levels below the root. Walked without recursion:
 * the decision reads names and paths from this tree.
 */
function checkTree(tree: Record<string, any>, at: string, fail: (message: string) => never): void {
  const stack: Array<[node: unknown, depth: number]> = [[tree, 0]]
  // Each id's class token (`seglet-<token>` on <html>, what `data-seglet-show` names): pages tell segments apart by it.
  const tokens = new Map<string, string>()
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (depth > MAX_SEGMENT_TREE_DEPTH) fail(`${at} tree is nested more than ${MAX_SEGMENT_TREE_DEPTH} levels deep`)
    if (!isObject(node) || !isSegmentId(node.id)) return fail(`${at} tree has a node whose id is not a segment id`)
    const { id, name, description, children } = node
    const token = toClassToken(id)
    const other = tokens.get(token)
    if (!token) fail(`${at} tree node ${show(id)} has no letter a–z or digit, which pages name a segment by (its class on <html>, data-seglet-show): give it an id such as "regulars" and keep ${show(id)} as its name`)
    if (other !== undefined && other !== id) fail(`${at} tree nodes ${show(other)} and ${show(id)} are the same segment to a page (class seglet-${token}): give them ids that differ in letters a–z or digits`)
    tokens.set(token, id)
    if (typeof name !== 'string') fail(`${at} tree node ${show(id)} needs a name`)
    if (description !== undefined && typeof description !== 'string') fail(`${at} tree node ${show(id)} has a description that is not text`)
    if (children !== undefined && !Array.isArray(children)) fail(`${at} tree node ${show(id)} has children that are not a list`)
    for (const child of children ?? []) stack.push([child, depth + 1])
  }
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value)
}

/** Decoded length of a base64 string, without decoding it; -1 when it is not base64. */
function base64ByteLength(base64: string): number {
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return -1
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0
  return (base64.length / 4) * 3 - padding
}
