import { identityCorrection, type IntentCorrection } from '../../src/reports/learn/correction'
import { fitIntentCorrection } from '../../src/reports/learn/fitIntentCorrection'
import { estimateLearnTables } from '../../src/reports/learn/learnSums'
import { olhParams } from '../../src/reports/mechanisms/olh'
import { toReportEpsilon } from '../../src/reports/lib/isReportEpsilon'
import { DEFAULT_EMPTY_BUCKET_SD, occupiedBuckets } from '../../src/reports/learn/occupiedBuckets'
import type { ModelPack } from '../../src/pack/types'
import { MAX_PACK_ID_LENGTH } from '../../src/reports/schema'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { addUpBodies } from '../ingest/addUpBodies'
import { addDays } from '../lib/addDays'
import { utcDay } from '../lib/utcDay'
import { readSums } from '../storage/readSums'
import { sumPending } from '../storage/sumPending'
import { readPageKeys } from '../server/reestimate'
import type { Database, SumRow } from '../storage/types'
import { heldOutCheck } from './heldOutCheck'

export { MIN_HELD_OUT_SHARE, MIN_TRAINING_ANSWERS, networkVersion } from './trainingReadiness'
import { counted, fittedUntil, learnSumsOf, MIN_TRAINING_ANSWERS, networkVersion, trainingReadiness } from './trainingReadiness'

/** Options of `retrain`. */
export interface RetrainOptions {
  /** The session pack in use (its network is what the answers' scores came from). */
  pack: ModelPack
  /** ε the reports carry. */
  epsilon: number
  /**
   * Days of answers to fit from, ending today.
   * @default 28
   */
  windowDays?: number
  /**
   * Fewest answers to fit from.
   * @default MIN_TRAINING_ANSWERS
   */
  minAnswers?: number
  /**
   * Writes an accepted pack (its JSON text) where the shop serves packs, and returns where; signing and
   * manifests plug in here.
   */
  writePack: (text: string, pack: ModelPack) => Promise<string>
  /**
   * The training tables the published pack lists (`learnTables`: ids, see `parseLearnTables`), so that
   * browsers spread their training answers over these only; `'all'` lists none (every table). A shop without
   * cart events leaves the funnel tables out. Published with the next accepted pack.
   * @default the list of the pack in use
   */
  learnTables?: readonly string[] | 'all'
  /** @default Date.now() */
  now?: number
  /**
   * Versions of session packs already written or published (the file at `--out`, the packs in the publish
   * folder): a retrain on a day one of them was retrained takes the next `+r<day>.<n>`. The pack ids in the
   * window's reports count too.
   * @default none
   */
  takenVersions?: readonly string[]
}

/** What a retrain did. */
export interface RetrainResult {
  status: 'published' | 'kept' | 'waiting'
  /** Training answers in the window. */
  answers: number
  /**
   * Held-out AUC (estimated from the tables of the odd days) of the pack in use and of the candidate, and
   * how much lower the candidate could score and still count as not worse (the estimate's own noise).
   */
  heldOut?: { current: number; candidate: number; tolerance: number }
  /** Where the new pack was written (published only). */
  written?: string
  /** The pack that stands after the retrain. */
  pack: ModelPack
  reason: string
  /**
   * Tables the published pack lists that got answers but whose feature showed one value in the window (every
   * other bucket within the noise of none): they teach nothing beyond the score's calibration, as the funnel
   * tables in a shop that sends no cart events. Leaving them out (`--learn-tables`) gives the others their
   * answers. A table the pack no longer lists is never named, though its earlier answers are still in the window.
   */
  idleTables?: string[]
}

/**
 * Share of the window's training answers a pack id needs for a retrain to take its version as used and its
 * lifetime version as one pages run (reports under any well-formed id are accepted: a few forged ones are not).
 */
export const MIN_PACK_ID_SHARE = 0.01

/**
 * The version of a retrain of `network` on `day` (`YYYY-MM-DD`): `<network>+r<day>`, and for a later retrain of the
 * same day, whose correction differs (a second run from a pack without the first's correction), `+r<day>.2`, `.3`, …
 * after the highest one taken, so that the reports of browsers on each correction are counted apart, and the later
 * one sorts after the earlier (`compareIds`).
 *
 * @example
 * retrainVersion('1.0.0', '2026-11-30', ['1.0.0+r20261130']) // '1.0.0+r20261130.2'
 */
