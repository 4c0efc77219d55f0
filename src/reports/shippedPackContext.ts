// Generated from src/models/*.json by `npm run segment-ids` (training/segmentIds.ts): do not edit.
import type { ReportContext } from './types'

/**
 * The report context of the packs shipped with this version: what a session that no decision was recorded
 * for is reported against, when the browser has never decided (a first visit of one page).
 */
export const SHIPPED_PACK_CONTEXT: ReportContext = {"packId":"session@1.0.0+lifetime@1.0.0","segmentLeaves":4,"valueLeaves":4}
