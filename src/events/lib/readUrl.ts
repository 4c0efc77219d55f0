import { MAX_URL_LENGTH } from '../limits'
import { invalid } from './invalid'
import { normalizeUrl } from './normalizeUrl'
import type { Fields } from './types'

/** Reads a required URL and returns its normalised path and query. */
export function readUrl(source: Fields, key: string, at: string): string {
  const value = source[key]
  const expectation = `must be a path or an absolute URL of at most ${MAX_URL_LENGTH} characters`
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_LENGTH) {
    throw invalid(at, key, expectation, value)
  }
  const url = normalizeUrl(value)
  if (url === undefined) throw invalid(at, key, expectation, value)
  return url
}
