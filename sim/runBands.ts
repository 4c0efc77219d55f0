import { cpus, loadavg } from 'node:os'
import { ORDER_VALUE_LOW_BAND_LIMIT, ORDER_VALUE_TOP_BAND_LIMIT } from '../src/reports/estimate/constants'
import { isReportEpsilon } from '../src/reports/lib/isReportEpsilon'
import { createRng } from '../training/rng'
import { measureBandRule, type BandRuleCounts } from './bands'
import { loadPopulation } from './population'
import { createShop, SHOP_SEED } from './shop'
import { scenarioArgs, startScenario } from './shoppersFile'

const USAGE = 'usage: npm run simulate -- --scenario bands [--devices 20000,50000] [--runs R] [--epsilon E] [--seed S] [--data DIR] [--json]'

/**
 * `npm run simulate -- --scenario bands`: how often the collector's order-value band rule refuses the simulated shop,
 * whose orders fit the bands, judged on the interval of a band's share (as the collector judges it) and on its point
 * estimate alone (the rule it replaced): the figures `bandProblem`'s comment and the README give.
 */
export async function runBands(args: readonly string[]): Promise<number> {
  const text = { type: 'string' } as const
  const opts = scenarioArgs(args, { devices: text, runs: text, epsilon: text, seed: text, data: text, json: { type: 'boolean' } }, USAGE)
  if (!opts) return 2
  const devicesList = typeof opts.devices === 'string' ? opts.devices.split(',').map(Number) : [20_000, 50_000]
  const runs = typeof opts.runs === 'string' ? Number(opts.runs) : 40
  const epsilon = typeof opts.epsilon === 'string' ? Number(opts.epsilon) : 2
  const seed = typeof opts.seed === 'string' ? Number(opts.seed) : 1
  const start = startScenario(opts, USAGE, devicesList.every((d) => Number.isInteger(d) && d >= 100) && Number.isInteger(runs) && runs >= 1 && isReportEpsilon(epsilon) && Number.isInteger(seed))
  if (!start) return 2
  const { file, json, log } = start
  const population = loadPopulation(file)
  const shop = createShop(createRng(SHOP_SEED))
  const started = Date.now()
  log(`Order-value band rule: ${runs} simulated shops of each size at ε = ${epsilon}, seed ${seed}; ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`)
  const results: BandRuleCounts[] = []
  for (const devices of devicesList) {
    const counts = measureBandRule(population, shop, { devices, epsilon, runs, seed })
    results.push(counts)
    log(
      `${devices.toLocaleString('en-US')} sessions: average order value measured in ${counts.measured} of ${runs} runs; of those, refused on the estimate of a band's share in ${counts.refusedOnEstimate}, ` +
        `on its interval (the collector's rule) in ${counts.refusedOnInterval}. True shares of orders: ${(100 * counts.topBandShare).toFixed(1)}% in the top band (limit ${100 * ORDER_VALUE_TOP_BAND_LIMIT}%), ` +
        `${(100 * counts.lowBandShare).toFixed(1)}% in the lowest (limit ${100 * ORDER_VALUE_LOW_BAND_LIMIT}%) (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    )
  }
  const seconds = (Date.now() - started) / 1000
  if (json) process.stdout.write(JSON.stringify({ scenario: 'bands', epsilon, runs, seed, seconds, loadAverage: loadavg()[0], results }) + '\n')
  else log(`done in ${seconds.toFixed(0)} s (load ${loadavg()[0].toFixed(2)})`)
  return 0
}
