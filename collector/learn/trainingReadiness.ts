import { createLearnSums, type LearnSums } from '../../src/reports/learn/learnSums'
import type { ModelPack } from '../../src/pack/types'
import { countersToSums } from '../estimates/countersToSums'
import type { SumRow } from '../storage/types'

/** Fewest training answers a retrain fits from; below, it waits for more (README, "Private training"). */
export const MIN_TRAINING_ANSWERS = 20_000

/**
 * Share of the fewest answers (`minAnswers`) the held-out days must hold for the check: with fewer, its noise
 * is too wide to refuse a worse candidate, and the retrain waits.
 */
export const MIN_HELD_OUT_SHARE = 1 / 4

/** The counter of a report group's training answers, as `sumsToCounters` writes it. */
const LEARN_ANSWERS_COUNTER = JSON.stringify(['learn', 'n'])

/** Why a window may hold no training answer at all: the pages were never asked for one (learnShare is 0 by default). */
const NO_LEARN_SHARE = 'no report in these days holds one: pages answer the training question only with a share of their reports set aside for it (data-learn-share="0.5" beside data-reports, or reports: { learnShare: 0.5 })'

/** A count as the sentences of `retrain` and the dashboard write it: `20,000`, with the figures' separators. */
export const counted = (n: number) => n.toLocaleString('en-US')

/** The network a pack version runs: the version without its retrain suffix (`1.0.0+r20261130` → `1.0.0`). */
export function networkVersion(version: string): string {
  return version.split('+')[0]
}

/** What of a session pack says which answers are its own and which days it was fitted on. */
export type TrainedPack = Pick<ModelPack, 'kind' | 'version' | 'intentCorrection' | 'metrics'>

/** Whether a retrain from the answers in the window would fit now, and the answers it would count. */
export interface TrainingReadiness {
  /**
   * `ready`: a retrain fits and checks a candidate now (it may still keep the pack in use, if the candidate is
   * worse); `waiting`: too few answers, or none on the days the check or the fit needs; `kept`: the pack in use was
   * fitted on every day with answers, so none is left to check a candidate on.
   */
  status: 'ready' | 'waiting' | 'kept'
  /** The pack's network, `session@1.0.0`: the answers of pages running it, any retrain of it included. */
  network: string
  /** Training answers in the window at ε from pages running that network. */
  answers: number
  /** Of them, on even days: what a retrain fits on. */
  fitAnswers: number
  /** Of them, on odd days (after the last day the pack in use was fitted on): what a retrain checks on. */
  checkAnswers: number
  /** Fewest answers a retrain fits from. */
  minAnswers: number
  /** Fewest held-out answers the check needs. */
  minCheckAnswers: number
  /** In words, as `retrain` says it when it waits; what it does next when ready. */
  reason: string
  /** The rows of those answers (pack and ε), for the fit: all of them, those of the fitting days and those held out. */
  rows: { all: SumRow[]; fit: SumRow[]; check: SumRow[] }
}

/**
 * Whether `retrain` would fit from the daily sums `inWindow` (the days `from`–`to`) with `pack` in use at `epsilon`:
 * the one rule `retrain` follows and the dashboard shows. Days alternate between fitting (even) and checking (odd),
 * so the check never sees an answer the fit used; a pack that a retrain fitted is checked only on later days.
 *
 * @example
 * trainingReadiness(rows, shippedSession, 2, '2026-11-03', '2026-11-30').reason
 * // '1,234 training answers from 2026-11-03 to 2026-11-30; a retrain needs 20,000'
 */
