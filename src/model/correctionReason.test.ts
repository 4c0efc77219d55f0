// @vitest-environment node
import { describe, expect, it } from 'vitest'
import shipped from '../models/session.json'
import type { ModelPack } from '../pack/types'
import { identityCorrection } from '../reports/learn/correction'
import { LEARN_FEATURES, SCORE_BUCKETS } from '../reports/learn/schema'
import { correctionReason } from './correctionReason'

/** The shipped pack with a correction: `term` on the intent logit of a session with nothing in the cart. */
function corrected(term: number): ModelPack {
  const correction = identityCorrection()
  const f = LEARN_FEATURES.findIndex((x) => x.name === 'products_added')
  const B = LEARN_FEATURES[f].buckets
  for (const view of ['withStats', 'withoutStats'] as const) for (let s = 0; s < SCORE_BUCKETS; s++) correction.views[view].terms[f][s * B] = term
  return { ...(shipped as unknown as ModelPack), intentCorrection: correction }
}

const session = { productPages: 6, administrativeSeconds: 0, month: 10, productsAdded: 0, checkoutReached: false, stats: null }

describe('correctionReason', () => {
  it.each([
    // A change the whole percents show is said in them; one they round away is said with the digits that show it.
    [0.12, 1.2, 'raises the chance of buying from 12% to 31%'],
    [0.008, -0.3, 'lowers the chance of buying from 0.8% to 0.6%'],
    [0.5, 0.06, 'raises the chance of buying from 50% to 51%'],
    [0.002, -0.1, 'lowers the chance of buying from 0.20% to 0.18%'],
  ])('a network probability of %s moved by %s on the log-odds reads "%s"', (probability, term, words) => {
    const reason = correctionReason(corrected(term), probability, session)
    expect(reason?.text).toBe(`learned from this shop's visits (in private): nothing added to the cart ${words}`)
  })
})
