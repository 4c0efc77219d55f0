// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { makePack } from '../model/__fixtures__/makePack'
import type { ModelPack } from './types'
import { checkPack } from './checkPack'

type Mutation = (pack: any) => void

const cases: Array<[string, Mutation, string]> = [
  ['another format', (p) => (p.format = 'keras'), '"format" must be "seglet-model-pack"'],
  ['a newer format version', (p) => (p.formatVersion = 2), '"formatVersion" 2 is not supported'],
  ['an unknown kind', (p) => (p.kind = 'basket'), '"kind" must be "session" or "lifetime"'],
  ['no version', (p) => delete p.version, '"version" must be a non-empty string'],
  ['no feature spec', (p) => delete p.featureSpec, '"featureSpec" is missing'],
  ['no feature names', (p) => (p.featureSpec.names = []), '"featureSpec.names" is empty'],
  ['a short mean', (p) => p.featureSpec.mean.pop(), '"featureSpec.mean" must be an array of 3 entries'],
  ['an unknown transform', (p) => (p.featureSpec.transforms[1] = 'sqrt'), '"featureSpec.transforms[1]" "sqrt"'],
  ['a zero std', (p) => (p.featureSpec.std[2] = 0), '"featureSpec.std[2]" must be a positive number'],
  ['no layers', (p) => (p.model.layers = []), '"model.layers" must be a non-empty array'],
  ['a layer reading a later layer', (p) => (p.model.layers[0].input = 'segment'), 'reads "segment", which is neither "input" nor an earlier layer'],
  ['an unknown activation', (p) => (p.model.layers[1].activation = 'gelu'), '"model.layers[1]".activation "gelu"'],
  ['a duplicate layer name', (p) => (p.model.layers[2].name = 'hidden'), 'name "hidden" is used twice'],
  ['a fractional unit count', (p) => (p.model.layers[0].units = 1.5), '"model.layers[0]".units must be a positive integer'],
  ['a missing weight', (p) => p.model.weightSpecs.splice(1, 1), 'weight "hidden/bias" is missing'],
  ['a kernel of the wrong shape', (p) => (p.model.weightSpecs[0].shape = [2, 3]), 'weight "hidden/kernel" has shape [2,3], expected [3,2]'],
  ['an int32 weight', (p) => (p.model.weightSpecs[0].dtype = 'int32'), 'dtype must be "float32"'],
  ['an unknown quantization', (p) => (p.model.weightSpecs[0].quantization = { dtype: 'int4' }), 'quantization dtype must be one of'],
  ['truncated weight data', (p) => (p.model.weightData = p.model.weightData.slice(0, -8)), 'holds 63 bytes but "model.weightSpecs" describe 68'],
  ['weight data that is not base64', (p) => (p.model.weightData = '%%%%'), '"model.weightData" is not base64'],
  ['no heads', (p) => (p.heads = {}), '"heads" must name at least one output head'],
  ['a head on an unknown layer', (p) => (p.heads.intent.layer = 'output'), 'head "intent" reads layer "output"'],
  ['a segment head with too few labels', (p) => p.heads.segment.labels.pop(), 'head "segment" must have 2 labels'],
  ['a segment label that is not an id', (p) => (p.heads.segment.labels[1] = 7), 'head "segment" label 1 must be a segment id'],
  ['an empty segment label', (p) => (p.heads.segment.labels[0] = ''), 'head "segment" label 0 must be a segment id'],
  ['a segment label longer than a stored segment keeps', (p) => (p.heads.segment.labels[1] = 'b'.repeat(129)), 'head "segment" label 1 must be a segment id'],
  ['a segment label listed twice', (p) => (p.heads.segment.labels[1] = 'browser'), 'head "segment" lists label "browser" twice'],
  ['a segment tree whose children are not a list', (p) => (p.heads.segment.tree.children = { id: 'browser', name: 'Browser' }), 'head "segment" tree node "all" has children that are not a list'],
  ['a segment tree node without a name', (p) => delete p.heads.segment.tree.children[1].name, 'head "segment" tree node "buyer" needs a name'],
  ['a segment tree node whose id is not an id', (p) => (p.heads.segment.tree.children[0].id = 3), 'head "segment" tree has a node whose id is not a segment id'],
  ['a segment tree node whose id has no letter a page can name it by', (p) => (p.heads.segment.tree.children[0].id = '常連'), 'head "segment" tree node "常連" has no letter a–z or digit, which pages name a segment by'],
  ['two segment tree nodes that are one class to a page', (p) => (p.heads.segment.tree.children[0].id = 'Buyer'), 'head "segment" tree nodes "buyer" and "Buyer" are the same segment to a page (class seglet-buyer)'],
  ['a segment tree node with a description that is not text', (p) => (p.heads.segment.tree.children[0].description = { text: 'x' }), 'head "segment" tree node "browser" has a description that is not text'],
  ['a segment tree nested deeper than a segment path goes', (p) => {
    let node = p.heads.segment.tree.children[1]
    for (let i = 0; i < 40; i++) node = { id: `level-${i}`, name: `Level ${i}`, children: [node] }
    p.heads.segment.tree.children[1] = node
  }, 'head "segment" tree is nested more than 32 levels deep'],
  ['a probability head with two units', (p) => (p.heads.intent.layer = 'segment'), 'layer "segment" must have 1 unit, not 2'],
  ['a threshold above 1', (p) => (p.heads.intent.threshold = 1.5), 'threshold must be between 0 and 1'],
  ['an unknown head kind', (p) => (p.heads.intent.kind = 'regression'), 'kind must be "segment" or "probability"'],
  ['an empty training-table list', (p) => (p.learnTables = []), '"learnTables" must be a session pack\'s list'],
  ['an unknown training table', (p) => (p.learnTables = ['withStats.cart_value']), '"learnTables" must be a session pack\'s list'],
  ['a training table listed twice', (p) => (p.learnTables = ['withStats.month', 'withStats.month']), '"learnTables" must be a session pack\'s list'],
  ['a training-table list on a lifetime pack', (p) => ((p.kind = 'lifetime'), (p.learnTables = ['withStats.month'])), '"learnTables" must be a session pack\'s list'],
]

describe('checkPack', () => {
  it('accepts a well-formed pack, quantized or not', () => {
    const pack = makePack()
    expect(checkPack(pack)).toBe(pack)
    expect(() => checkPack(makePack({ quantize: 'uint8' }))).not.toThrow()
    expect(() => checkPack(makePack({ quantize: 'float16' }))).not.toThrow()
    expect(() => checkPack({ ...makePack(), learnTables: ['withoutStats.month', 'withStats.product_pages'] })).not.toThrow()
    const deep: any = structuredClone(makePack())
    let node = deep.heads.segment.tree.children[1]
    for (let i = 0; i < 31; i++) node = { id: `level-${i}`, name: `Level ${i}`, children: [node] }
    deep.heads.segment.tree.children[1] = node
    expect(() => checkPack(deep)).not.toThrow()
  })

  it.each([null, 42, 'pack', [makePack()]])('refuses %j', (value) => {
    expect(() => checkPack(value)).toThrow(expect.objectContaining({ code: 'pack_invalid', message: 'Invalid model pack: expected a JSON object.' }))
  })

  it.each(cases)('refuses %s, naming it', (_, mutate, message) => {
    const pack: ModelPack = structuredClone(makePack())
    mutate(pack)
    let error: any
    try {
      checkPack(pack)
    } catch (e) {
      error = e
    }
    expect(error?.name).toBe('ModelPackError')
    expect(error?.code).toBe('pack_invalid')
    expect(error?.message).toContain(message)
  })
})
