import { MAX_STRING_LENGTH, PAGE_KEY_PATTERN } from '../../events/limits'
import { MAX_VALUE_PAGES } from '../schema'

/**
 * The `valuePages` of a page-statistics table when it is a list of at most MAX_VALUE_PAGES valid page keys;
 * otherwise the index of the first bad key (-1 for a bad list), for the caller's message.
 */
export function checkValuePages(value: unknown): string[] | number {
  if (!Array.isArray(value) || value.length > MAX_VALUE_PAGES) return -1
  for (let i = 0; i < value.length; i++) {
    const key: unknown = value[i]
    if (typeof key !== 'string' || key.length > MAX_STRING_LENGTH.pageKey || !PAGE_KEY_PATTERN.test(key)) return i
  }
  return [...value] as string[]
}
