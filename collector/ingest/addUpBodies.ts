import type { SumRow } from '../storage/types'
import { addUp } from './createIngest'
import type { ReportCodec } from './types'

/**
 * Sum rows of stored bodies. A stored body was accepted once; one that no longer parses (a format this
 * collector no longer reads) is skipped rather than stopping the sums.
 */
export function addUpBodies<Parsed>(codec: ReportCodec<Parsed>, bodies: readonly string[]): SumRow[] {
  const batch: { report: Parsed; group: ReturnType<ReportCodec<Parsed>['groupOf']> }[] = []
  for (const body of bodies) {
    try {
      const report = codec.parse(body)
      batch.push({ report, group: codec.groupOf(report) })
    } catch {}
  }
  return addUp(codec, batch)
}
