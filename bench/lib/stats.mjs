// Shared by the benchmarks: percentiles, the machine a run took place on, the command-line flags and the reports.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'

/**
 * Median, p90, p99, mean, min and max of a list of numbers. The median of an even count is the mean of the two
 * middle values; p90 and p99 are by nearest rank (with fewer than 100 samples, p99 is the largest). Missing
 * values (undefined, NaN) are left out.
 */
export function summarize(samples) {
  const sorted = Float64Array.from(samples.filter((x) => typeof x === 'number' && !Number.isNaN(x))).sort()
  if (sorted.length === 0) return { n: 0 }
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
  return {
    n: sorted.length,
    median: (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2,
    p90: at(0.9),
    p99: at(0.99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  }
}

/** The machine and its load right now. */
export function machine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    date: new Date().toISOString(),
  }
}

/** The load average (1, 5, 15 minutes) as numbers. */
/** Writes `report` as reports/`name` under `root`, the folder of the reports the benchmarks generate (not committed). */
export function writeReport(root, name, report) {
  mkdirSync(join(root, 'reports'), { recursive: true })
  writeFileSync(join(root, 'reports', name), JSON.stringify(report, null, 2) + '\n')
}

export const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100)

/**
 * Reads `--rounds N` (or `--rounds=N`), `--without N`, `--quick` and `--heap-only` from the command line.
 * `--quick` stands for a short run that checks the tools work (its figures are not for publishing); `--rounds`
 * wins over it. `--without N`: the storefront journeys run with Seglet's files blocked, for comparison
 * (`npm run bench`; default 3). `--heap-only`: only what holds the heap (`npm run bench:peers`).
 * @returns {{ quick: boolean, heapOnly: boolean, rounds: number | undefined, without: number | undefined }}
 */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = { quick: false, heapOnly: false, hint: false, themeScript: false, rounds: undefined, without: undefined }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=')
    if (flag === '--quick') out.quick = true
    else if (flag === '--heap-only') out.heapOnly = true
    else if (flag === '--hint') out.hint = true
    else if (flag === '--theme-script') out.themeScript = true
    else if (flag === '--rounds') {
      const value = Number(inline ?? argv[++i])
      if (!Number.isInteger(value) || value < 1) throw new Error(`--rounds takes a whole number ≥ 1, got ${inline ?? argv[i]}`)
      out.rounds = value
    } else if (flag === '--without') {
      const value = Number(inline ?? argv[++i])
      if (!Number.isInteger(value) || value < 0) throw new Error(`--without takes a whole number ≥ 0, got ${inline ?? argv[i]}`)
      out.without = value
    } else throw new Error(`unknown flag ${argv[i]} (known: --rounds N, --without N, --quick, --heap-only, --hint, --theme-script)`)
  }
  return out
}