export function retrainVersion(network: string, day: string, taken: Iterable<string>): string {
  const base = `${network}+r${day.replace(/-/g, '')}`
  let last = 0
  for (const version of taken) {
    const n = version === base ? 1 : version.startsWith(`${base}.`) && /^\d+$/.test(version.slice(base.length + 1)) ? Number(version.slice(base.length + 1)) : 0
    // Only a number whose next is an exact integer: a report under a made-up pack id may carry any digits, and
    // past them the next would be written `1e+22` (a version with a `+` in it, counted as no number at the next run).
    if (Number.isSafeInteger(n + 1)) last = Math.max(last, n)
  }
  return last === 0 ? base : `${base}.${last + 1}`
}


/**
 * Refits the intent correction of the session pack from the training answers in storage, checks the candidate
 * against the pack in use on answers it was not fitted on (odd days held out), and writes a new pack only if it
 * is not worse; the final pack is then refitted on every day. The segment head is left as it is, so segment
 * ids never change across retrains.
 *
 * @example
 * const result = await retrain(db, { pack, epsilon: 2, writePack: (text) => writeFile('public/models/session.json', text).then(() => 'public/models/session.json') })
 */
export async function retrain(db: Database, options: RetrainOptions): Promise<RetrainResult> {
  // Reports stored but not yet in the daily sums (a running collector sums them within seconds) count too, their
  // page answers decoded against the collector's page keys like the rest of the sums.
  const codec = createReportEstimator({ pageKeys: await readPageKeys(db) })
  await sumPending(db, (bodies) => addUpBodies(codec, bodies))
  const { pack } = options
  // Exactly its hundredths, as the pages send it and the sums are kept (0.3 × 6 + 0.2 is 1.9999999999999998).
  const epsilon = toReportEpsilon(options.epsilon)
  const now = options.now ?? Date.now()
  const to = utcDay(now)
  const from = addDays(to, -((options.windowDays ?? 28) - 1))
  const inWindow = await readSums(db, from, to)
  const params = olhParams(epsilon)
  const ready = trainingReadiness(inWindow, pack, epsilon, from, to, options.minAnswers ?? MIN_TRAINING_ANSWERS)
  if (ready.status !== 'ready') return { status: ready.status, answers: ready.answers, pack, reason: ready.reason }
  // The days trainingReadiness split: even days fit, odd ones (after the pack in use was fitted) check.
  const rows = ready.rows.all
  const all = learnSumsOf(rows)
  const fittedTo = pack.intentCorrection ? fittedUntil(pack) : undefined
  const fitSums = learnSumsOf(ready.rows.fit)
  const checkSums = learnSumsOf(ready.rows.check)
  const current: IntentCorrection = pack.intentCorrection ?? identityCorrection()
  let heldOut: RetrainResult['heldOut']
  {
    const check = heldOutCheck(fitSums, checkSums, current, params)
    // No table of the held-out days shows sessions both with an order and without one (few answers at a high ε):
    // no AUC can be measured, so the check could refuse nothing, and waits as it does with too few answers.
    if (!Number.isFinite(check.current) || !Number.isFinite(check.candidate)) {
      return {
        status: 'waiting', answers: all.n, pack,
        reason: `${counted(checkSums.n)} held-out answers (odd days${fittedTo === undefined ? '' : ` after ${fittedTo}`}) show no sessions both with an order and without one; the check needs both to measure an AUC`,
      }
    }
    heldOut = { current: check.current, candidate: check.candidate, tolerance: check.tolerance }
    if (!check.accepted) {
      return {
        status: 'kept', answers: all.n, heldOut, pack,
        reason: `the candidate's held-out AUC ${heldOut.candidate.toFixed(4)} is below the pack in use (${heldOut.current.toFixed(4)}) by more than the estimate's noise (${heldOut.tolerance.toFixed(4)})`,
      }
    }
  }
  const estimates = estimateLearnTables(all, params)
  const correction = fitIntentCorrection(estimates)
  // Pack ids that carry a share of the window's training answers: the collector accepts a report under any
  // well-formed id, so one forged under a made-up id must neither push the version of the day up nor keep the retrain.
  const major = new Set<string>()
  {
    const byId = new Map<string, SumRow[]>()
    for (const r of rows) byId.set(r.packId, [...(byId.get(r.packId) ?? []), r])
    for (const [id, list] of byId) if (learnSumsOf(list).n >= Math.max(1, all.n * MIN_PACK_ID_SHARE)) major.add(id)
  }
  // The session versions browsers reported under (`session@<version>+lifetime@…`) and those the shop was given.
  const reported = [...major].map((id) => /^session@(.+)\+lifetime@/.exec(id)?.[1] ?? '')
  const version = retrainVersion(networkVersion(pack.version), to, [pack.version, ...reported, ...(options.takenVersions ?? [])])
  // Reports carry `session@<version>+lifetime@<version>` in MAX_PACK_ID_LENGTH characters: training keeps a first
  // retrain's id within it, but a later one of the day (`.2`) of a version at training's limit would not fit, and
  // the pages running it could send no report.
  const tooLong = [...major].map((id) => `session@${version}${id.slice(id.indexOf('+lifetime@'))}`).find((id) => id.length > MAX_PACK_ID_LENGTH)
  if (tooLong !== undefined) {
    return {
      status: 'kept', answers: all.n, heldOut, pack,
      reason: `the retrained pack's id as pages report it, ${tooLong} (${tooLong.length} characters), is longer than the ${MAX_PACK_ID_LENGTH} reports carry${version.endsWith(`+r${to.replace(/-/g, '')}`) ? '' : ' (a retrain of today was already written: run again tomorrow)'}`,
    }
  }
  const { learnTables: _inUse, ...rest } = pack
  const learnTables = options.learnTables === undefined ? pack.learnTables : options.learnTables === 'all' ? undefined : [...options.learnTables]
  // Only tables the published pack lists: one it dropped keeps its answers in the window for a while, but the
  // shop can no longer leave it out.
  const idleTables = estimates
    .filter((t) => t.n > 0 && (learnTables === undefined || learnTables.includes(t.table.id)) && occupiedBuckets(t, DEFAULT_EMPTY_BUCKET_SD).filter(Boolean).length <= 1)
    .map((t) => t.table.id)
  const next: ModelPack = {
    ...rest,
    ...(learnTables ? { learnTables } : {}),
    version,
    intentCorrection: correction,
    metrics: {
      ...pack.metrics,
      privateTraining: {
        answers: all.n, from, to, epsilon,
        ...(heldOut ? { heldOutAucBefore: round(heldOut.current), heldOutAucAfter: round(heldOut.candidate) } : {}),
      },
    },
  }
  const written = await options.writePack(stringifyPack(next), next)
  return {
    status: 'published', answers: all.n, heldOut, written, pack: next, idleTables,
    reason: heldOut ? heldOutWords(heldOut) : 'no held-out day yet: fitted on every answer',
  }
}

