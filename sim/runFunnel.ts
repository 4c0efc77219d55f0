import { cpus, loadavg } from 'node:os'
import * as tf from '@tensorflow/tfjs'
import { isReportEpsilon } from '../src/reports/lib/isReportEpsilon'
import { simulateFunnel } from './funnel'
import { createLog, scenarioArgs } from './shoppersFile'

const USAGE = 'usage: npm run simulate -- --scenario funnel [--devices N] [--test N] [--epsilon E] [--learn-share S] [--seed S] [--no-central] [--json]'

/** `npm run simulate -- --scenario funnel`: the prior, private training on the synthetic funnel shop, and a central model. */
export async function runFunnel(args: readonly string[]): Promise<number> {
  const text = { type: 'string' } as const
  const flag = { type: 'boolean' } as const
  const opts = scenarioArgs(args, { devices: text, test: text, epsilon: text, 'learn-share': text, seed: text, 'no-central': flag, json: flag }, USAGE)
  if (!opts) return 2
  const num = (name: string, fallback: number) => (typeof opts[name] === 'string' ? Number(opts[name]) : fallback)
  const devices = num('devices', 100_000)
  const test = num('test', 20_000)
  const epsilon = num('epsilon', 2)
  const learnShare = num('learn-share', 1)
  const seed = num('seed', 1)
  if (!Number.isInteger(devices) || devices < 1000 || !Number.isInteger(test) || test < 1000 || !isReportEpsilon(epsilon) || !(learnShare > 0 && learnShare <= 1) || !Number.isInteger(seed)) {
    console.error(USAGE)
    return 2
  }
  const json = opts.json === true
  const log = createLog(json)
  tf.enableProdMode()
  await tf.setBackend('cpu')
  const started = Date.now()
  log(`Private training on a synthetic shop whose cart and checkout carry the signal: ${devices.toLocaleString('en-US')} devices at ε = ${epsilon}, learnShare ${learnShare}, seed ${seed}; ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`)
  const { results, population } = await simulateFunnel({
    devices, test, epsilon, learnShare, seed, central: opts['no-central'] !== true,
    // As many training steps as the shipped pack's 30 epochs on UCI: the synthetic data is larger.
    centralConfig: { epochs: Math.max(4, Math.round((30 * 9864) / devices)) },
    now: Date.UTC(2026, 10, 30, 12), log,
  })
  const seconds = (Date.now() - started) / 1000
  if (json) {
    process.stdout.write(JSON.stringify({ scenario: 'funnel', epsilon, learnShare, seed, population, seconds, load: loadavg()[0], results }) + '\n')
    return 0
  }
  log('')
  log(`Intent ROC AUC on ${test.toLocaleString('en-US')} held-out synthetic sessions:`)
  log('| model | devices | ε | AUC |')
  log('| --- | --- | --- | --- |')
  for (const r of results) log(`| ${r.model} | ${r.devices?.toLocaleString('en-US') ?? '—'} | ${r.model === 'prior' ? '—' : r.epsilon ?? '∞'} | ${r.auc.toFixed(4)} |`)
  log(`Goal: private (ε = ${epsilon}) within 0.02 of central.`)
  log(`done in ${seconds.toFixed(0)} s (load ${loadavg()[0].toFixed(2)})`)
  return 0
}
