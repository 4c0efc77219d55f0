import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { chooseValuePages, DEFAULT_VALUE_PAGES } from '../collector/estimates/chooseValuePages'
import { isReportEpsilon } from '../src/reports/lib/isReportEpsilon'
import { createRng } from '../training/rng'
import { measureRun, simulateInsights, topPages, TOP_PAGES, type RunMeasures } from './insights'
import { loadPopulation } from './population'
import { createShop, PAGES, SHOP_SEED } from './shop'
import { runBands } from './runBands'
import { runDashboard } from './runDashboard'
import { runDrift } from './runDrift'
import { runFunnel } from './runFunnel'
import { scenarioArgs, startScenario } from './shoppersFile'

const INSIGHTS_USAGE = 'usage: npm run simulate -- --scenario insights [--devices N] [--epsilon E] [--repetitions R] [--seed S] [--data DIR] [--json]'
const USAGE = 'usage: npm run simulate -- --scenario drift [--scales 1,10,100] [--epsilon E] [--learn-share S] [--seed S] [--data DIR] [--json]\n       npm run simulate -- --scenario funnel [--devices N] [--test N] [--epsilon E] [--learn-share S] [--seed S] [--no-central] [--json]\n       npm run simulate -- --scenario insights [--devices N] [--epsilon E] [--repetitions R] [--seed S] [--data DIR] [--json]\n       npm run simulate -- --scenario dashboard [--devices N] [--epsilon E] [--learn-share S [--retrain] [--min-answers N]] [--port P] [--seed S] [--data DIR]\n       npm run simulate -- --scenario bands [--devices 20000,50000] [--runs R] [--epsilon E] [--seed S] [--data DIR] [--json]'

