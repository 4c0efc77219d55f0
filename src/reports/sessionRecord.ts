import { withMetaLock } from '../lib/withMetaLock'
import { MAX_CLOCK_SKEW_MS } from '../privacy/retention'
import type { LearnTruth } from './learn/types'
import type { ReportArm, ReportContext } from './types'

/** Meta key of the recorded decisions of the latest sessions. */
export const SESSIONS_META_KEY = 'report-sessions'

/** How many sessions' decisions are kept: the current one and the ones before it that a report may describe. */
export const RECORDED_SESSIONS = 3

/**
 * The decision that stood at the end of one session, kept so that a later page can report the session once it
 * is closed: which leaf of the session tree and of the value tree, the personalisation arm, and the packs
 * those leaf indexes refer to. Indexes only; no event, no time but the session's start.
 */
export interface SessionRecord {
  /** Time (ms) of the session's first event: which session this is. */
  start: number
  /** Index of the session segment leaf in the session pack's labels, or null (cold start). */
  segmentLeaf: number | null
  /** Index of the value-segment leaf in the lifetime pack's labels, or null. */
  valueSegment: number | null
  arm: ReportArm
  context: ReportContext
  /** What the training question reads (on the device only; a report sends at most one noisy cell of it). */
  learn?: LearnTruth
}

/** The labels of a pack's segment head and its id, as the report needs them. */
export interface PackLabels {
  /** `kind@version` of the pack. */
  id: string
  /** Leaf ids of the segment head, in output order. */
  labels: readonly string[]
  /** The training tables the pack lists (`learnTables`, as indexes in `LEARN_TABLES`), if it lists them. */
  learnTables?: readonly number[]
}

/**
 * The record of a decision: leaf indexes in the packs' label lists (null for a cold start or an id the pack
 * does not have).
 *
 * @example
 * sessionRecordOf(start, { segmentId: 'casual-browser', coldStart: false, valueSegmentId: 'loyal', arm: 'none' }, session, lifetime)
 */
export function sessionRecordOf(
  start: number,
  decision: { segmentId: string; coldStart: boolean; valueSegmentId?: string; arm: ReportArm },
  session: PackLabels,
  lifetime: PackLabels,
): SessionRecord {
  const index = (labels: readonly string[], id: string | undefined) => {
    const i = id === undefined ? -1 : labels.indexOf(id)
    return i < 0 ? null : i
  }
  return {
    start,
    segmentLeaf: decision.coldStart ? null : index(session.labels, decision.segmentId),
    valueSegment: index(lifetime.labels, decision.valueSegmentId),
    arm: decision.arm,
    context: packContextOf(session, lifetime),
  }
}

/**
 * The report context of a session pack and a lifetime pack: their ids, leaf counts and the training tables.
 *
 * @example
 * packContextOf(session, lifetime) // { packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }
 */
export function packContextOf(session: PackLabels, lifetime: PackLabels): ReportContext {
  return {
    packId: `${session.id}+${lifetime.id}`, segmentLeaves: session.labels.length, valueLeaves: lifetime.labels.length,
    ...(session.learnTables ? { learnTables: [...session.learnTables] } : {}),
  }
}

/**
 * The recorded sessions, newest first; an absent list counts as empty. Rejects when IndexedDB fails to read the list
 * (the store's `getMeta()`): taken for none, it would be recorded over, and a report would tell a session it decided
 * as a cold start. A record `sessionRecordOf()`
 * could not have written (old or hand-written data: a start that is not a time, a pack id that is not a non-empty
 * text, such as a list, leaf counts that are not counts) is passed over: it would sort out the decision just
 * recorded, or stand as the packs in use.
 */
export async function readSessionRecords(store: { getMeta(key: string): Promise<unknown> }): Promise<SessionRecord[]> {
  const value = await store.getMeta(SESSIONS_META_KEY)
  return Array.isArray(value)
    ? value.filter((r): r is SessionRecord => Number.isFinite(r?.start) && r.start >= 0 && typeof r.context?.packId == 'string' && r.context.packId.length > 0 && [r.context.segmentLeaves, r.context.valueLeaves].every((n) => Number.isInteger(n) && n >= 0))
    : []
}

/**
 * Keeps `record` as its session's decision (replacing an earlier one of the same session), newest first. The
 * list is read and written under the meta lock: two tabs recording at once would each drop the other's record.
 * Records of sessions that started more than `MAX_CLOCK_SKEW_MS` after this one are dropped: recorded while the
 * device's clock was ahead (set right since), their sessions' events are stamped ahead too and never read, so no
 * report can tell them, and kept they would push out, until their time came, the sessions a report is about.
 */
export function recordSession(store: { getMeta(key: string): Promise<unknown>; setMeta(key: string, value: unknown): Promise<unknown> }, record: SessionRecord): Promise<void> {
  return withMetaLock(async () => {
    const records = (await readSessionRecords(store)).filter((r) => r.start !== record.start && r.start <= record.start + MAX_CLOCK_SKEW_MS)
    records.sort((a, b) => b.start - a.start)
    // The decision just made is always kept, before any other.
    const kept = [record, ...records.slice(0, RECORDED_SESSIONS - 1)]
    kept.sort((a, b) => b.start - a.start)
    await store.setMeta(SESSIONS_META_KEY, kept)
  })
}
