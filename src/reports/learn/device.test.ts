import { describe, expect, it } from 'vitest'
import { correctedIntent } from '../../model/correctedIntent'
import type { ModelPack } from '../../pack/types'
import { checkPack as validatePack } from '../../pack/checkPack'
import shipped from '../../models/session.json'
import { buildReportTruth } from '../buildReportTruth'
import { encodeReport } from '../encodeReport'
import { parseReport } from '../parseReport'
import { recordDecision } from '../recordDecision'
import { readSessionRecords } from '../sessionRecord'
import { identityCorrection } from './correction'
import { LEARN_FEATURES, LEARN_TABLES, SCORE_BUCKETS } from './schema'
import type { LearnTruth } from './types'
import type { StoredEvent } from '../../events/types'
import type { LoadedPack } from '../../model'
import type { Segment } from '../../segments'

const raw = (pages: number, stats: boolean) => ({
  productPages: pages, administrativeSeconds: 0, month: 10, productsAdded: 0, checkoutReached: false,
  stats: stats ? { bounceRate: 0.02, exitRate: 0.04, pageValue: 0 } : null,
})

describe('a pack with an intent correction', () => {
  const f = LEARN_FEATURES.findIndex((x) => x.name === 'product_pages')
  const B = LEARN_FEATURES[f].buckets
  const correction = identityCorrection()
  // Many product pages (bucket 4: 70 or more) add 2 to the logit in every score bucket, in both views.
  for (const view of ['withStats', 'withoutStats'] as const) for (let s = 0; s < SCORE_BUCKETS; s++) correction.views[view].terms[f][s * B + 4] = 2
  const pack = { ...(shipped as unknown as ModelPack), intentCorrection: correction }

  it('raises the intent where the correction says, with or without page statistics, and is accepted by the pack check', () => {
    expect(() => validatePack(pack)).not.toThrow()
    const p = 0.1
    const boosted = 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + 2)))
    expect(correctedIntent(pack, p, raw(80, true))).toBeCloseTo(boosted, 6)
    expect(correctedIntent(pack, p, raw(80, false))).toBeCloseTo(boosted, 6)
    expect(correctedIntent(pack, p, raw(2, true))).toBeCloseTo(p, 6)
    // A pack without a correction scores as trained.
    expect(correctedIntent(shipped as unknown as ModelPack, p, raw(80, true))).toBe(p)
  })

  it('is refused when its tables do not match this SDK', () => {
    const broken = { ...pack, intentCorrection: { ...correction, views: { ...correction.views, withStats: { ...correction.views.withStats, terms: [[1, 2]] } } } }
    expect(() => validatePack(broken)).toThrow(expect.objectContaining({ code: 'pack_invalid' }))
  })
})

describe('the device side of the training question', () => {
  it('keeps what the question reads with the session record, and a later report can answer from it', async () => {
    const meta = new Map<string, unknown>()
    const store = { getMeta: async (k: string) => meta.get(k), setMeta: async (k: string, v: unknown) => void meta.set(k, v) }
    const labelsPack = (kind: 'session' | 'lifetime') =>
      ({ pack: { kind, version: '1.0.0', heads: { segment: { kind: 'segment', layer: 's', labels: ['a', 'b'], tree: { id: 'root', name: 'r' } } } } }) as unknown as LoadedPack
    const start = Date.UTC(2026, 10, 28, 10)
    const learn: LearnTruth = { logitWithStats: -2.2, logitWithoutStats: -1.1, session: { productPages: 12, administrativeSeconds: 40, month: 10 } }
    const segment = { id: 'b', coldStart: false, arm: 'none' } as unknown as Segment
    await recordDecision(store, { sessionStart: start, segment, packs: [labelsPack('session'), labelsPack('lifetime')], last: '', learn })
    expect((await readSessionRecords(store))[0].learn).toEqual(learn)
    const events = [{ id: 'e1', ts: start, type: 'page_view', url: '/x', pageType: 'other' }] as StoredEvent[]
    const closed = buildReportTruth({ events, records: await readSessionRecords(store), now: start + 3_600_000 })
    expect(closed!.truth.learn).toEqual(learn)
    const body = encodeReport(closed!.truth, closed!.context, { epsilon: 2, day: closed!.day, learnShare: 1 })
    // The body holds one noisy hash answer and the table drawn: nothing of the vector or the scores.
    expect(Object.keys(body).sort()).toEqual(['a', 'day', 'eps', 'pack', 'q', 'sl', 'v', 'vl'])
    expect(JSON.stringify(body)).not.toContain('-2.2')
    expect(parseReport(JSON.stringify(body)).question).toBe('learn')
  })

  it('answers only the tables the session pack lists, and keeps the list with the record', async () => {
    const meta = new Map<string, unknown>()
    const store = { getMeta: async (k: string) => meta.get(k), setMeta: async (k: string, v: unknown) => void meta.set(k, v) }
    const learnTables = ['withStats.month', 'withoutStats.month']
    const packOf = (kind: 'session' | 'lifetime') =>
      ({ pack: { kind, version: '1.0.0', heads: { segment: { kind: 'segment', layer: 's', labels: ['a', 'b'], tree: { id: 'root', name: 'r' } } }, ...(kind === 'session' ? { learnTables } : {}) } }) as unknown as LoadedPack
    const start = Date.UTC(2026, 10, 28, 10)
    const learn: LearnTruth = { logitWithStats: -2.2, logitWithoutStats: -1.1, session: { productPages: 12, administrativeSeconds: 40, month: 10 } }
    await recordDecision(store, { sessionStart: start, segment: { id: 'a', coldStart: false, arm: 'none' } as unknown as Segment, packs: [packOf('session'), packOf('lifetime')], last: '', learn })
    const events = [{ id: 'e1', ts: start, type: 'page_view', url: '/x', pageType: 'other' }] as StoredEvent[]
    const closed = buildReportTruth({ events, records: await readSessionRecords(store), now: start + 3_600_000 })!
    expect(closed.context.learnTables!.map((t) => LEARN_TABLES[t].id)).toEqual(learnTables)
    const tables = new Set<number>()
    for (let i = 0; i < 60; i++) {
      const answer = parseReport(JSON.stringify(encodeReport(closed.truth, closed.context, { epsilon: 2, day: closed.day, learnShare: 1 }))).answer
      if (answer.kind === 'olh') tables.add(answer.table!)
    }
    expect([...tables].sort().map((t) => LEARN_TABLES[t].id)).toEqual(learnTables)
  })
})
