import { MAX_PAGE_KEY_LENGTH } from '../schema'

/** True for a page key a report can carry: a text of 1–MAX_PAGE_KEY_LENGTH characters. */
export function isReportPageKey(key: unknown): key is string {
  return typeof key === 'string' && key.length > 0 && key.length <= MAX_PAGE_KEY_LENGTH
}
