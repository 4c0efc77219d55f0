// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { foldsByGroup } from './ensemble'
import { assign, kmeans, silhouette } from './kmeans'
import { accuracyOf, averagePrecision, bestThreshold, calibration, confusion, f1Of, rocAuc } from './metrics'
import { depthWord, nameLifetimeSegment, nameSessionSegment, segmentTree } from './naming'
import { createRng } from './rng'
import { wardTree } from './ward'

function blobs(centres: number[][], perBlob: number, spread: number, seed = 1): Float64Array {
  const rng = createRng(seed)
  const dim = centres[0].length
  const out = new Float64Array(centres.length * perBlob * dim)
  let o = 0
  for (const c of centres) for (let i = 0; i < perBlob; i++) for (let d = 0; d < dim; d++) out[o++] = c[d] + (rng() - 0.5) * spread
  return out
}

describe('kmeans', () => {
  const centres = [[0, 0], [10, 0], [0, 10]]
  const points = blobs(centres, 50, 1)

  it('recovers well separated clusters', () => {
    const r = kmeans(points, 2, 3, { seed: 3 })
    expect(r.sizes).toEqual([50, 50, 50])
    for (let b = 0; b < 3; b++) {
      const labels = new Set(Array.from(r.labels.slice(b * 50, b * 50 + 50)))
      expect(labels.size).toBe(1)
    }
    const found = Array.from({ length: 3 }, (_, c) => [r.centroids[2 * c], r.centroids[2 * c + 1]].map((v) => Math.round(v) + 0))
    expect(found.sort()).toEqual(centres.map((c) => c.map(Math.round)).sort())
  })

  it('is deterministic for a seed and assign() agrees with the fit', () => {
    const a = kmeans(points, 2, 3, { seed: 9 })
    const b = kmeans(points, 2, 3, { seed: 9 })
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels))
    expect(Array.from(assign(points, 2, a.centroids, 3))).toEqual(Array.from(a.labels))
  })
})

describe('silhouette', () => {
  it('matches a hand-computed case', () => {
    // Clusters {0, 1} and {10}: a(0)=1, b(0)=10 → 0.9; a(1)=1, b(1)=9 → 8/9; the singleton counts 0.
    const s = silhouette(Float64Array.from([0, 1, 10]), 1, Int32Array.from([0, 0, 1]), 2)
    expect(s).toBeCloseTo((0.9 + 8 / 9 + 0) / 3, 12)
  })
  it('prefers the true k on blobs', () => {
    const points = blobs([[0, 0], [10, 0], [0, 10], [10, 10]], 40, 1, 4)
    const score = (k: number) => silhouette(points, 2, kmeans(points, 2, k, { seed: 1 }).labels, k)
    expect(score(4)).toBeGreaterThan(score(3))
    expect(score(4)).toBeGreaterThan(score(5))
  })
})

describe('wardTree', () => {
  it('merges the closest clusters first and weights by size', () => {
    const tree = wardTree([[0], [1], [10]], [1, 1, 1])
    expect(tree.size).toBe(3)
    const [big, single] = tree.children!
    expect(big.leaves.sort()).toEqual([0, 1])
    expect(single.cluster).toBe(2)
    expect(big.height).toBeCloseTo(1, 12) // sqrt(2 · ½ · 1²)
    // Ward between {0,1} (centroid 0.5, n=2) and {10}: sqrt(2 · 2/3 · 9.5²).
    expect(tree.height).toBeCloseTo(Math.sqrt((4 / 3) * 9.5 ** 2), 12)
    expect(tree.centroid[0]).toBeCloseTo(11 / 3, 12)
  })
  it('a single centroid is a leaf', () => {
    expect(wardTree([[1, 2]], [5]).cluster).toBe(0)
  })
})

describe('metrics', () => {
  // Positives 0.9, 0.6, 0.35; negatives 0.8, 0.4, 0.3, 0.1: 0.9 beats 4, 0.6 beats 3, 0.35 beats 2 → 9 of 12 pairs.
  const scores = [0.9, 0.8, 0.6, 0.4, 0.35, 0.3, 0.1]
  const labels = [1, 0, 1, 0, 1, 0, 0]
  it('ROC AUC equals the hand-computed pair count', () => expect(rocAuc(scores, labels)).toBeCloseTo(9 / 12, 12))
  it('ROC AUC counts ties as one half', () => expect(rocAuc([0.5, 0.5], [1, 0])).toBe(0.5))
  it('average precision by hand', () => {
    // Hits at ranks 1, 3, 5: precision 1, 2/3, 3/5, each for a third of recall.
    expect(averagePrecision(scores, labels)).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3, 12)
  })
  it('confusion, accuracy, F1 at a threshold', () => {
    const c = confusion(scores, labels, 0.5)
    expect(c).toEqual({ tp: 2, fp: 1, tn: 3, fn: 1 })
    expect(accuracyOf(c)).toBeCloseTo(5 / 7, 12)
    expect(f1Of(c)).toBeCloseTo(4 / 6, 12)
  })
  it('a threshold of 1 (what the pack holds when predicting no positive was best) counts no row positive, as the browser does', () => {
    // A float32 sigmoid is exactly 1 from a logit of about 17 on.
    const saturated = Float32Array.of(1 / (1 + Math.exp(-20)), 0.3)
    expect(saturated[0]).toBe(1)
    expect(confusion(saturated, [1, 0], 1)).toEqual({ tp: 0, fp: 0, tn: 1, fn: 1 })
  })
  it('best threshold sweeps every score', () => {
    const best = bestThreshold(scores, labels, f1Of)
    expect(best.value).toBeCloseTo(f1Of(confusion(scores, labels, best.threshold)), 12)
    expect(best.threshold).toBe(0.35)
  })
  it('calibration bins', () => {
    const bins = calibration([0.05, 0.15, 0.95], [0, 1, 1], 10)
    expect(bins[0]).toEqual({ predicted: 0.05, observed: 0, count: 1 })
    expect(bins[9].observed).toBe(1)
  })
})

