import { SegletError } from '../errors'
import type { ReportParts } from './lazy'

let parts: Promise<ReportParts> | undefined

/**
 * Loads the report part with a dynamic `import()` that bundlers split into its own chunk, once. A failed load
 * is retried on the next call.
 */
export function loadReportParts(): Promise<ReportParts> {
  parts ??= import('./lazy').then(
    (module) => module.createReportParts(),
    (error: unknown) => {
      parts = undefined
      throw new SegletError('report_failed', `The report part could not be loaded: ${String(error)}`, { cause: error })
    },
  )
  return parts
}
