// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { encodeReport } from '../../src/reports/encodeReport'
import { parseReport } from '../../src/reports/parseReport'
import type { ModelPack } from '../../src/pack/types'
import { seededRandom } from '../../sim/seededRandom'
import { createReportEstimator } from '../estimates/createReportEstimator'
import type { SumRow } from '../storage/types'
import { dayNumber, learnAnswers, learnSumsOf, trainingReadiness, type TrainedPack } from './trainingReadiness'

const LEARN_N = '["learn","n"]'
const shipped: TrainedPack = { kind: 'session', version: '1.0.0', metrics: {} as ModelPack['metrics'] }
/** Days of each parity: 2026-11-27 and -29 are even (fit), -28 and -30 odd (check). */
const EVEN = ['2026-11-27', '2026-11-29']
const ODD = ['2026-11-28', '2026-11-30']

/** The training-answer counter of one report group on one day. */
const answers = (day: string, value: number, packId = 'session@1.0.0+lifetime@1.0.0', epsilon = 2): SumRow => ({
  day, packId, epsilon, segmentLeaves: 4, valueLeaves: 4, counter: LEARN_N, value,
})
const ready = (rows: SumRow[], pack: TrainedPack = shipped, minAnswers = 1000) => trainingReadiness(rows, pack, 2, '2026-11-03', '2026-11-30', minAnswers)

describe('whether a retrain would fit now', () => {
  it('splits the answers between the even days it fits on and the odd days it checks on', () => {
    expect(EVEN.map((d) => dayNumber(d) % 2)).toEqual([0, 0])
    expect(ODD.map((d) => dayNumber(d) % 2)).toEqual([1, 1])
    const r = ready([answers(EVEN[0]!, 600), answers(ODD[0]!, 250), answers(EVEN[1]!, 100), answers(ODD[1]!, 50)])
    expect(r).toMatchObject({ status: 'ready', network: 'session@1.0.0', answers: 1000, fitAnswers: 700, checkAnswers: 300, minAnswers: 1000, minCheckAnswers: 250 })
    expect(r.reason).toBe('1,000 training answers from 2026-11-03 to 2026-11-30, 300 of them held out: a retrain fits a candidate on the even days, checks it on the odd ones and publishes it only if it is not worse')
  })

  it('waits below the fewest answers, and says where the pages were never asked for any', () => {
    expect(ready([answers(EVEN[0]!, 400), answers(ODD[0]!, 300)])).toMatchObject({
      status: 'waiting', answers: 700, reason: '700 training answers from 2026-11-03 to 2026-11-30; a retrain needs 1,000',
    })
    const none = ready([])
    expect(none).toMatchObject({ status: 'waiting', answers: 0, fitAnswers: 0, checkAnswers: 0 })
    expect(none.reason).toContain('data-learn-share')
  })

  it('counts only the answers of its network at its ε, and names the others', () => {
    const rows = [
      answers(EVEN[0]!, 800),
      // A retrain of the same network: its answers count.
      answers(ODD[0]!, 300, 'session@1.0.0+r20261127+lifetime@1.0.0'),
      answers(ODD[0]!, 500, 'session@2.0.0+lifetime@1.0.0'),
      answers(ODD[1]!, 70, 'session@1.0.0+lifetime@1.0.0', 4),
      // Another counter of the same group is no training answer.
      { ...answers(EVEN[0]!, 9999), counter: '["segment","n"]' },
    ]
    expect(ready(rows)).toMatchObject({ status: 'ready', answers: 1100, fitAnswers: 800, checkAnswers: 300 })
    const short = ready(rows, shipped, 5000)
    expect(short.reason).toBe(
      '1,100 training answers from 2026-11-03 to 2026-11-30; a retrain needs 5,000; 70 more came at ε 4 (retrain with --epsilon 4 if the pages use it); ' +
        '500 more came from pages running session@2.0.0 (retrain that pack with --pack)',
    )
  })

  it('publishes nothing unchecked: answers of one kind of day only, or too few held out, wait', () => {
    expect(ready([answers(EVEN[0]!, 1200)])).toMatchObject({
      status: 'waiting', reason: 'no held-out check yet: the answers from 2026-11-03 to 2026-11-30 fall on even days only, and the check fits on even days and checks on odd ones',
    })
    expect(ready([answers(ODD[0]!, 1200)]).reason).toContain('fall on odd days only')
    expect(ready([answers(EVEN[0]!, 1000), answers(ODD[0]!, 249)])).toMatchObject({
      status: 'waiting', checkAnswers: 249, reason: '249 held-out answers (odd days); the check needs 250',
    })
  })

  it('checks a pack a retrain fitted only on the odd days after the last day it was fitted on', () => {
    const retrained: TrainedPack = {
      kind: 'session', version: '1.0.0+r20261128', intentCorrection: {} as ModelPack['intentCorrection'],
      metrics: { privateTraining: { answers: 900, from: '2026-11-01', to: '2026-11-28', epsilon: 2 } } as unknown as ModelPack['metrics'],
    }
    const rows = [answers(EVEN[0]!, 700), answers(ODD[0]!, 400)]
    expect(ready(rows, retrained)).toMatchObject({
      status: 'kept', checkAnswers: 0, reason: 'no held-out answers since the pack in use (1.0.0+r20261128) was fitted on the days to 2026-11-28',
    })
    expect(ready([...rows, answers(ODD[1]!, 260)], retrained)).toMatchObject({ status: 'ready', answers: 1360, checkAnswers: 260 })
    expect(ready([...rows, answers(ODD[1]!, 100)], retrained).reason).toBe('100 held-out answers (odd days after 2026-11-28, the last day the pack in use was fitted on); the check needs 250')
  })

  it('counts from the stored counters exactly the answers the fit decodes', () => {
    // Real reports of the SDK's encoder, added up as the collector stores them, a share of them training answers.
    const estimator = createReportEstimator()
    const random = seededRandom(3)
    const context = { packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }
    const rows: SumRow[] = []
    for (const day of [...EVEN, ...ODD]) {
      const reports = Array.from({ length: 300 }, (_, i) =>
        parseReport(JSON.parse(JSON.stringify(encodeReport(
          {
            segmentLeaf: i % 4, valueSegment: null, ordered: i % 7 === 0, orderValueBucket: 0, arm: 'none', pages: [],
            learn: { logitWithStats: -2 + (i % 5), logitWithoutStats: -1, session: { productPages: i % 30, administrativeSeconds: 0, month: 11 } },
          },
          context,
          { epsilon: 2, day, random, learnShare: 0.5 },
        )))),
      )
      const group = estimator.groupOf(reports[0]!)
      for (const [counter, value] of estimator.addUp(group, reports)) rows.push({ ...group, counter, value })
    }
    const n = learnAnswers(rows)
    expect(n).toBeGreaterThan(400)
    expect(n).toBeLessThan(800)
    expect(n).toBe(learnSumsOf(rows).n)
    expect(ready(rows, shipped, 100).answers).toBe(n)
  })
})
