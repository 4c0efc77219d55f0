import { basename } from 'node:path'
import type { LoadedEvents } from './loadedEvents'

/**
 * What a pack was trained on, as the files written from it name it (the pack's first line and `provenance`, the
 * segments document): the public data set, or a shop's files by format and base name, never by the folder they
 * were read from (a served pack would show the shop's file system, and the same data elsewhere give other bytes).
 */
export interface TrainingData {
  /** `UCI Online Shoppers`, or a shop's files: `GA4 BigQuery export ga4-events.ndjson`. */
  name: string
  /** One of the public data sets, as the shipped packs are trained on. */
  public: boolean
  /** The currency of its order amounts (`GBP`; `EUR and USD` when the orders are in several), when it has orders. */
  currency?: string
}

/** Each format a shop's files are read in, as a pack names it. */
export const FORMAT_NAMES = { seglet: 'Seglet events export', ga4: 'GA4 BigQuery export', shopify: 'Shopify orders export' } as const

/** The public data set of the shipped session pack. */
export const UCI_SHOPPERS: TrainingData = { name: 'UCI Online Shoppers', public: true }

/** The public data set of the shipped lifetime pack (its prices are in pounds sterling). */
export const UCI_RETAIL: TrainingData = { name: 'UCI Online Retail', public: true, currency: 'GBP' }

/**
 * A shop's own files `paths`, read as `loaded`: their format and base names, and the currencies of their orders.
 *
 * @example
 * shopData(loaded, ['/home/shop/exports/ga4-events.ndjson'])
 * // { name: 'GA4 BigQuery export ga4-events.ndjson', public: false, currency: 'EUR' }
 */
export function shopData(loaded: LoadedEvents, paths: readonly string[]): TrainingData {
  const currencies = new Set<string>()
  for (const list of loaded.byShopper.values()) {
    for (const e of list) if (e.type === 'purchase' || e.type === 'refund') currencies.add(e.currency)
  }
  const name = `${FORMAT_NAMES[loaded.format]} ${paths.map((path) => basename(path)).join(', ')}`
  return { name, public: false, ...(currencies.size > 0 && { currency: [...currencies].sort().join(' and ') }) }
}
