import { cpus, loadavg } from 'node:os'
import * as tf from '@tensorflow/tfjs'
import { parseLearnTables } from '../src/reports/learn/parseLearnTables'
import { isReportEpsilon } from '../src/reports/lib/isReportEpsilon'
import { DRIFT_LEARN_TABLES, simulateDrift } from './drift'
import { scenarioArgs, startScenario } from './shoppersFile'

const USAGE = 'usage: npm run simulate -- --scenario drift [--scales 1,10,100] [--epsilon E] [--learn-share S] [--repetitions R] [--seed S] [--learn-tables all|LIST] [--no-check] [--data DIR] [--fresh-prior] [--json]'

/** `npm run simulate -- --scenario drift`: the prior, private training at each scale, and the same training without privacy. */
export async function runDrift(args: readonly string[]): Promise<number> {
  const text = { type: 'string' } as const
  const flag = { type: 'boolean' } as const
  const opts = scenarioArgs(args, { scales: text, epsilon: text, 'learn-share': text, repetitions: text, seed: text, 'learn-tables': text, 'no-check': flag, data: text, 'fresh-prior': flag, json: flag }, USAGE)
  if (!opts) return 2
  const scales = typeof opts.scales === 'string' ? opts.scales.split(',').map(Number) : [1, 10, 100]
  const epsilon = typeof opts.epsilon === 'string' ? Number(opts.epsilon) : 2
  const learnShare = typeof opts['learn-share'] === 'string' ? Number(opts['learn-share']) : 1
  const seed = typeof opts.seed === 'string' ? Number(opts.seed) : 1
  const repetitions = typeof opts.repetitions === 'string' ? Number(opts.repetitions) : 9
  // The shop's published list: a UCI shop tracks no cart events (README, "Private training").
  const learnTables = parseLearnTables(typeof opts['learn-tables'] === 'string' ? opts['learn-tables'] : DRIFT_LEARN_TABLES)
  const start = startScenario(opts, USAGE, learnTables !== null && scales.every((s) => Number.isInteger(s) && s >= 1) && isReportEpsilon(epsilon) && learnShare > 0 && learnShare <= 1 && Number.isFinite(seed) && Number.isInteger(repetitions) && repetitions >= 1)
  if (!start || learnTables === null) return 2
  const { file, json, log } = start
  tf.enableProdMode()
  await tf.setBackend('cpu')
  const started = Date.now()
  log(`Private training under drift: prior pack trained on January–October, reports at ε = ${epsilon} with learnShare ${learnShare}, training tables ${learnTables?.join(', ') ?? 'all'}; seed ${seed}; ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`)
  const results = simulateDrift(file, { scales, epsilon, seed, learnShare, repetitions, learnTables, check: opts['no-check'] !== true, fresh: opts['fresh-prior'] === true, log })
  const seconds = (Date.now() - started) / 1000
  if (json) {
    process.stdout.write(JSON.stringify({ scenario: 'drift', epsilon, learnShare, learnTables: learnTables ?? 'all', seed, seconds, load: loadavg()[0], results }) + '\n')
    return 0
  }
  log('')
  log(`Test ROC AUC on the ${'odd-index'} November–December sessions; private rows: median of ${repetitions} runs [lowest–highest]` +
    (opts['no-check'] === true ? ', every candidate as fitted (no held-out check).' : '; "prior kept": runs in which `retrain` kept the prior (fewer than 20,000 answers, or its held-out check found the candidate worse).'))
  log('| model | scale | devices | ε | AUC with page statistics | without | prior kept |')
  log('| --- | --- | --- | --- | --- | --- | --- |')
  const span = (r: [number, number] | undefined) => (r ? ` [${r[0].toFixed(3)}–${r[1].toFixed(3)}]` : '')
  for (const r of results)
    log(`| ${r.model} | ${r.scale === null ? '—' : `×${r.scale}`} | ${r.devices?.toLocaleString('en-US') ?? '—'} | ${r.model === 'prior' ? '—' : r.epsilon ?? '∞'} | ${r.aucWithStats.toFixed(4)}${span(r.range?.aucWithStats)} | ${r.aucWithoutStats.toFixed(4)}${span(r.range?.aucWithoutStats)} | ${r.kept === undefined ? '—' : `${r.kept} of ${r.repetitions}`} |`)
  log(`done in ${seconds.toFixed(0)} s (load ${loadavg()[0].toFixed(2)})`)
  return 0
}
