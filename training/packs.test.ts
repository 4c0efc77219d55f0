// @vitest-environment node
import * as tf from '@tensorflow/tfjs'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedFeatures, LIFETIME_FEATURE_SPEC_VERSION, SESSION_FEATURE_SPEC_VERSION } from '../src/features/featureNames'
import { checkPack } from '../src/pack/checkPack'
import { decodeWeights } from '../src/pack/weightCodec'
import { computeFeatures } from '../src/features/computeFeatures'
import { lifetimeVector, sessionVector } from '../src/features/vectors'
import type { PageStats } from '../src/events/types'
import type { ModelPack, ProbabilityHead, SegmentHead, SegmentTreeNode } from '../src/pack/types'
import { DEFAULT_DATA_DIR, PROJECT_ROOT, readDataFile, RETAIL_FILE, SHOPPERS_FILE } from './data'
import { evaluatePack } from './evaluatePack'
import { retailCustomers, retailEvents } from './loadRetail'
import { parseShoppers, rowToAggregate, rowToEvents } from './loadShoppers'
import { createRng } from './rng'

/** The targets of issue 3, checked against the metrics the training run measured and wrote into the packs. */
const TARGETS = {
  intentRocAuc: 0.935,
  intentRocAucNoStats: 0.75,
  intentAccuracy: 0.905,
  repeatRocAuc: 0.73,
  segmentAgreement: 0.97,
  bothPacksBytes: 30 * 1024,
}

const read = (name: string) => {
  const path = join(PROJECT_ROOT, 'src', 'models', name)
  return { text: readFileSync(path, 'utf8'), pack: JSON.parse(readFileSync(path, 'utf8')) as ModelPack }
}
const session = read('session.json')
const lifetime = read('lifetime.json')

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function leaves(node: SegmentTreeNode): string[] {
  return node.children ? node.children.flatMap(leaves) : [node.id]
}

describe.each([
  ['session', session, SESSION_FEATURE_SPEC_VERSION, 'intent'],
  ['lifetime', lifetime, LIFETIME_FEATURE_SPEC_VERSION, 'repeat'],
] as const)('%s pack', (kind, { text, pack }, version, binary) => {
  it('says first that it is generated', () => {
    expect(Object.keys(pack)[0]).toBe('$comment')
    expect(pack.$comment).toMatch(/GENERATED.*npm run train/)
    expect(text.indexOf('$comment')).toBeLessThan(10)
  })

  it('matches the feature definition of src/features', () => {
    expect(pack.kind).toBe(kind)
    expect(pack.featureSpec.version).toBe(version)
    expect(() => checkPack(pack, expectedFeatures(kind))).not.toThrow()
  })

  it('is a dense graph whose weights decode and fit the layers', () => {
    const params = decodeWeights(pack.model.layers, pack.model.weightSpecs, pack.model.weightData)
    const units = new Map<string, number>([['input', pack.featureSpec.names.length]])
    for (const layer of pack.model.layers) {
      expect(['linear', 'relu', 'sigmoid', 'softmax', 'tanh']).toContain(layer.activation)
      const p = params.get(layer.name)!
      expect(p.inputs).toBe(units.get(layer.input))
      expect(p.units).toBe(layer.units)
      units.set(layer.name, layer.units)
    }
  })

  it('has a segment head over a shared trunk with a tree of unique kebab-case ids', () => {
    const seg = pack.heads.segment as SegmentHead
    const prob = pack.heads[binary] as ProbabilityHead
    const layer = (name: string) => pack.model.layers.find((l) => l.name === name)!
    expect(layer(seg.layer).activation).toBe('softmax')
    expect(layer(seg.layer).units).toBe(seg.labels.length)
    expect(layer(prob.layer)).toMatchObject({ units: 1, activation: 'sigmoid' })
    expect(layer(seg.layer).input).toBe(layer(prob.layer).input)
    expect(prob.threshold).toBeGreaterThan(0)
    expect(prob.threshold).toBeLessThan(1)
    expect(leaves(seg.tree).sort()).toEqual([...seg.labels].sort())
    const ids: string[] = []
    const walk = (n: SegmentTreeNode) => { ids.push(n.id); n.children?.forEach(walk) }
    walk(seg.tree)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })

  it('records provenance with the verified data hash', () => {
    const file = kind === 'session' ? SHOPPERS_FILE : RETAIL_FILE
    expect(pack.provenance.sha256).toBe(
      { [SHOPPERS_FILE]: 'b3055ee355f59134d851d32641183cb4a8b45def7124d2f50442a042f358e0d9', [RETAIL_FILE]: '49957b05e60c2650740be37d4dd3bed18dc7916ba30a0f9204889b7b64d75509' }[file],
    )
    expect(pack.provenance.split).toMatch(/% 5 == 0/)
  })
})

