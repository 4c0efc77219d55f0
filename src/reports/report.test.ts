import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../sim/seededRandom'
import { OptionsError, ReportError } from '../errors'
import { createCoins } from './mechanisms/coins'
import { olhHash, olhParams } from './mechanisms/olh'
import { EMPTY_PAGE_CODE, pageCode, pageKeyHash } from './lib/pageCode'
import { encodeReport } from './encodeReport'
import { parseReport } from './parseReport'
import { ARMS, MAX_REPORT_BYTES, MAX_REPORT_PAGES, ORDER_VALUE_BUCKETS, QUESTIONS } from './schema'
import type { ReportBody, ReportContext, ReportTruth } from './types'

const context: ReportContext = { packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }

function randomTruth(coins: ReturnType<typeof createCoins>): ReportTruth {
  const n = coins.below(MAX_REPORT_PAGES + 4)
  const ordered = coins.below(3) === 0
  return {
    segmentLeaf: coins.below(5) === 4 ? null : coins.below(4),
    valueSegment: coins.below(5) === 4 ? null : coins.below(4),
    ordered,
    orderValueBucket: ordered ? coins.below(ORDER_VALUE_BUCKETS.length) : 0,
    arm: ARMS[coins.below(3)],
    pages: Array.from({ length: n }, (_, i) => ({
      key: 'p'.repeat(1 + coins.below(100)),
      bounced: n === 1,
      exited: i === n - 1,
      orderFollowed: ordered && coins.below(2) === 0,
    })),
  }
}

describe('encodeReport', () => {
  it('has the same serialized size for every truth and every question, and only the report fields', () => {
    const coins = createCoins(seededRandom(1))
    for (const epsilon of [0.5, 1, 2, 4, 8]) {
      const random = seededRandom(epsilon * 100)
      const sizes = new Set<number>()
      const questions = new Set<string>()
      for (let i = 0; i < 3000; i++) {
        const body = encodeReport(randomTruth(coins), context, { epsilon, day: '2026-11-29', random })
        const text = JSON.stringify(body)
        sizes.add(text.length)
        questions.add(body.q)
        expect(Object.keys(body)).toEqual(['v', 'pack', 'sl', 'vl', 'day', 'eps', 'q', 'a'])
        expect(text.length).toBeLessThanOrEqual(MAX_REPORT_BYTES)
      }
      expect(sizes.size).toBe(1)
      expect(questions.size).toBe(QUESTIONS.length)
    }
  })

  it('answers the pageExit question about the last page and pageView about a uniform slot', () => {
    // With ε = 8 the answers are nearly always true: decode them against the session's own keys.
    const truth: ReportTruth = {
      segmentLeaf: 0, valueSegment: null, ordered: false, orderValueBucket: 0, arm: 'none',
      pages: [
        { key: 'home', bounced: false, exited: false, orderFollowed: false },
        { key: 'product/mug', bounced: false, exited: true, orderFollowed: false },
      ],
    }
    const random = seededRandom(21)
    const params = olhParams(8)
    let exitHome = 0
    let exitMug = 0
    let views = 0
    let empty = 0
    for (let i = 0; i < 4000; i++) {
      const parsed = parseReport(encodeReport(truth, context, { epsilon: 8, day: '2026-11-29', random }))
      if (parsed.answer.kind !== 'olh') continue
      const { a, b, value } = parsed.answer
      const hit = (key: string) => olhHash(params, a, b, pageCode(pageKeyHash(key), false)) === value
      if (parsed.question === 'pageExit') {
        if (hit('home')) exitHome++
        if (hit('product/mug')) exitMug++
      } else {
        if (hit('home') || hit('product/mug')) views++
        else if (olhHash(params, a, b, EMPTY_PAGE_CODE) === value) empty++
      }
    }
    expect(exitMug).toBeGreaterThan(20 * Math.max(1, exitHome))
    // Two pages in MAX_REPORT_PAGES slots (OLH keeps the true hash value about half the time at this ε).
    expect(Math.abs(views / (views + empty) - 2 / MAX_REPORT_PAGES)).toBeLessThan(0.05)
  })

  it('carries no page key, no URL and nothing finer than the day', () => {
    const truth: ReportTruth = {
      segmentLeaf: 1, valueSegment: 2, ordered: true, orderValueBucket: 3, arm: 'treatment',
      pages: [{ key: 'product/secret-mug', bounced: false, exited: true, orderFollowed: true }],
    }
    const random = seededRandom(2)
    for (let i = 0; i < 500; i++) {
      const text = JSON.stringify(encodeReport(truth, context, { day: '2026-11-29', random }))
      expect(text).not.toMatch(/secret|product|http|:\d\d|T\d\d/)
    }
  })

  it('draws the question independently of the truth, with the schema weights', () => {
    const random = seededRandom(3)
    const counts = new Map<string, number>()
    const truth = randomTruth(createCoins(seededRandom(4)))
    const n = 40_000
    for (let i = 0; i < n; i++) {
      const q = encodeReport(truth, context, { day: '2026-11-29', random }).q
      counts.set(q, (counts.get(q) ?? 0) + 1)
    }
    for (const spec of QUESTIONS) {
      const sd = Math.sqrt(n * spec.weight * (1 - spec.weight))
      expect(Math.abs((counts.get(spec.code) ?? 0) - n * spec.weight)).toBeLessThan(4.5 * sd)
    }
  })

  it('round-trips through parseReport', () => {
    const coins = createCoins(seededRandom(5))
    const random = seededRandom(6)
    for (let i = 0; i < 2000; i++) {
      const body = encodeReport(randomTruth(coins), context, { epsilon: 1.5, day: '2026-02-28', random })
      const parsed = parseReport(JSON.stringify(body))
      expect(parsed).toMatchObject({ version: 1, packId: context.packId, segmentLeaves: 4, valueLeaves: 4, day: '2026-02-28', epsilon: 1.5 })
      expect(QUESTIONS.find((q) => q.id === parsed.question)?.code).toBe(body.q)
      expect(parseReport(body)).toEqual(parsed)
    }
  })

  it.each([
    ['segment leaf out of range', { segmentLeaf: 4 }, ReportError],
    ['fractional value segment', { valueSegment: 1.5 }, ReportError],
    ['unknown arm', { arm: 'control' }, ReportError],
    ['bucket out of range', { ordered: true, orderValueBucket: 6 }, ReportError],
    ['page without key', { pages: [{ key: '', bounced: false, exited: true, orderFollowed: false }] }, ReportError],
    ['page key too long', { pages: [{ key: 'x'.repeat(101), bounced: false, exited: true, orderFollowed: false }] }, ReportError],
  ])('refuses a truth with %s', (_, patch, type) => {
    const truth = { ...randomTruth(createCoins(seededRandom(7))), ...patch } as ReportTruth
    const random = seededRandom(8)
    // Whatever question is drawn.
    for (let i = 0; i < 20; i++) expect(() => encodeReport(truth, context, { random })).toThrow(type)
  })

  it.each([
    [{ epsilon: 0 }], [{ epsilon: 9 }], [{ epsilon: 1.234 }], [{ epsilon: Number.NaN }], [{ day: '2026-02-30' }], [{ day: '29/11/2026' }],
  ])('refuses the options %j', (options) => {
    expect(() => encodeReport(randomTruth(createCoins(seededRandom(9))), context, options)).toThrow(OptionsError)
  })
})

