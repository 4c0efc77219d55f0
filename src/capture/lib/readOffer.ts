import { prop } from './prop'
import { toAmount } from './toAmount'
import { toCurrency } from './toCurrency'

/**
 * Price and currency from schema.org `offers`: an `Offer`, an `AggregateOffer` (its `lowPrice`), an `Offer` with
 * a price range (its `minPrice`, as BigCommerce's Cornerstone theme prints it), an array of them (the first),
 * or a `priceSpecification` (of a list, the first that is not the crossed-out `ListPrice` or `StrikethroughPrice`
 * of a product on sale, which WooCommerce 9.5 and 9.6 printed before the sale price). Unusable values are left out.
 */
export function readOffer(offers: unknown): { price?: number; currency?: string } {
  const offer = [offers].flat()[0]
  const spec = [prop(offer, 'priceSpecification')].flat().find((spec) => !/(List|Strikethrough)Price$/.test(prop(spec, 'priceType') as string))
  const price = toAmount(prop(offer, 'price') ?? prop(offer, 'lowPrice') ?? prop(offer, 'minPrice') ?? prop(spec, 'price'))
  const currency = toCurrency(prop(offer, 'priceCurrency') ?? prop(spec, 'priceCurrency'))
  const out: { price?: number; currency?: string } = {}
  if (typeof price === 'number' && price >= 0 && price < Infinity) out.price = price
  if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)) out.currency = currency
  return out
}