export function trainingReadiness(
  inWindow: readonly SumRow[],
  pack: TrainedPack,
  epsilon: number,
  from: string,
  to: string,
  minAnswers = MIN_TRAINING_ANSWERS,
): TrainingReadiness {
  const network = `${pack.kind}@${networkVersion(pack.version)}`
  const ofPack = (r: SumRow) => r.packId === network || r.packId.startsWith(`${network}+`)
  const rows = inWindow.filter((r) => r.epsilon === epsilon && ofPack(r))
  const fittedTo = pack.intentCorrection ? fittedUntil(pack) : undefined
  const fitRows = rows.filter((r) => dayNumber(r.day) % 2 === 0)
  const checkRows = rows.filter((r) => dayNumber(r.day) % 2 === 1 && (fittedTo === undefined || r.day > fittedTo))
  const answers = learnAnswers(rows)
  const fitAnswers = learnAnswers(fitRows)
  const checkAnswers = learnAnswers(checkRows)
  const minCheckAnswers = Math.ceil(minAnswers * MIN_HELD_OUT_SHARE)
  const said = (status: TrainingReadiness['status'], reason: string): TrainingReadiness => ({
    status, network, answers, fitAnswers, checkAnswers, minAnswers, minCheckAnswers, reason, rows: { all: rows, fit: fitRows, check: checkRows },
  })
  if (answers < minAnswers) {
    return said('waiting', `${counted(answers)} training answers from ${from} to ${to}; a retrain needs ${counted(minAnswers)}${elsewhere(inWindow, epsilon, ofPack)}${learnAnswers(inWindow) === 0 ? `; ${NO_LEARN_SHARE}` : ''}`)
  }
  if (fittedTo !== undefined && checkAnswers === 0) {
    return said('kept', `no held-out answers since the pack in use (${pack.version}) was fitted on the days to ${fittedTo}`)
  }
  // Nothing is published unchecked: a window of only even or only odd days (a first retrain on one day's
  // answers) waits for the other kind of day.
  if (fitAnswers === 0 || checkAnswers === 0) {
    return said('waiting', `no held-out check yet: the answers from ${from} to ${to} fall on ${fitAnswers === 0 ? 'odd' : 'even'} days only, and the check fits on even days and checks on odd ones`)
  }
  // A check on a handful of answers (a daily run just after midnight, the day after a publish) has noise so wide
  // that it could refuse no candidate, however worse: that would be publishing unchecked.
  if (checkAnswers < minCheckAnswers) {
    return said('waiting', `${counted(checkAnswers)} held-out answers (odd days${fittedTo === undefined ? '' : ` after ${fittedTo}, the last day the pack in use was fitted on`}); the check needs ${counted(minCheckAnswers)}`)
  }
  return said('ready', `${counted(answers)} training answers from ${from} to ${to}, ${counted(checkAnswers)} of them held out: a retrain fits a candidate on the even days, checks it on the odd ones and publishes it only if it is not worse`)
}

/** UTC days since 1970: their parity splits fitting days from checking days. */
export const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000)

/** Training answers in these rows: each report group's answer count, as its sums hold it. */
export function learnAnswers(rows: readonly SumRow[]): number {
  let n = 0
  for (const row of rows) if (row.counter === LEARN_ANSWERS_COUNTER) n += row.value
  return n
}

/** The training answers' sums of these rows (any report groups), decoded as `countersToSums` decodes one group. */
export function learnSumsOf(rows: readonly SumRow[]): LearnSums {
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
    const n = learnAnswers(list)
    if (n > 0) said.push(`${counted(n)} more came at ε ${e} (retrain with --epsilon ${e} if the pages use it)`)
  }
  for (const [network, list] of [...byNetwork].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const n = learnAnswers(list)
    if (n > 0) said.push(`${counted(n)} more came from pages running ${network} (retrain that pack with --pack)`)
  }
  return said.length > 0 ? `; ${said.join('; ')}` : ''
}

/** The last day of answers a retrained pack was fitted on (`metrics.privateTraining.to`), if it says. */
export function fittedUntil(pack: Pick<ModelPack, 'metrics'>): string | undefined {
  const training = pack.metrics.privateTraining
  const to = training && typeof training === 'object' ? training.to : undefined
  return typeof to === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(to) ? to : undefined
}
