import { MAX_VALUE_PAGES } from '../schema'
import { isReportPageKey } from './isReportPageKey'

/** True for a list the page-value question can draw from: at most MAX_VALUE_PAGES keys of 1–MAX_PAGE_KEY_LENGTH characters. */
export function isValuePageList(list: unknown): list is string[] {
  return Array.isArray(list) && list.length <= MAX_VALUE_PAGES && list.every(isReportPageKey)
}
