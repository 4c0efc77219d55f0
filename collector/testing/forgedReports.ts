// Test helper: well-formed but adversarial report bodies, written byte by byte as an attacker would, each
// aimed at moving one kind of estimate as far as one report can.
import { toHex } from '../../src/reports/lib/hex'
import { pageCode, pageKeyHash } from '../../src/reports/lib/pageCode'
import { questionMechanism } from '../../src/reports/lib/questionMechanism'
import { mulAddMod } from '../../src/reports/mechanisms/olh'
import { ANSWER_HEX_LENGTH, ORDER_VALUE_BUCKETS, QUESTIONS, REPORT_VERSION, type FiniteQuestionId } from '../../src/reports/schema'
import type { QuestionId, ReportContext } from '../../src/reports/types'
import { createRng } from '../../training/rng'


function body(context: ReportContext, day: string, epsilon: number, question: QuestionId, answer: Uint8Array): string {
  return JSON.stringify({ v: REPORT_VERSION, pack: context.packId, sl: context.segmentLeaves, vl: context.valueLeaves, day, eps: epsilon, q: QUESTIONS.find((q) => q.id === question)!.code, a: toHex(answer) })
}

/** A finite answer that claims `values` (k-RR: the first; OUE: every listed bit set). */
function finite(context: ReportContext, epsilon: number, question: FiniteQuestionId, values: number[]): Uint8Array {
  const answer = new Uint8Array(ANSWER_HEX_LENGTH / 2)
  const mechanism = questionMechanism(question, context, epsilon)
  if (mechanism.kind === 'krr') {
    answer[0] = values[0]! >>> 8
    answer[1] = values[0]! & 0xff
  } else {
    for (const j of values) answer[j >>> 3] |= 0x80 >>> (j & 7)
  }
  return answer
}

/** A page answer whose hash value supports `key` with the given bit. */
function page(context: ReportContext, epsilon: number, question: 'pageView' | 'pageExit', key: string, bit: boolean, rng: () => number): Uint8Array {
  const mechanism = questionMechanism(question, context, epsilon)
  if (mechanism.kind !== 'olh') throw new Error('page question without local hashing')
  const a = 1 + Math.floor(rng() * (mechanism.prime - 1))
  const b = Math.floor(rng() * mechanism.prime)
  const y = mulAddMod(a, pageCode(pageKeyHash(key), bit), b, mechanism.prime) % mechanism.g
  const answer = new Uint8Array(ANSWER_HEX_LENGTH / 2)
  new DataView(answer.buffer).setUint32(0, a)
  new DataView(answer.buffer).setUint32(4, b)
  answer[8] = y >>> 8
  answer[9] = y & 0xff
  return answer
}

/** A page-value answer about `key` claiming class `value` (0 not viewed, 1 viewed, 2 viewed then ordered). */
function pageValue(key: string, value: number): Uint8Array {
  const answer = new Uint8Array(ANSWER_HEX_LENGTH / 2)
  answer[1] = value
  new DataView(answer.buffer).setUint32(2, pageKeyHash(key))
  return answer
}

/** Attack strategies: each returns `n` forged bodies. */
export function forgedStrategies(context: ReportContext, day: string, epsilon: number, targetKey: string) {
  const buckets = ORDER_VALUE_BUCKETS.length + 1
  const rng = createRng(99)
  const all = (k: number) => Array.from({ length: k }, (_, j) => j)
  const strategies: Record<string, (n: number) => string[]> = {
    'every report claims segment 1': (n) => Array.from({ length: n }, () => body(context, day, epsilon, 'segment', finite(context, epsilon, 'segment', [0]))),
    'every report claims no value segment': (n) => Array.from({ length: n }, () => body(context, day, epsilon, 'value', finite(context, epsilon, 'value', [context.valueLeaves]))),
    'every outcome claims an order in every segment': (n) =>
      Array.from({ length: n }, () => {
        const values = Array.from({ length: context.segmentLeaves + 1 }, (_, s) => s * 2 + 1)
        return body(context, day, epsilon, 'outcome', finite(context, epsilon, 'outcome', values))
      }),
    'every outcome sets every bit': (n) =>
      Array.from({ length: n }, () => body(context, day, epsilon, 'outcome', finite(context, epsilon, 'outcome', all((context.segmentLeaves + 1) * 2)))),
    'every order answer claims the largest order': (n) => Array.from({ length: n }, () => body(context, day, epsilon, 'order', finite(context, epsilon, 'order', [buckets - 1]))),
    'every arm answer claims a holdout session without an order': (n) => Array.from({ length: n }, () => body(context, day, epsilon, 'arm', finite(context, epsilon, 'arm', [2]))),
    'every page view claims an order after the target page': (n) =>
      Array.from({ length: n }, () => body(context, day, epsilon, 'pageView', page(context, epsilon, 'pageView', targetKey, true, rng))),
    'every page-value answer claims an order after the target page': (n) =>
      Array.from({ length: n }, () => body(context, day, epsilon, 'pageValue', pageValue(targetKey, 2))),
    'every page-value answer claims the target page viewed without an order': (n) =>
      Array.from({ length: n }, () => body(context, day, epsilon, 'pageValue', pageValue(targetKey, 1))),
    'every exit claims a bounce on the target page': (n) =>
      Array.from({ length: n }, () => body(context, day, epsilon, 'pageExit', page(context, epsilon, 'pageExit', targetKey, true, rng))),
  }
  return strategies
}
