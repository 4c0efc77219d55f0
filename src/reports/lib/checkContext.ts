import { ReportError } from '../../errors'
import { MAX_LEAVES, MAX_PACK_ID_LENGTH } from '../schema'

/** Pack ids: letters, digits and `._@+-`, 1–MAX_PACK_ID_LENGTH characters. */
export const PACK_ID_PATTERN = /^[A-Za-z0-9._@+-]+$/

/** Throws a ReportError unless the pack id and leaf counts are within the report's limits. */
export function checkContext(packId: unknown, segmentLeaves: unknown, valueLeaves: unknown, code: 'report_malformed' | 'report_out_of_range'): void {
  if (typeof packId !== 'string' || packId.length === 0 || packId.length > MAX_PACK_ID_LENGTH || !PACK_ID_PATTERN.test(packId))
    throw new ReportError(code, `pack id must be 1–${MAX_PACK_ID_LENGTH} characters of letters, digits and ._@+-`, 'pack')
  for (const [field, value] of [['sl', segmentLeaves], ['vl', valueLeaves]] as const)
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_LEAVES)
      throw new ReportError('report_out_of_range', `leaf count must be an integer from 1 to ${MAX_LEAVES}`, field)
}
