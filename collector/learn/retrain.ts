import { identityCorrection, type IntentCorrection } from '../../src/reports/learn/correction'
import { fitIntentCorrection } from '../../src/reports/learn/fitIntentCorrection'
import { createLearnSums, estimateLearnTables, type LearnSums } from '../../src/reports/learn/learnSums'
import { olhParams } from '../../src/reports/mechanisms/olh'
import { toReportEpsilon } from '../../src/reports/lib/isReportEpsilon'
import { DEFAULT_EMPTY_BUCKET_SD, occupiedBuckets } from '../../src/reports/learn/occupiedBuckets'
import type { ModelPack } from '../../src/pack/types'
import { MAX_PACK_ID_LENGTH } from '../../src/reports/schema'
import { countersToSums } from '../estimates/countersToSums'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { addUpBodies } from '../ingest/addUpBodies'
import { addDays } from '../lib/addDays'
import { utcDay } from '../lib/utcDay'
import { readSums } from '../storage/readSums'
import { sumPending } from '../storage/sumPending'
import { readSetting } from '../storage/settings'
import { PAGE_KEYS_SETTING } from '../server/reestimate'
import type { Database, SumRow } from '../storage/types'
import { heldOutCheck } from './heldOutCheck'

/** Fewest training answers a retrain fits from; below, it waits for more (README, "Private training"). */
export const MIN_TRAINING_ANSWERS = 20_000

/**
 * Share of the fewest answers (`minAnswers`) the held-out days must hold for the check: with fewer, its noise
 * is too wide to refuse a worse candidate, and the retrain waits.
 */
export const MIN_HELD_OUT_SHARE = 1 / 4

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

/** The network a pack version runs: the version without its retrain suffix (`1.0.0+r20261130` → `1.0.0`). */
export function networkVersion(version: string): string {
  return version.split('+')[0]
}

/** Why a window may hold no training answer at all: the pages were never asked for one (learnShare is 0 by default). */
const NO_LEARN_SHARE = 'no report in these days holds one: pages answer the training question only with a share of their reports set aside for it (data-learn-share="0.5" beside data-reports, or reports: { learnShare: 0.5 })'

