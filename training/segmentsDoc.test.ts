// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { ModelPack, SegmentHead } from '../src/pack/types'
import type { PackResult } from './buildPack'
import { IDS_END, IDS_START, readShippedPacks } from './segmentIds'
import { segmentsMarkdown } from './segmentsDoc'
import { UCI_RETAIL, UCI_SHOPPERS, type TrainingData } from './trainingData'

/** A training result of `pack` (its tree and labels; every cluster alike) trained on `data`: what the document reads. */
function resultOf(pack: ModelPack, data: TrainingData | undefined): PackResult {
  const { labels, tree } = pack.heads.segment as SegmentHead
  const medians = { administrativePages: 1, administrativeSeconds: 1, informationalPages: 1, informationalSeconds: 1, productPages: 1, productSeconds: 1, recencyDays: 1, orders: 1, monetary: 1, averageBasket: 1, tenureDays: 1, returns: 1 }
  return {
    pack, data, bytes: 0, oofAuc: 0.5, seconds: 1, test: undefined as never,
    clusters: {
      k: labels.length, silhouettes: [{ k: labels.length, silhouette: 0.4, inertia: 1 }], result: undefined as never, tree: undefined as never,
      profiles: labels.map((_, c) => ({ cluster: c, size: 1, share: 1 / labels.length, medians, positiveRate: 0.5 })),
      segmentTree: tree!, labels, features: [],
    },
  }
}

describe('docs/segments.md as training writes it', () => {
  const { session, lifetime } = readShippedPacks()

  it('from the public data sets: the shipped document, saying so, with the table `npm run segment-ids` rewrites', () => {
    for (const [s, l] of [[undefined, undefined], [UCI_SHOPPERS, UCI_RETAIL]] as const) {
      const docs = segmentsMarkdown(resultOf(session, s), resultOf(lifetime, l))
      expect(docs).toContain('Seglet ships two segment trees, learned from public data by `npm run train`')
      expect(docs).toContain('the segment ids table is also rewritten from the shipped packs by `npm run segment-ids`')
      expect(docs).toContain(IDS_START)
      expect(docs).toContain(IDS_END)
      expect(docs).toContain('## Session segments (UCI Online Shoppers)')
      expect(docs).toContain('## Lifetime value segments (UCI Online Retail)')
      expect(docs).toContain('Medians over the training rows of each cluster (seconds, days and GBP as in the data).')
    }
  })

  it("with a pack of a shop's own data: what each tree was learned from, in the shop's currency, and no table of segment-ids", () => {
    const orders: TrainingData = { name: 'Shopify orders export orders.csv', public: false, currency: 'USD' }
    const docs = segmentsMarkdown(resultOf(session, UCI_SHOPPERS), resultOf(lifetime, orders))
    expect(docs).toContain("Two segment trees, learned by `npm run train`, the session tree from public data (UCI Online Shoppers) and the value tree from the shop's own data (Shopify orders export orders.csv): k-means")
    expect(docs).not.toContain('Seglet ships')
    expect(docs).not.toContain('npm run segment-ids')
    expect(docs).not.toContain(IDS_START)
    expect(docs).toMatch(/^\| `champions` \| value \|/m)
    expect(docs).toContain('## Session segments (UCI Online Shoppers)')
    expect(docs).toContain('## Lifetime value segments (Shopify orders export orders.csv)')
    expect(docs).toContain('Medians over the training rows of each cluster (page counts, and seconds as in the data).')
    expect(docs).toContain('Medians over the training rows of each cluster (days, and amounts in USD as in the data).')
    expect(docs).not.toContain('GBP')
    // A shop's sessions with the public orders: the public orders' currency.
    const retail = segmentsMarkdown(resultOf(session, { name: 'GA4 BigQuery export ga4.json', public: false }), resultOf(lifetime, UCI_RETAIL))
    expect(retail).toContain('## Lifetime value segments (UCI Online Retail)')
    expect(retail).toContain('Medians over the training rows of each cluster (days, and amounts in GBP as in the data).')
    // Orders in several currencies are named all; a session pack's section counts pages and seconds.
    const events: TrainingData = { name: 'GA4 BigQuery export events-000.json, events-001.json', public: false, currency: 'EUR and USD' }
    const both = segmentsMarkdown(resultOf(session, events), resultOf(lifetime, { ...orders, currency: 'EUR and USD' }))
    expect(both).toContain("the session tree from the shop's own data (GA4 BigQuery export events-000.json, events-001.json) and the value tree")
    expect(both).toContain('Medians over the training rows of each cluster (page counts, and seconds as in the data).')
    expect(both).toContain('Medians over the training rows of each cluster (days, and amounts in EUR and USD as in the data).')
    expect(both).not.toMatch(/public data|UCI|GBP/)
  })
})
