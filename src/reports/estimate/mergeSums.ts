import { ReportError } from '../../errors'
import type { InsightSums } from './types'

function addInto(target: number[], source: number[]): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i]
}

/**
 * Adds two sums of the same pack, leaf counts, ε and page keys (e.g. two days, or two collector
 * shards) into new sums. Throws a `ReportError` (`report_mismatch`) otherwise.
 *
 * @example
 * const week = days.reduce(mergeSums)
 */
export function mergeSums(a: InsightSums, b: InsightSums): InsightSums {
  if (
    a.packId !== b.packId ||
    a.segmentLeaves !== b.segmentLeaves ||
    a.valueLeaves !== b.valueLeaves ||
    a.epsilon !== b.epsilon ||
    a.pageKeys.length !== b.pageKeys.length ||
    a.pageKeys.some((key, i) => key !== b.pageKeys[i])
  )
    throw new ReportError('report_mismatch', 'sums of another pack, leaf count, ε or page-key list')
  const out: InsightSums = structuredCloneSums(a)
  out.reports += b.reports
  for (const q of ['segment', 'value', 'outcome', 'order', 'arm', 'learn'] as const) {
    out[q].n += b[q].n
    addInto(out[q].counts, b[q].counts)
  }
  for (const q of ['pageView', 'pageExit'] as const) {
    out[q].n += b[q].n
    addInto(out[q].support, b[q].support)
    addInto(out[q].both, b[q].both)
  }
  out.pageValue.n += b.pageValue.n
  addInto(out.pageValue.support, b.pageValue.support)
  return out
}

function structuredCloneSums(s: InsightSums): InsightSums {
  const finite = (f: InsightSums['segment']) => ({ n: f.n, counts: [...f.counts] })
  const page = (p: InsightSums['pageView']) => ({ n: p.n, support: [...p.support], both: [...p.both] })
  return {
    ...s,
    pageKeys: [...s.pageKeys],
    segment: finite(s.segment),
    value: finite(s.value),
    outcome: finite(s.outcome),
    order: finite(s.order),
    arm: finite(s.arm),
    learn: finite(s.learn),
    pageView: page(s.pageView),
    pageExit: page(s.pageExit),
    pageValue: { n: s.pageValue.n, support: [...s.pageValue.support] },
  }
}