/**
 * A retrain's outcome as its lines begin: `accepted` for a pack written but not published (no signing key, a dry
 * run, the preview), else the status, then the count of answers unless the reason starts with it (a run that waits).
 *
 * @example
 * outcomeWords(result, false) // 'accepted (6,000 training answers)'
 */
export function outcomeWords(result: RetrainResult, published: boolean): string {
  const status = result.status === 'published' && !published ? 'accepted' : result.status
  return result.reason.startsWith(`${counted(result.answers)} training answers`) ? status : `${status} (${counted(result.answers)} training answers)`
}

/**
 * An accepted check in words: the pack in use's held-out AUC, then the candidate's, and, when the candidate's is
 * lower, why it still counts as not worse (the drop is within the estimate's noise), so a shop reading
 * `0.5675 → 0.5649` beside an accepted pack is not left to wonder why a lower figure went out.
 */
function heldOutWords(heldOut: NonNullable<RetrainResult['heldOut']>): string {
  const words = `held-out AUC ${heldOut.current.toFixed(4)} → ${heldOut.candidate.toFixed(4)}`
  return heldOut.candidate < heldOut.current ? `${words} (lower, but by less than the estimate's noise, ${heldOut.tolerance.toFixed(4)}: not worse)` : words
}

function round(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : 0
}

/** Pack text as `npm run train` writes it: one top-level key per line, a generated-file note first. */
export function stringifyPack(pack: ModelPack): string {
  const withNote: ModelPack = { ...pack, $comment: 'GENERATED FILE, do not edit. Written by `npm run collector -- retrain` (collector/learn/retrain.ts) from private training answers.' }
  const body = Object.entries(withNote).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')
  return `{\n${body}\n}\n`
}