describe('naming and folds', () => {
  const profile = (medians: Record<string, number>, positiveRate: number) => ({ cluster: 0, size: 10, share: 0.1, medians, positiveRate })
  it.each([
    [{ administrativePages: 0, informationalPages: 0, productPages: 2 }, 0.01, 'low-intent-brief-browser'],
    [{ administrativePages: 3, informationalPages: 0, productPages: 30 }, 0.3, 'high-intent-account-engaged-browser'],
    [{ administrativePages: 3, informationalPages: 1, productPages: 80 }, 0.15, 'all-round-deep-browser'],
  ])('session %j → %s', (m, rate, id) => expect(nameSessionSegment(profile({ administrativeSeconds: 0, informationalSeconds: 0, productSeconds: 60, ...m }, rate), 0.15).id).toBe(id))
  it.each([
    [{ administrativePages: 0, informationalPages: 0, productPages: 2 }, 0.01, 'Brief browser'],
    [{ administrativePages: 3, informationalPages: 0, productPages: 30 }, 0.3, 'Account engaged browser'],
    [{ administrativePages: 3, informationalPages: 1, productPages: 80 }, 0.15, 'All round deep browser'],
  ])('session %j is named %s: behaviour words only, whatever its purchase rate', (m, rate, name) => {
    const named = nameSessionSegment(profile({ administrativeSeconds: 0, informationalSeconds: 0, productSeconds: 60, ...m }, rate), 0.15)
    expect(named.name).toBe(name)
    expect(named.name.toLowerCase()).not.toContain('intent')
  })
  it.each([
    [{ recencyDays: 5, orders: 9, monetary: 5000, tenureDays: 200 }, 'champions'],
    [{ recencyDays: 5, orders: 4, monetary: 1000, tenureDays: 200 }, 'loyal'],
    [{ recencyDays: 200, orders: 1, monetary: 100, tenureDays: 200 }, 'hibernating'],
    [{ recencyDays: 200, orders: 6, monetary: 100, tenureDays: 250 }, 'at-risk'],
    [{ recencyDays: 10, orders: 1, monetary: 100, tenureDays: 10 }, 'new-customers'],
  ])('lifetime %j → %s', (m, id) => expect(nameLifetimeSegment(profile(m, 0.5), { recencyDays: 50, orders: 2, monetary: 600, tenureDays: 150 }).id).toBe(id))
  it.each([
    [{ recencyDays: 1, orders: 1, monetary: 100, tenureDays: 1 }, 'median 1 order, 100 spent, last order 1 day ago, customer for 1 day;'],
    [{ recencyDays: 0.5, orders: 2, monetary: 100, tenureDays: 1.04 }, 'median 2 orders, 100 spent, last order 0.5 days ago, customer for 1 day;'],
    [{ recencyDays: 146, orders: 0.96, monetary: 252, tenureDays: 164 }, 'median 1 order, 252 spent, last order 146 days ago, customer for 164 days;'],
  ])('lifetime %j says each count with its noun in the right number', (m, words) =>
    expect(nameLifetimeSegment(profile(m, 0.5), { recencyDays: 50, orders: 2, monetary: 600, tenureDays: 150 }).description).toContain(words))
  it.each([
    [{ administrativePages: 1, informationalPages: 1, productPages: 1, productSeconds: 60 }, 'median 1 product page (1 min), 1 account and 1 informational page;'],
    [{ administrativePages: 3, informationalPages: 0, productPages: 25, productSeconds: 816 }, 'median 25 product pages (13.6 min), 3 account and 0 informational pages;'],
    [{ administrativePages: 0, informationalPages: 1, productPages: 0.5, productSeconds: 6 }, 'median 0.5 product pages (0.1 min), 0 account and 1 informational page;'],
  ])('session %j says each count with its noun in the right number', (m, words) =>
    expect(nameSessionSegment(profile({ administrativeSeconds: 0, informationalSeconds: 0, ...m }, 0.15), 0.15).description).toContain(words))
  it('depth words', () => expect([1, 5, 20, 50].map(depthWord)).toEqual(['brief', 'casual', 'engaged', 'deep']))
  it('segment tree ids are unique kebab-case', () => {
    const tree = wardTree([[0], [1], [10]], [5, 5, 5])
    const leaf = { id: 'casual-browser', name: 'Casual browser', description: '' }
    const { tree: t, labels } = segmentTree(tree, [leaf, leaf, { ...leaf, id: 'deep-browser' }], () => ['light'], 'All')
    expect(labels).toEqual(['casual-browser', 'casual-browser-2', 'deep-browser'])
    const ids: string[] = []
    const walk = (n: typeof t) => { ids.push(n.id); n.children?.forEach(walk) }
    walk(t)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })
  it('folds are balanced and keep groups together', () => {
    const groups = Array.from({ length: 100 }, (_, i) => i % 50)
    const folds = foldsByGroup(groups, 4, 1)
    for (let i = 0; i < 50; i++) expect(folds[i]).toBe(folds[i + 50])
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 50; i++) counts[folds[i]]++
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
  })
})