/**
 * Targets the shipped packs do not reach yet. Each is an expected failure: when a retrained pack meets it,
 * the test turns red so the entry gets removed here. Issue 3 reports the measured gap.
 */
const KNOWN_GAPS = new Set<string>([])

describe('targets (measured by npm run train on the fixed test splits)', () => {
  const m = session.pack.metrics as Record<string, number>
  const l = lifetime.pack.metrics as Record<string, number>
  const cases: Array<[string, number, number]> = [
    ['session intent ROC AUC with page statistics', m.intentRocAuc, TARGETS.intentRocAuc],
    ['session intent ROC AUC without page statistics', m.intentRocAucNoStats, TARGETS.intentRocAucNoStats],
    ['session intent accuracy at the pack threshold', m.intentAccuracy, TARGETS.intentAccuracy],
    ['repeat purchase ROC AUC', l.repeatRocAuc, TARGETS.repeatRocAuc],
    ['session segment agreement with k-means', m.segmentAgreement, TARGETS.segmentAgreement],
    ['session segment agreement without page statistics', m.segmentAgreementNoStats, TARGETS.segmentAgreement],
    ['lifetime segment agreement with k-means', l.segmentAgreement, TARGETS.segmentAgreement],
  ]
  for (const [name, value, target] of cases) {
    const test = KNOWN_GAPS.has(name) ? it.fails : it
    test(`${name}: ${value} ≥ ${target}${KNOWN_GAPS.has(name) ? ' (known gap)' : ''}`, () => expect(value).toBeGreaterThanOrEqual(target))
  }

  it(`both packs together are at most ${TARGETS.bothPacksBytes} bytes`, () => {
    expect(Buffer.byteLength(session.text) + Buffer.byteLength(lifetime.text)).toBeLessThanOrEqual(TARGETS.bothPacksBytes)
  })
})

describe('evaluatePack', () => {
  it('refuses a pack whose weights decode to infinite values, as browsers do, instead of scoring it', () => {
    const broken = JSON.parse(session.text) as ModelPack
    broken.model.weightSpecs[0]!.quantization!.scale = 1e308
    const raw = expectedFeatures('session').names.map(() => 0)
    expect(() => evaluatePack(broken, [raw, raw], [0, 1], 'intent')).toThrow(/NaN or infinite/)
  })
})

const shoppersPath = join(DEFAULT_DATA_DIR, SHOPPERS_FILE)
const retailPath = join(DEFAULT_DATA_DIR, RETAIL_FILE)
if (!existsSync(shoppersPath) || !existsSync(retailPath)) console.warn('skipping metric re-measurement: data files missing (see ../shared/data/README.md)')

