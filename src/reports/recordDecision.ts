import type { LoadedPack } from '../model'
import type { ModelPack } from '../pack/types'
import type { Segment } from '../segments'
import { learnTableIndexes } from './learn/learnTableIndexes'
import type { LearnTruth } from './learn/types'
import type { PackLabels } from './sessionRecord'
import { recordSession, sessionRecordOf } from './sessionRecord'

/** What {@link recordDecision} needs: when the decision's session began, its segment, and the packs that made it. */
export interface RecordDecisionInput {
  /** Start of the session the decision is about (its first event), in ms. */
  sessionStart: number
  /** The segment handed to the page (with its `arm`). */
  segment: Segment
  /** The session and lifetime packs. */
  packs: readonly [LoadedPack, LoadedPack]
  /** What the training question reads about this session, when the decision computed it. */
  learn?: LearnTruth
  /** What the previous call returned: nothing is written when the record did not change. */
  last: string
}

/**
 * What a report needs of a pack: its id, the labels of its segment head and the training tables it lists.
 * @example
 * packLabelsOf(loaded.pack) // { id: 'session@1.0.0', labels: ['casual-browser', …] }
 */
export const packLabelsOf = (pack: ModelPack): PackLabels => {
  const head = Object.values(pack.heads).find((h) => h.kind === 'segment')
  // The pack check accepted the list, so it reads.
  const learnTables = pack.learnTables && learnTableIndexes(pack.learnTables)
  return { id: `${pack.kind}@${pack.version}`, labels: head?.kind === 'segment' ? head.labels : [], ...(learnTables ? { learnTables } : {}) }
}

/**
 * Records the decision as its session's (the one that began at `sessionStart`), for a report once that
 * session is closed. Returns the record as written (JSON) to pass as `last` next time; nothing is written when it is
 * unchanged.
 *
 * @example
 * last = await recordDecision(store, { sessionStart: fold.sessionStart(), segment, packs, last })
 */
export async function recordDecision(
  store: { getMeta(key: string): Promise<unknown>; setMeta(key: string, value: unknown): Promise<unknown> },
  { sessionStart, segment, packs, last, learn }: RecordDecisionInput,
): Promise<string> {
  const record = sessionRecordOf(
    sessionStart,
    { segmentId: segment.id, coldStart: segment.coldStart, valueSegmentId: segment.valueSegment?.id, arm: segment.arm ?? 'none' },
    packLabelsOf(packs[0].pack),
    packLabelsOf(packs[1].pack),
  )
  if (learn) record.learn = learn
  const json = JSON.stringify(record)
  if (json !== last) await recordSession(store, record)
  return json
}