describe('parseReport', () => {
  const good = (): ReportBody => encodeReport(randomTruth(createCoins(seededRandom(10))), context, { day: '2026-11-29', random: seededRandom(11) })
  const answers = { krr: '0002' + '0'.repeat(28), seg: 'seg' }

  it.each<[string, (b: Record<string, unknown>) => unknown, string]>([
    ['not JSON', () => '{"v":1', 'report_malformed'],
    ['an array', () => [], 'report_malformed'],
    ['too long', (b) => JSON.stringify({ ...b, pack: 'x'.repeat(600) }), 'report_malformed'],
    ['an extra field', (b) => ({ ...b, id: 'abc' }), 'report_malformed'],
    ['a missing field', (b) => { const { day: _, ...rest } = b; return rest }, 'report_malformed'],
    ['another version', (b) => ({ ...b, v: 2 }), 'report_version'],
    ['a bad pack id', (b) => ({ ...b, pack: 'a b' }), 'report_malformed'],
    ['too many leaves', (b) => ({ ...b, sl: 17 }), 'report_out_of_range'],
    ['a bad day', (b) => ({ ...b, day: '2026-13-01' }), 'report_malformed'],
    ['a timestamp', (b) => ({ ...b, day: '2026-11-29T10:00' }), 'report_malformed'],
    ['ε too large', (b) => ({ ...b, eps: 80 }), 'report_out_of_range'],
    ['ε as text', (b) => ({ ...b, eps: '2' }), 'report_out_of_range'],
    ['an unknown question', (b) => ({ ...b, q: 'url' }), 'report_malformed'],
    ['a short answer', (b) => ({ ...b, a: 'ab' }), 'report_malformed'],
    ['an uppercase answer', (b) => ({ ...b, a: 'A'.repeat(32) }), 'report_malformed'],
    ['a k-RR answer outside the domain', (b) => ({ ...b, q: answers.seg, a: '0005' + '0'.repeat(28) }), 'report_out_of_range'],
    ['smuggled bytes after a k-RR answer', (b) => ({ ...b, q: answers.seg, a: '0002' + 'f'.repeat(28) }), 'report_out_of_range'],
    ['OUE bits beyond the domain', (b) => ({ ...b, eps: 0.5, q: 'out', a: 'f'.repeat(32) }), 'report_out_of_range'],
    ['a hash multiplier of zero', (b) => ({ ...b, q: 'pgv', a: '00000000' + '00000001' + '0001' + '0'.repeat(12) }), 'report_out_of_range'],
    ['a hash value outside the range', (b) => ({ ...b, q: 'pgv', a: '00000001' + '00000001' + '0007' + '0'.repeat(12) }), 'report_out_of_range'],
    ['a hash offset of 2^31 − 1', (b) => ({ ...b, q: 'pgv', a: '00000001' + '7fffffff' + '0001' + '0'.repeat(12) }), 'report_out_of_range'],
  ])('refuses %s', (_, change, code) => {
    const body = change(good() as unknown as Record<string, unknown>)
    try {
      parseReport(body)
      expect.unreachable('accepted')
    } catch (error) {
      expect(error).toBeInstanceOf(ReportError)
      expect((error as ReportError).code).toBe(code)
    }
  })

  it('accepts the edges of each domain', () => {
    const b = good() as unknown as Record<string, unknown>
    expect(parseReport({ ...b, q: 'seg', a: '0004' + '0'.repeat(28) }).answer).toEqual({ kind: 'krr', value: 4 })
    expect(parseReport({ ...b, eps: 0.5, q: 'out', a: 'ffc0' + '0'.repeat(28) }).answer).toEqual({ kind: 'oue', bits: new Uint8Array(10).fill(1) })
    expect(parseReport({ ...b, q: 'pgx', a: '00000001' + '00000000' + '0000' + '0'.repeat(12) }).question).toBe('pageExit')
    expect(parseReport({ ...b, q: 'pgv', a: '7ffffffe' + '7ffffffe' + '0006' + '0'.repeat(12) }).answer).toEqual({ kind: 'olh', a: 2147483646, b: 2147483646, value: 6 })
  })
})
