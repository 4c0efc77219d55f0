/**
 * The lazily loaded report part: building the truth of the previous closed session, the ε-LDP encoding, the
 * daily budget ledger and sending. Only shops that configure `reports` ever load it: bundlers split it into
 * a chunk, and the script-tag build loads it as `seglet-reports.min.js`.
 */
import type { Reporter, ReporterContext } from './createReporter'
import { createReporter } from './createReporter'

export type { Reporter, ReporterContext }

/** What the core gets from the report part. */
export interface ReportParts {
  /**
   * Sends the day's report of the running Seglet that `ctx` belongs to, when one is due (see
   * `Reporter.run()`). One reporter per context. Never rejects.
   */
  run(ctx: ReporterContext): Promise<void>
}

/**
 * The report part's entry point.
 * @example
 * await (await import('./lazy')).createReportParts().run(ctx)
 */
export function createReportParts(): ReportParts {
  const reporters = new WeakMap<ReporterContext, Reporter>()
  return {
    run(ctx) {
      let reporter = reporters.get(ctx)
      if (!reporter) reporters.set(ctx, (reporter = createReporter(ctx)))
      return reporter.run()
    },
  }
}
