import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../sim/seededRandom'
import { OptionsError, ReportError } from '../errors'
import { createCoins } from './mechanisms/coins'
import { krrParams, krrProbability } from './mechanisms/krr'
import { olhHash, olhParams } from './mechanisms/olh'
import { EMPTY_PAGE_CODE, pageCode, pageKeyHash } from './lib/pageCode'
import { encodeReport } from './encodeReport'
import { parseReport } from './parseReport'
import { ARMS, MAX_REPORT_BYTES, MAX_REPORT_PAGES, MAX_VALUE_PAGES, ORDER_VALUE_BUCKETS, QUESTIONS, REPORT_VERSION } from './schema'
import type { ReportBody, ReportContext, ReportTruth } from './types'

const context: ReportContext = { packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }
/** The pages the page-value question asks about (the collector's published list). */
const VALUE_PAGES = ['p', 'pp', 'ppp', 'home', 'product/mug']

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
        const body = encodeReport(randomTruth(coins), context, { epsilon, day: '2026-11-29', random, valuePages: VALUE_PAGES })
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

  it('answers the page-value question about one listed page drawn uniformly: not viewed, viewed, or viewed with an order after', () => {
    // ε = 8: the answers are nearly always true.
    const truth: ReportTruth = {
      segmentLeaf: 0, valueSegment: null, ordered: true, orderValueBucket: 2, arm: 'none',
      pages: [
        { key: 'home', bounced: false, exited: false, orderFollowed: true },
        { key: 'product/mug', bounced: false, exited: false, orderFollowed: false },
        { key: 'home', bounced: false, exited: true, orderFollowed: false },
      ],
    }
    const listed = ['home', 'product/mug', 'cart']
    const expected = new Map([[pageKeyHash('home'), 2], [pageKeyHash('product/mug'), 1], [pageKeyHash('cart'), 0]])
    const asked = new Map<number, number>()
    let right = 0
    let all = 0
    const random = seededRandom(31)
    for (let i = 0; i < 6000; i++) {
      const parsed = parseReport(encodeReport(truth, context, { epsilon: 8, day: '2026-11-29', random, valuePages: listed }))
      if (parsed.question !== 'pageValue' || parsed.answer.kind !== 'krr') continue
      const page = parsed.answer.page!
      expect(expected.has(page)).toBe(true)
      asked.set(page, (asked.get(page) ?? 0) + 1)
      all++
      if (parsed.answer.value === expected.get(page)) right++
    }
    expect(right / all).toBeGreaterThan(0.99)
    for (const count of asked.values()) expect(Math.abs(count / all - 1 / 3)).toBeLessThan(0.04)
  })

  it.each([0.1, 2, 8])('the page-value answer is ε-LDP: the asked page is independent of the truth and the answer is 3-ary randomized response (ε = %s)', (epsilon) => {
    // Output (page, y) has probability (1/L)·krr(class of the truth for that page, y): measured against it for
    // truths of every class, and the ratio of that distribution between any two truths is at most e^ε.
    const listed = ['home', 'cart']
    const params = krrParams(3, epsilon)
    const page = (key: string, orderFollowed: boolean) => ({ key, bounced: false, exited: false, orderFollowed })
    const base = { segmentLeaf: 0, valueSegment: null, ordered: true, orderValueBucket: 0, arm: 'none' } as const
    // Classes for (home, cart): (0, 0), (1, 2), (2, 1).
    const truths: [ReportTruth, number[]][] = [
      [{ ...base, pages: [page('product/x', true)] }, [0, 0]],
      [{ ...base, pages: [page('home', false), page('cart', true)] }, [1, 2]],
      [{ ...base, pages: [page('home', true), page('cart', false)] }, [2, 1]],
    ]
    const probability = (classes: number[], p: number, y: number) => (1 / listed.length) * krrProbability(params, classes[p], y)
    let worst = 0
    for (let p = 0; p < listed.length; p++)
      for (let y = 0; y < 3; y++)
        for (const [, a] of truths) for (const [, b] of truths) worst = Math.max(worst, probability(a, p, y) / probability(b, p, y))
    expect(worst).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + 1e-12))
    const random = seededRandom(41)
    for (const [truth, classes] of truths) {
      const seen = new Array<number>(listed.length * 3).fill(0)
      let n = 0
      while (n < 20_000) {
        const parsed = parseReport(encodeReport(truth, context, { epsilon, day: '2026-11-29', random, valuePages: listed }))
        if (parsed.question !== 'pageValue' || parsed.answer.kind !== 'krr') continue
        seen[listed.findIndex((key) => pageKeyHash(key) === (parsed.answer as { page: number }).page) * 3 + (parsed.answer as { value: number }).value]++
        n++
      }
      for (let p = 0; p < listed.length; p++)
        for (let y = 0; y < 3; y++) {
          const expected = n * probability(classes, p, y)
          expect(Math.abs(seen[p * 3 + y] - expected)).toBeLessThan(4.5 * Math.sqrt(expected))
        }
    }
  })

  it('without a published list, never asks the page-value question and keeps the other questions in proportion', () => {
    const random = seededRandom(33)
    const truth = randomTruth(createCoins(seededRandom(34)))
    const counts = new Map<string, number>()
    const n = 30_000
    for (let i = 0; i < n; i++) {
      const q = encodeReport(truth, context, { day: '2026-11-29', random }).q
      counts.set(q, (counts.get(q) ?? 0) + 1)
    }
    expect(counts.get('pvl')).toBeUndefined()
    const others = QUESTIONS.filter((q) => q.id !== 'pageValue')
    const total = others.reduce((a, q) => a + q.weight, 0)
    for (const spec of others) {
      const w = spec.weight / total
      expect(Math.abs((counts.get(spec.code) ?? 0) - n * w)).toBeLessThan(4.5 * Math.sqrt(n * w * (1 - w)))
    }
  })

  it.each([
    ['not a list', 'home'],
    ['an empty key', ['home', '']],
    ['a key too long', ['x'.repeat(101)]],
    ['too many keys', Array.from({ length: MAX_VALUE_PAGES + 1 }, (_, i) => `p${i}`)],
  ])('refuses valuePages with %s', (_, valuePages) => {
    expect(() => encodeReport(randomTruth(createCoins(seededRandom(35))), context, { valuePages: valuePages as string[] })).toThrow(OptionsError)
  })

  it('carries no page key, no URL and nothing finer than the day', () => {
    const truth: ReportTruth = {
      segmentLeaf: 1, valueSegment: 2, ordered: true, orderValueBucket: 3, arm: 'treatment',
      pages: [{ key: 'product/secret-mug', bounced: false, exited: true, orderFollowed: true }],
    }
    const random = seededRandom(2)
    for (let i = 0; i < 500; i++) {
      const text = JSON.stringify(encodeReport(truth, context, { day: '2026-11-29', random, valuePages: ['product/secret-mug'] }))
      expect(text).not.toMatch(/secret|product|http|:\d\d|T\d\d/)
    }
  })

  it('draws the question independently of the truth, with the schema weights', () => {
    const random = seededRandom(3)
    const counts = new Map<string, number>()
    const truth = randomTruth(createCoins(seededRandom(4)))
    const n = 40_000
    for (let i = 0; i < n; i++) {
      const q = encodeReport(truth, context, { day: '2026-11-29', random, valuePages: VALUE_PAGES }).q
      counts.set(q, (counts.get(q) ?? 0) + 1)
    }
    for (const spec of QUESTIONS) {
      const sd = Math.sqrt(n * spec.weight * (1 - spec.weight))
      expect(Math.abs((counts.get(spec.code) ?? 0) - n * spec.weight)).toBeLessThan(4.5 * sd)
    }
  })

  it('draws everything it sends in clear from the coins alone: two truths given the same coins send the same question, page, table and hash', () => {
    // Only the randomized value (k-RR's value, OUE's bits, OLH's hash value) may differ between two truths, so that what
    // travels beside it has one distribution for every shopper and the report is as private as its mechanism.
    const truths = createCoins(seededRandom(61))
    for (const [epsilon, learnShare] of [[0.1, 0.3], [2, 0.5], [8, 0]]) {
      const one = seededRandom(62)
      const two = seededRandom(62)
      const questions = new Set<string>()
      for (let i = 0; i < 3000; i++) {
        const options = { epsilon, day: '2026-11-29', learnShare, valuePages: VALUE_PAGES }
        const a = encodeReport(randomTruth(truths), context, { ...options, random: one })
        const b = encodeReport({ ...randomTruth(truths), learn: null }, context, { ...options, random: two })
        expect({ ...b, a: '' }).toEqual({ ...a, a: '' })
        const [x, y] = [parseReport(a).answer, parseReport(b).answer]
        if (x.kind === 'olh' && y.kind === 'olh') expect([y.a, y.b, y.table]).toEqual([x.a, x.b, x.table])
        else if (x.kind === 'krr' && y.kind === 'krr') expect(y.page).toBe(x.page)
        else expect(y.kind).toBe(x.kind)
        questions.add(a.q)
      }
      expect(questions.size).toBe(QUESTIONS.length + (learnShare > 0 ? 1 : 0))
    }
  })

  it('round-trips through parseReport', () => {
    const coins = createCoins(seededRandom(5))
    const random = seededRandom(6)
    for (let i = 0; i < 2000; i++) {
      const body = encodeReport(randomTruth(coins), context, { epsilon: 1.5, day: '2026-02-28', random, valuePages: VALUE_PAGES })
      const parsed = parseReport(JSON.stringify(body))
      expect(parsed).toMatchObject({ version: REPORT_VERSION, packId: context.packId, segmentLeaves: 4, valueLeaves: 4, day: '2026-02-28', epsilon: 1.5 })
      expect(QUESTIONS.find((q) => q.id === parsed.question)?.code).toBe(body.q)
      expect(parseReport(body)).toEqual(parsed)
    }
  })

  it('sends and reads an ε computed in floating point as its hundredths, so it lands in the sums of that ε', () => {
    // 0.7 × 3 is 2.0999999999999996: accepted as 2.1 (hundredths), so it must be 2.1 on the wire and at the collector.
    const body = encodeReport(randomTruth(createCoins(seededRandom(10))), context, { epsilon: 0.7 * 3, day: '2026-11-29', random: seededRandom(11) })
    expect(body.eps).toBe(2.1)
    expect(parseReport(JSON.stringify({ ...body, eps: 0.1 + 0.2 })).epsilon).toBe(0.3)
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

  it.each([
    ['a number', 7],
    ['crypto itself', globalThis.crypto],
    ['an object', { getRandomValues: seededRandom(12) }],
    ['a text', 'crypto'],
  ])('refuses a random source that is %s, not a function, as an options error naming random', (_name, random) => {
    const encode = () => encodeReport(randomTruth(createCoins(seededRandom(9))), context, { random: random as never })
    expect(encode).toThrow(OptionsError)
    expect(encode).toThrow(expect.objectContaining({ code: 'invalid_option', field: 'random' }))
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
    ['a later version', (b) => ({ ...b, v: REPORT_VERSION + 1 }), 'report_version'],
    ['version 0', (b) => ({ ...b, v: 0 }), 'report_version'],
    ['a page-value answer in a version-1 body', (b) => ({ ...b, v: 1, q: 'pvl', a: '0001' + '0badcafe'.slice(1) + '0' + '0'.repeat(20) }), 'report_malformed'],
    ['a training answer in a version-1 body (its tables were another list)', (b) => ({ ...b, v: 1, q: 'lrn', a: '00000001' + '00000000' + '0000' + '00' + '0'.repeat(10) }), 'report_malformed'],
    ['a page-value answer outside its three classes', (b) => ({ ...b, q: 'pvl', a: '0003' + '00123456' + '0'.repeat(20) }), 'report_out_of_range'],
    ['a page-value hash above 28 bits', (b) => ({ ...b, q: 'pvl', a: '0001' + '10000000' + '0'.repeat(20) }), 'report_out_of_range'],
    ['smuggled bytes after a page-value answer', (b) => ({ ...b, q: 'pvl', a: '0001' + '00123456' + '0'.repeat(19) + '1' }), 'report_out_of_range'],
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
    expect(parseReport({ ...b, q: 'pvl', a: '0002' + '0fffffff' + '0'.repeat(20) }).answer).toEqual({ kind: 'krr', value: 2, page: 2 ** 28 - 1 })
  })

  it('reads version-1 bodies (browsers that have not loaded the new report part yet) as before', () => {
    const b = good() as unknown as Record<string, unknown>
    const parsed = parseReport({ ...b, v: 1, q: 'seg', a: '0003' + '0'.repeat(28) })
    expect(parsed.version).toBe(1)
    expect(parsed.answer).toEqual({ kind: 'krr', value: 3 })
  })
})
