import { MIN_TRAINING_ANSWERS } from '../collector/learn/retrain'
import { counted } from '../collector/learn/trainingReadiness'
import { isReportEpsilon } from '../src/reports/lib/isReportEpsilon'
import { createRng } from '../training/rng'
import { retrainSaid, startDashboard } from './dashboard'
import { loadPopulation } from './population'
import { createShop, SHOP_SEED } from './shop'
import { createLog, scenarioArgs, shoppersFile } from './shoppersFile'

const USAGE = 'usage: npm run simulate -- --scenario dashboard [--devices N] [--epsilon E] [--learn-share S [--retrain] [--min-answers N]] [--port P] [--seed S] [--data DIR]'
/** Above the collector's own 8787, so that a preview is never where the shop's collector is. */
const DEFAULT_PORT = 8789
/** Most simulated browsers: their bodies are held in memory while they are put in. */
const MAX_DEVICES = 1_000_000

/**
 * `npm run simulate -- --scenario dashboard`: a collector on an in-memory store filled with simulated shoppers'
 * reports, its dashboard on 127.0.0.1 (saying its figures are simulated) until Ctrl-C.
 */
export async function runDashboard(args: readonly string[]): Promise<number> {
  const text = { type: 'string' } as const
  const opts = scenarioArgs(args, { devices: text, epsilon: text, 'learn-share': text, retrain: { type: 'boolean' }, 'min-answers': text, port: text, seed: text, data: text }, USAGE)
  if (!opts) return 2
  const num = (name: string, fallback: number) => (typeof opts[name] === 'string' ? Number(opts[name]) : fallback)
  const devices = num('devices', 100_000)
  const epsilon = num('epsilon', 2)
  const port = num('port', DEFAULT_PORT)
  const seed = num('seed', 1)
  const learnShare = num('learn-share', 0)
  const minAnswers = num('min-answers', MIN_TRAINING_ANSWERS)
  const retrain = opts.retrain === true
  // The first value out of its range is named, with what it takes, above the usage line.
  const problem = [
    [!Number.isInteger(devices) || devices < 1 || devices > MAX_DEVICES, 'devices', `a whole number from 1 to ${MAX_DEVICES.toLocaleString('en-US')}`],
    [!isReportEpsilon(epsilon), 'epsilon', 'an ε from 0.1 to 8, in hundredths (as reports.epsilonPerDay)'],
    [!(learnShare >= 0 && learnShare <= 1), 'learn-share', 'a share from 0 to 1 (as reports.learnShare)'],
    [!Number.isInteger(minAnswers) || minAnswers < 1, 'min-answers', 'a whole number from 1 (as retrain --min-answers)'],
    [!Number.isInteger(port) || port < 0 || port > 65535, 'port', 'a port from 0 to 65535'],
    [!Number.isInteger(seed), 'seed', 'a whole number'],
  ].find(([bad]) => bad)
  if (problem) {
    const [, name, takes] = problem
    console.error(`simulate: --${name} takes ${takes}, not ${JSON.stringify(opts[name as string])}`)
    console.error(USAGE)
    return 2
  }
  // A retrain of reports without training answers could only wait: said now, not after the reports are in.
  if (retrain && learnShare === 0) {
    console.error(`simulate: --retrain needs training answers: give --learn-share (0.3 puts in about ${counted(Math.round(devices * 0.3))} at --devices ${counted(devices)})`)
    console.error(USAGE)
    return 2
  }
  const file = shoppersFile(opts)
  if (!file) return 2
  const log = createLog(false)
  let stop = () => {}
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    log(`Dashboard preview: ${devices.toLocaleString('en-US')} simulated shoppers at ε = ${epsilon}${learnShare > 0 ? `, a share ${learnShare} of them training answers` : ''}, seed ${seed}, into a collector on an in-memory store`)
    const preview = await startDashboard(loadPopulation(file), createShop(createRng(SHOP_SEED)), { devices, epsilon, seed, port, learnShare, minAnswers, retrain, log }).catch((error: NodeJS.ErrnoException) => error)
    if (preview instanceof Error) {
      if (preview.code !== 'EADDRINUSE' && preview.code !== 'EACCES') throw preview
      console.error(`simulate: cannot listen on 127.0.0.1:${port}: ${preview.code === 'EADDRINUSE' ? 'the port is in use' : 'this user may not take it'}; pick another port with --port`)
      return 1
    }
    const refused = Object.entries(preview.refused).map(([code, n]) => `${n} ${code}`).join(', ')
    log(`${preview.stored.toLocaleString('en-US')} reports stored${refused ? ` (refused: ${refused})` : ''}; the figures are simulated, and gone once this stops`)
    if (preview.retrain) log(retrainSaid(preview.retrain))
    log(`dashboard ${preview.url}   (Ctrl-C to stop)`)
    await stopped
    await preview.stop()
    log('stopped')
    return 0
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
