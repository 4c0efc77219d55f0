import { CollectorError } from './CollectorError'

/**
 * The shop's currency as the ISO 4217 code the dashboard formats money with (`EUR`, any case), or a `CollectorError`
 * (`collector_option`) naming `--currency`. Checked against the codes this Node.js knows (`Intl.supportedValuesOf`),
 * which are the browsers' too: a code they do not know would make every money figure throw.
 *
 * @example
 * toCurrency('eur') // 'EUR'
 */
export function toCurrency(code: string): string {
  const upper = code.toUpperCase()
  if (!/^[A-Z]{3}$/.test(upper) || !Intl.supportedValuesOf('currency').includes(upper)) {
    throw new CollectorError('collector_option', `--currency must be an ISO 4217 currency code like EUR or USD, not "${code}"`, '--currency')
  }
  return upper
}