export async function main(args: string[]): Promise<number> {
  // The scenario first: each reads its own options.
  const scenario = parseArgs({ args, strict: false, options: { scenario: { type: 'string' } } }).values.scenario
  if (scenario === 'drift') return runDrift(args)
  if (scenario === 'funnel') return runFunnel(args)
  if (scenario === 'dashboard') return runDashboard(args)
  if (scenario === 'bands') return runBands(args)
  if (scenario !== 'insights') {
    console.error(USAGE)
    return 2
  }
  const text = { type: 'string' } as const
  const opts = scenarioArgs(args, { devices: text, epsilon: text, repetitions: text, seed: text, data: text, json: { type: 'boolean' } }, INSIGHTS_USAGE)
  if (!opts) return 2
  const list = (v: string | true | undefined, fallback: number[]) =>
    typeof v === 'string' ? v.split(',').map(Number) : fallback
  const devicesList = list(opts.devices, [10_000, 100_000, 1_000_000])
  const epsilons = list(opts.epsilon, [1, 2, 4])
  const repetitions = typeof opts.repetitions === 'string' ? Number(opts.repetitions) : 200
  const seed = typeof opts.seed === 'string' ? Number(opts.seed) : 1
  const start = startScenario(opts, INSIGHTS_USAGE, [...devicesList, repetitions].every(Number.isInteger) && Number.isFinite(seed) && !devicesList.some((d) => d < 100) && epsilons.every(isReportEpsilon))
  if (!start) return 2
  const { file, json, log } = start
  const population = loadPopulation(file)
  const shop = createShop(createRng(SHOP_SEED))
  const started = Date.now()
  const cpuStart = process.cpuUsage()
  log(`Private insights simulation: ${population.rows.length} UCI Online Shoppers sessions, synthetic shop of ${PAGES} pages; ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`)

  const runs: Array<RunMeasures & { intervalCoverage: number; coverageRepetitions: number }> = []
  for (const epsilon of epsilons) {
    // The browsers hold the page-statistics table of the day before, with the same traffic: the pages the
    // page-value question asks about are the collector's own choice from that day's estimates.
    const listFor = new Map<number, string[]>()
    const valuePagesFor = (devices: number) => {
      let list = listFor.get(devices)
      if (!list) {
        const before = simulateInsights(population, shop, { devices, epsilon, seed: seed * 1_000_003 + devices + 77 + Math.round(epsilon * 100) })
        listFor.set(devices, (list = chooseValuePages(before.insights.pages, DEFAULT_VALUE_PAGES)))
        const top = new Set(topPages(before.truth))
        log(`ε=${epsilon} devices=${devices}: the page-value question asks about ${list.length} pages chosen from the day before's estimates (${list.filter((key) => top.has(shop.keys.indexOf(key))).length} of the ${TOP_PAGES} most viewed)`)
      }
      return list
    }
    // Coverage: many independent repetitions at the smallest population.
    const smallest = Math.min(...devicesList)
    let covered = 0
    let intervals = 0
    let pageCovered = 0
    let pageIntervals = 0
    let ratioCovered = 0
    let ratioIntervals = 0
    let shownCovered = 0
    let shown = 0
    let pageShownCovered = 0
    let pageShown = 0
    const small: RunMeasures[] = []
    for (let r = 0; r < repetitions; r++) {
      const m = measureRun(simulateInsights(population, shop, { devices: smallest, epsilon, seed: seed * 1_000_003 + r * 7919 + Math.round(epsilon * 100), valuePages: valuePagesFor(smallest) }))
      covered += m.covered
      intervals += m.intervals
      ratioCovered += m.ratioCovered
      ratioIntervals += m.ratioIntervals
      pageCovered += m.pageIntervalsCovered
      pageIntervals += m.pageIntervals
      shownCovered += m.shownCovered
      shown += m.shown
      pageShownCovered += m.pageShownCovered
      pageShown += m.pageShown
      small.push(m)
    }
    for (const devices of devicesList) {
      const valuePages = valuePagesFor(devices)
      const m = devices === smallest && small.length > 0 ? small[0] : measureRun(simulateInsights(population, shop, { devices, epsilon, seed: seed * 1_000_003 + devices + Math.round(epsilon * 100), valuePages }))
      const run = {
        ...m,
        intervalCoverage: devices === smallest && intervals > 0 ? covered / intervals : m.covered / m.intervals,
        ratioIntervalCoverage: devices === smallest && ratioIntervals > 0 ? ratioCovered / ratioIntervals : m.ratioCovered / m.ratioIntervals,
        pageIntervalCoverage: devices === smallest && pageIntervals > 0 ? pageCovered / pageIntervals : m.pageIntervalsCovered / m.pageIntervals,
        shownIntervalCoverage: devices === smallest && shown > 0 ? shownCovered / shown : m.shownCovered / Math.max(1, m.shown),
        coverageRepetitions: devices === smallest ? repetitions : 1,
      }
      runs.push(run)
      if (devices === Math.max(...devicesList)) {
        const bands = [[0.05, 1], [0.02, 0.05], [0.01, 0.02], [0.005, 0.01], [0, 0.005]] as const
        const asked = new Set(valuePages)
        const bandMedians = (pick: (p: RunMeasures['pagesNeed'][number]) => number, only: (k: number) => boolean) =>
          bands.map(([lo, hi]) => {
            const need = m.pagesNeed.filter((p, k) => only(k) && p.share >= lo && p.share < hi).map(pick).sort((a, b) => a - b)
            const median = need.length ? need[need.length >> 1] : Number.NaN
            return { viewShareFrom: lo, viewShareTo: hi, pages: need.length, sessions: Number.isFinite(median) ? Math.round(median) : null }
          })
        const text = (cells: ReturnType<typeof bandMedians>) =>
          cells.map((c) => `${(100 * c.viewShareFrom).toFixed(1)}–${(100 * c.viewShareTo).toFixed(1)}% of views (${c.pages} pages): ${c.sessions !== null ? c.sessions.toLocaleString('en-US') : c.pages ? 'more than can be extrapolated' : '–'}`).join('; ')
        const publishedFrom = bandMedians((p) => p.sessions, () => true)
        const valueFrom = bandMedians((p) => p.valueSessions, (k) => asked.has(shop.keys[k]))
        log(`  ε=${epsilon}: sessions from which a page's bounce and exit rates are published (median): ${text(publishedFrom)}`)
        log(`  ε=${epsilon}: sessions from which the page value of a listed page is shown (median): ${text(valueFrom)}`)
        Object.assign(run, { publishedFrom, pageValueFrom: valueFrom })
      }
      log(
        `ε=${epsilon} devices=${devices}: segment shares max |err| ${(100 * m.segmentShareMaxAbsError).toFixed(2)} pt; value shares ${(100 * m.valueShareMaxAbsError).toFixed(2)} pt; ` +
          `conversion by segment ${(100 * m.conversionBySegmentMaxAbsError).toFixed(2)} pt; lift ${(100 * m.liftAbsError).toFixed(2)} pt; ` +
          `coverage ${(100 * run.intervalCoverage).toFixed(1)}%${devices === smallest ? ` (shares, ${repetitions} runs; ratios ${(100 * ratioCovered / Math.max(1, ratioIntervals)).toFixed(1)}%, top-20 page statistics ${(100 * pageCovered / Math.max(1, pageIntervals)).toFixed(1)}%; of all these, the ${shown.toLocaleString('en-US')} shown ${(100 * shownCovered / Math.max(1, shown)).toFixed(1)}%, the ${pageShown.toLocaleString('en-US')} shown page statistics ${(100 * pageShownCovered / Math.max(1, pageShown)).toFixed(1)}%)` : ''}; ` +
          `top-20 pages: bounce ${(100 * m.bounceMedianAbsError).toFixed(1)} pt, exit ${(100 * m.exitMedianAbsError).toFixed(1)} pt, value ${(100 * m.pageValueMedianRelError).toFixed(0)}%; ` +
          `rates published ${m.publishedPages}/${PAGES} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      )
    }
  }
  const seconds = (Date.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStart)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  if (json) {
    process.stdout.write(
      JSON.stringify({
        scenario: 'insights',
        seconds,
        cpuSeconds,
        loadAverage: loadavg()[0],
        valuePages: DEFAULT_VALUE_PAGES,
        runs: runs.map(({ pagesNeed: _, ...r }) => r),
      }) + '\n',
    )
  } else {
    log(`done in ${seconds.toFixed(0)} s (${cpuSeconds.toFixed(0)} s of CPU; load ${loadavg()[0].toFixed(2)})`)
  }
  return 0
}