function learnSumsOf(rows: readonly SumRow[]): LearnSums {
  const groups = new Map<string, SumRow[]>()
  for (const row of rows) {
    const key = JSON.stringify([row.packId, row.segmentLeaves, row.valueLeaves])
    let list = groups.get(key)
    if (!list) groups.set(key, (list = []))
    list.push(row)
  }
  const learn = createLearnSums()
  for (const [key, list] of groups) {
    const [packId, segmentLeaves, valueLeaves] = JSON.parse(key) as [string, number, number]
    const { sums } = countersToSums({ packId, segmentLeaves, valueLeaves, epsilon: list[0].epsilon }, list, [], {})
    learn.n += sums.learn.n
    for (let i = 0; i < learn.counts.length; i++) learn.counts[i] += sums.learn.counts[i]
  }
  return learn
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
  const pageKeys = await readSetting(db, PAGE_KEYS_SETTING)
  const codec = createReportEstimator({ pageKeys: pageKeys === undefined ? [] : (JSON.parse(pageKeys) as string[]) })
  await sumPending(db, (bodies) => addUpBodies(codec, bodies))
  const { pack } = options
  // Exactly its hundredths, as the pages send it and the sums are kept (0.3 × 6 + 0.2 is 1.9999999999999998).
  const epsilon = toReportEpsilon(options.epsilon)
  const now = options.now ?? Date.now()
  const to = utcDay(now)
  const from = addDays(to, -((options.windowDays ?? 28) - 1))
  const prefix = `${pack.kind}@${networkVersion(pack.version)}`
  const inWindow = await readSums(db, from, to)
  const ofPack = (r: SumRow) => r.packId === prefix || r.packId.startsWith(`${prefix}+`)
  const rows = inWindow.filter((r) => r.epsilon === epsilon && ofPack(r))
  const params = olhParams(epsilon)
  const all = learnSumsOf(rows)
  const minAnswers = options.minAnswers ?? MIN_TRAINING_ANSWERS
  if (all.n < minAnswers) {
    return {
      status: 'waiting', answers: all.n, pack,
      reason: `${all.n} training answers from ${from} to ${to}; a retrain needs ${minAnswers}${elsewhere(inWindow, epsilon, ofPack)}${learnSumsOf(inWindow).n === 0 ? `; ${NO_LEARN_SHARE}` : ''}`,
    }
  }
  // Days alternate between fitting and checking, so the check never sees an answer the fit used.
  const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000)
  const fitSums = learnSumsOf(rows.filter((r) => dayNumber(r.day) % 2 === 0))
  // A pack in use that a retrain fitted saw every day up to its `to`: checked on those days it would look
  // better than it is, so only later days check it against a candidate.
  const fittedTo = pack.intentCorrection ? fittedUntil(pack) : undefined
  const checkSums = learnSumsOf(rows.filter((r) => dayNumber(r.day) % 2 === 1 && (fittedTo === undefined || r.day > fittedTo)))
  if (fittedTo !== undefined && checkSums.n === 0) {
    return { status: 'kept', answers: all.n, pack, reason: `no held-out answers since the pack in use (${pack.version}) was fitted on the days to ${fittedTo}` }
  }
  // Nothing is published unchecked: a window of only even or only odd days (a first retrain on one day's
  // answers) waits for the other kind of day.
  if (fitSums.n === 0 || checkSums.n === 0) {
    return { status: 'waiting', answers: all.n, pack, reason: `no held-out check yet: the answers from ${from} to ${to} fall on ${fitSums.n === 0 ? 'odd' : 'even'} days only, and the check fits on even days and checks on odd ones` }
  }
  // A check on a handful of answers (a daily run just after midnight, the day after a publish) has noise so wide
  // that it could refuse no candidate, however worse: that would be publishing unchecked.
  const minHeldOut = Math.ceil(minAnswers * MIN_HELD_OUT_SHARE)
  if (checkSums.n < minHeldOut) {
    return {
      status: 'waiting', answers: all.n, pack,
      reason: `${checkSums.n} held-out answers (odd days${fittedTo === undefined ? '' : ` after ${fittedTo}, the last day the pack in use was fitted on`}); the check needs ${minHeldOut}`,
    }
  }
  const current: IntentCorrection = pack.intentCorrection ?? identityCorrection()
  let heldOut: RetrainResult['heldOut']
  {
    const check = heldOutCheck(fitSums, checkSums, current, params)
    // No table of the held-out days shows sessions both with an order and without one (few answers at a high ε):
    // no AUC can be measured, so the check could refuse nothing, and waits as it does with too few answers.
    if (!Number.isFinite(check.current) || !Number.isFinite(check.candidate)) {
      return {
        status: 'waiting', answers: all.n, pack,
        reason: `${checkSums.n} held-out answers (odd days${fittedTo === undefined ? '' : ` after ${fittedTo}`}) show no sessions both with an order and without one; the check needs both to measure an AUC`,
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
 * An accepted check in words: the pack in use's held-out AUC, then the candidate's, and, when the candidate's is
 * lower, why it still counts as not worse (the drop is within the estimate's noise), so a shop reading
 * `0.5675 → 0.5649` beside an accepted pack is not left to wonder why a lower figure went out.
 */
function heldOutWords(heldOut: NonNullable<RetrainResult['heldOut']>): string {
  const words = `held-out AUC ${heldOut.current.toFixed(4)} → ${heldOut.candidate.toFixed(4)}`
  return heldOut.candidate < heldOut.current ? `${words} (lower, but by less than the estimate's noise, ${heldOut.tolerance.toFixed(4)}: not worse)` : words
}

/**
 * The training answers in the window that a retrain at `epsilon` from this pack does not count, in words: those
 * at another ε (the pages, and the collector's `--epsilon`, use another) and those of pages running another
 * session network (the shop serves its own pack: retrain that one). Empty when there are none.
 */
function elsewhere(rows: readonly SumRow[], epsilon: number, ofPack: (r: SumRow) => boolean): string {
  const byEpsilon = new Map<number, SumRow[]>()
  const byNetwork = new Map<string, SumRow[]>()
  for (const r of rows) {
    if (r.epsilon !== epsilon) {
      if (!byEpsilon.has(r.epsilon)) byEpsilon.set(r.epsilon, [])
      byEpsilon.get(r.epsilon)!.push(r)
    } else if (!ofPack(r)) {
      const network = /^(session@[^+]+)/.exec(r.packId)?.[1] ?? r.packId
      if (!byNetwork.has(network)) byNetwork.set(network, [])
      byNetwork.get(network)!.push(r)
    }
  }
  const said: string[] = []
  for (const [e, list] of [...byEpsilon].sort((a, b) => a[0] - b[0])) {
    const n = learnSumsOf(list).n
    if (n > 0) said.push(`${n} more came at ε ${e} (retrain with --epsilon ${e} if the pages use it)`)
  }
  for (const [network, list] of [...byNetwork].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const n = learnSumsOf(list).n
    if (n > 0) said.push(`${n} more came from pages running ${network} (retrain that pack with --pack)`)
  }
  return said.length > 0 ? `; ${said.join('; ')}` : ''
}

/** The last day of answers a retrained pack was fitted on (`metrics.privateTraining.to`), if it says. */
function fittedUntil(pack: ModelPack): string | undefined {
  const training = pack.metrics.privateTraining
  const to = training && typeof training === 'object' ? training.to : undefined
  return typeof to === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(to) ? to : undefined
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
