import { SegletError } from '../errors'
import { loadScriptPart } from './loadScriptParts'
import type { ReportParts } from '../reports/lazy'

/**
 * The script-tag build's loader of the report part: `seglet-reports.min.js` from the folder of
 * `seglet.min.js` (and of `seglet-model.min.js`), once. A failed load is retried on the next call. The
 * errors the part reports carry its own copy of Seglet's classes; `init()` rebuilds them with this bundle's.
 */
export const loadScriptReports = (): Promise<ReportParts> =>
  loadScriptPart('reports', (module: { createReportParts(): ReportParts }) => module.createReportParts()).catch((error: SegletError) => {
    throw new SegletError('report_failed', error.message, { cause: error })
  })