describe('the recorded metrics are reproduced from the data (nothing hard-coded)', () => {
  it.skipIf(!existsSync(shoppersPath))('session pack on the Online Shoppers test split', () => {
    const rows = parseShoppers(readDataFile(shoppersPath).text).filter((r) => r.index % 5 === 0)
    const y = rows.map((r) => (r.revenue ? 1 : 0))
    const withStats = evaluatePack(session.pack, rows.map((r) => sessionVector(rowToAggregate(r))), y, 'intent')
    const without = evaluatePack(session.pack, rows.map((r) => sessionVector(rowToAggregate(r, { withStats: false }))), y, 'intent')
    const m = session.pack.metrics as Record<string, number>
    expect(withStats.binary.auc).toBeCloseTo(m.intentRocAuc, 4)
    expect(withStats.binary.accuracy).toBeCloseTo(m.intentAccuracy, 4)
    expect(without.binary.auc).toBeCloseTo(m.intentRocAucNoStats, 4)
    expect(withStats.segmentAgreement).toBeCloseTo(m.segmentAgreement, 4)
  })

  it.skipIf(!existsSync(shoppersPath))('session pack: a page value alone scores as all three statistics, rates alone below none (why a session counts statistics only with a page value)', () => {
    const rows = parseShoppers(readDataFile(shoppersPath).text).filter((r) => r.index % 5 === 0)
    const y = rows.map((r) => (r.revenue ? 1 : 0))
    const auc = (raws: number[][]) => evaluatePack(session.pack, raws, y, 'intent').binary.auc
    // The rows replayed as stored events and folded by the browser's own code, each page view keeping `keep`.
    const replayed = (keep: readonly (keyof PageStats)[]) => auc(rows.map((r) => computeFeatures(rowToEvents(r).map((event) => {
      if (event.type !== 'page_view' || !event.stats) return event
      const stats = event.stats
      return { ...event, stats: Object.fromEntries(keep.map((key) => [key, stats[key]])) }
    }), Infinity).sessionRaw))
    const m = session.pack.metrics as Record<string, number>
    const all = replayed(['bounceRate', 'exitRate', 'pageValue'])
    expect(all).toBeCloseTo(m.intentRocAuc, 4)
    // A table's page value arrives with about a tenth of the traffic its rates need (README, "Page statistics").
    const valueAlone = replayed(['pageValue'])
    expect(valueAlone).toBeGreaterThan(all - 0.005)
    // As README.md's accuracy table states it.
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')
    expect(/\| purchase intent, ROC AUC, with the page value alone \(rates read as 0\) \| ([0-9.]+) \|/.exec(readme)?.[1]).toBe(valueAlone.toFixed(3))
    // Rates without a page value count as no statistics…
    expect(replayed(['bounceRate', 'exitRate'])).toBeCloseTo(m.intentRocAucNoStats, 4)
    // …as the network, which leans on the page value, scores them read with a page value of 0 below none.
    const ratesValueZero = auc(rows.map((r) => sessionVector({ ...rowToAggregate(r), stats: { bounceRate: r.bounceRates, exitRate: r.exitRates, pageValue: 0 } })))
    expect(ratesValueZero).toBeLessThan(m.intentRocAucNoStats - 0.02)
    // A page value published before its rates is noisier. The collector shows it once its order rate's interval is at
    // most 20 points wide (or, above 20%, as wide as the rate): for an order rate under 20% a standard deviation of
    // at most about 5 at an average order value of 100 (the simulated shop's, on the UCI page-value scale). Noise
    // that large on every session's page value, zeros included, still scores above no statistics, in each of three draws.
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed)
      const noise = () => 5 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
      const noisy = auc(rows.map((r) => sessionVector({ ...rowToAggregate(r), stats: { pageValue: Math.max(0, r.pageValues + noise()) } })))
      expect(noisy, `seed ${seed}`).toBeGreaterThan(m.intentRocAucNoStats + 0.01)
    }
  })

  it.skipIf(!existsSync(retailPath))('lifetime pack on the Online Retail test customers', () => {
    const customers = retailCustomers(retailEvents(readDataFile(retailPath).text)).filter((c) => c.test)
    const e = evaluatePack(lifetime.pack, customers.map((c) => lifetimeVector(c.aggregate)), customers.map((c) => c.label), 'repeat')
    const l = lifetime.pack.metrics as Record<string, number>
    expect(e.binary.auc).toBeCloseTo(l.repeatRocAuc, 4)
    expect(e.segmentAgreement).toBeCloseTo(l.segmentAgreement, 4)
    // Reads and folds all 541,909 invoice lines: room for a busy machine.
  }, 180_000)
})
