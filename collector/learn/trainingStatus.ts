import { identityCorrection } from '../../src/reports/learn/correction'
import { SHIPPED_PACK_CONTEXT } from '../../src/reports/shippedPackContext'
import type { InsightsQuery } from '../estimates/types'
import type { Database, SumRow } from '../storage/types'
import { MIN_TRAINING_ANSWERS, trainingReadiness, type TrainedPack, type TrainingReadiness } from './trainingReadiness'

/** What `insights.json` says of private training (`training`): {@link TrainingReadiness} without its rows, and its window. */
export type TrainingStatus = Omit<TrainingReadiness, 'rows'> & {
  /** The session pack the status is of, as its version (`1.0.0`, `1.0.0+r20261130`). */
  packVersion: string
  /**
   * Whether retrain must be given that pack's file (`--pack`): by itself it starts from the session pack last
   * published (with the signing key), or else the shipped one, and neither is this pack.
   */
  packFile: boolean
  from: string
  to: string
  epsilon: number
  /**
   * The collector's store, which `retrain` must open: `memory` (gone with the process, which no retrain can read),
   * `embedded` (a folder one process opens at a time: retrain runs once the collector stops) or `postgres`.
   */
  store: 'memory' | 'embedded' | 'postgres'
  /**
   * What the retrain that made the pack in use found, when the collector has the pack's file (published, or one of
   * its packs): the training answers it was refitted from and their days, and on the days it held out, the AUC of
   * the pack before it and its own (`metrics.privateTraining`). Absent for a pack no retrain made.
   */
  retrained?: RetrainedBy
}

/** The figures a retrain wrote into the pack it made (`metrics.privateTraining`), as the status says them. */
export interface RetrainedBy {
  answers: number
  from: string
  to: string
  /** Held-out AUC of the pack the retrain started from, and of the one it made; both or neither. */
  heldOutAucBefore?: number
  heldOutAucAfter?: number
}

/**
 * Whether `npm run collector -- retrain` would refit the session pack now, from the daily sums of the insights window
 * (`rows`, read for `query`) and `minAnswers` (`retrain --min-answers`). The pack is the one retrain starts from:
 * the session pack last published in the collector's folder (`published`, as `readPublishedPacks` lists them, the
 * manifest's last), which a retrain with the signing key takes, even while most pages still report under the pack
 * before it; else the session pack of `packId`, the pack id the figures follow (a known pack object when the
 * collector has it, for the days a retrained pack was fitted on), else the shipped one. `retrain` run with the
 * collector's `--epsilon` and `--window-days` decides from the same answers by the same rule (`trainingReadiness`).
 *
 * @example
 * trainingStatus(rows, query, 'session@1.0.0+lifetime@1.0.0').reason
 * // '1,234 training answers from 2026-11-03 to 2026-11-30; a retrain needs 20,000'
 */
export function trainingStatus(
  rows: readonly SumRow[],
  query: InsightsQuery,
  packId: string | undefined,
  minAnswers = MIN_TRAINING_ANSWERS,
  published: readonly unknown[] = [],
  store: TrainingStatus['store'] = 'embedded',
): TrainingStatus {
  const inUse = published.filter(isSessionPack).at(-1)
  const version = inUse?.version ?? sessionVersionOf(packId ?? SHIPPED_PACK_CONTEXT.packId) ?? sessionVersionOf(SHIPPED_PACK_CONTEXT.packId)!
  const known = inUse ?? (query.packs ?? []).filter(isSessionPack).find((p) => p.version === version)
  const pack: TrainedPack = known ?? unknownPack(version)
  const { rows: _rows, ...status } = trainingReadiness(rows, pack, query.epsilon, query.from, query.to, minAnswers)
  const shippedVersion = sessionVersionOf(SHIPPED_PACK_CONTEXT.packId)
  const retrained = retrainedBy(known)
  return { ...status, packVersion: version, packFile: !inUse && version !== shippedVersion, from: query.from, to: query.to, epsilon: query.epsilon, store, ...(retrained ? { retrained } : {}) }
}

/**
 * What a retrain wrote into `pack` (`metrics.privateTraining`: `retrain()` writes its answers and days, and both
 * held-out AUCs once a check ran), or `undefined` for a pack no retrain made or one whose figures are not numbers and
 * days (a pack file edited by hand).
 */
function retrainedBy(pack: TrainedPack | undefined): RetrainedBy | undefined {
  const t = pack?.metrics?.privateTraining as Record<string, unknown> | undefined
  if (typeof t !== 'object' || t === null) return undefined
  const day = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
  const auc = (v: unknown): v is number => typeof v === 'number' && v > 0 && v <= 1
  const { answers, from, to, heldOutAucBefore: before, heldOutAucAfter: after } = t
  if (!(typeof answers === 'number' && Number.isSafeInteger(answers) && answers >= 0 && day(from) && day(to))) return undefined
  return { answers, from, to, ...(auc(before) && auc(after) ? { heldOutAucBefore: before, heldOutAucAfter: after } : {}) }
}

/**
 * A session pack of this version the collector has no file of. A retrain's version names the day it ran
 * (`+r20261130`, `.2` for a later one of the day), which is the last day of answers it was fitted on
 * (`metrics.privateTraining.to`): retrain given its file checks it only on the days after, and so does the status.
 */
function unknownPack(version: string): TrainedPack {
  const day = /\+r(\d{4})(\d{2})(\d{2})(?:\.\d+)?$/.exec(version)
  if (!day) return { kind: 'session', version, metrics: {} as TrainedPack['metrics'] }
  const to = `${day[1]}-${day[2]}-${day[3]}`
  return { kind: 'session', version, intentCorrection: identityCorrection(), metrics: { privateTraining: { to } } as unknown as TrainedPack['metrics'] }
}

/** A parsed pack file that is a session pack, with what says which answers are its own and which days it was fitted on. */
function isSessionPack(p: unknown): p is TrainedPack {
  return typeof p === 'object' && p !== null && (p as TrainedPack).kind === 'session' && typeof (p as TrainedPack).version === 'string' && typeof (p as TrainedPack).metrics === 'object' && (p as TrainedPack).metrics !== null
}

/** The session pack's version in a report's pack id (`session@1.0.0+r20261130+lifetime@1.0.0` → `1.0.0+r20261130`). */
function sessionVersionOf(packId: string): string | undefined {
  return /^session@(.+?)\+lifetime@/.exec(packId)?.[1]
}

/** The kind of store `retrain` would have to open, as `trainingStatus` says it. */
export function storeOf(db: Pick<Database, 'kind' | 'inMemory'>): TrainingStatus['store'] {
  return db.inMemory ? 'memory' : db.kind
}
