// A realistic stored history for the benchmarks: a returning shopper who visits most days, browses
// products and sometimes buys. Deterministic (seeded), so runs compare.
import { mulberry32 } from '../scripts/mulberry32.mjs'

/** @returns {Array<object>} StoredEvents, oldest first. */
export function makeHistory({ days = 30, now = Date.now(), seed = 7 } = {}) {
  const random = mulberry32(seed)
  const events = []
  let n = 0
  const push = (ts, event) => events.push({ ...event, id: `bench-${seed}-${n++}`, ts })
  for (let day = days; day >= 0; day--) {
    if (day > 0 && random() < 0.3) continue
    let ts = now - day * 86_400_000 - (day === 0 ? 20 * 60_000 : 3_600_000)
    const pages = 3 + Math.floor(random() * 8)
    for (let p = 0; p < pages; p++) {
      const kind = random()
      const pageType = kind < 0.7 ? 'product' : kind < 0.85 ? 'category' : kind < 0.95 ? 'informational' : 'account'
      const url = `/${pageType}/${Math.floor(random() * 40)}`
      push(ts, { type: 'page_view', url, pageType })
      if (pageType === 'product') push(ts + 500, { type: 'product_view', productId: `sku-${Math.floor(random() * 40)}`, price: 20, currency: 'EUR' })
      const visibleMs = Math.round(5_000 + random() * 90_000)
      push(ts + visibleMs, { type: 'engagement', url, pageType, visibleMs, scrollDepth: Math.round(random() * 100) / 100 })
      ts += visibleMs + 1000
    }
    if (random() < 0.15) {
      push(ts, { type: 'add_to_cart', productId: 'sku-1', quantity: 1, price: 20, currency: 'EUR' })
      push(ts + 1000, { type: 'purchase', orderId: `order-${day}`, value: 40, currency: 'EUR', items: [{ productId: 'sku-1', quantity: 2, price: 20 }] })
    }
  }
  return events
}
