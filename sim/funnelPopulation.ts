import type { StoredEvent } from '../src/events/types'
import type { Rng } from '../training/rng'

/**
 * The synthetic shop of the funnel scenario, in numbers. Every session has a hidden readiness to buy
 * `u ~ N(0, 1)`; what the shopper does follows from it:
 *
 * - returning visitor with probability `RETURNING` (an earlier visit 1–20 days before);
 * - product pages: 1 + Poisson(3 · e^(0.35u)), each a `page_view`, a `product_view` (price log-normal around
 *   40, one of 8 categories) and an `engagement` of e^(N(3.2 + 0.15u, 0.6)) seconds; information pages
 *   Poisson(0.4), account pages Poisson(0.3, +0.5 for returning visitors); searches Poisson(0.5);
 * - adds to the cart with probability σ(−1.5 + 1.3u + 0.3 ln(product pages)): one item, or 2–4 with
 *   probability 0.3, after a product page; then sees the cart page (probability 0.8);
 * - begins checkout, when it added, with probability σ(0.2 + 1.0u);
 * - orders, when in checkout, with probability σ(0.5 + 1.0u): a `purchase` and a thank-you page.
 *
 * So browsing carries some signal (more product pages and time for readier shoppers), and adding to the cart
 * and reaching checkout carry much more: every order went through both. About 15% of sessions order, like the
 * UCI Online Shoppers sessions the shipped pack was trained on; the shop has no page statistics. Sessions
 * start in November 2026 between 08:00 and 23:00 local time.
 */
export const FUNNEL_POPULATION = {
  returning: 0.45,
  productPagesMean: 3,
  addIntercept: -1.5,
  checkoutIntercept: 0.2,
  orderIntercept: 0.5,
} as const

/** One simulated session: its events as a device stores them, and whether it ordered. */
export interface FunnelSession {
  events: StoredEvent[]
  ordered: boolean
  /** When the device decides for the last time (just after the last event). */
  end: number
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))
const DAY_MS = 86_400_000
const START = Date.UTC(2026, 10, 2)

function normal(rng: Rng): number {
  const u = Math.max(1e-12, rng())
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng()
  while (p > limit) {
    k++
    p *= rng()
  }
  return k
}

/**
 * Session `index` of the population (its own generator, so a session is the same whatever else is drawn).
 *
 * @example
 * const { events, ordered } = funnelSession(createRng(7), 0)
 */
export function funnelSession(rng: Rng, index: number): FunnelSession {
  const p = FUNNEL_POPULATION
  const u = normal(rng)
  const events: StoredEvent[] = []
  let seq = 0
  const day = Math.floor(rng() * 28)
  let ts = START + day * DAY_MS + Math.floor((8 + rng() * 15) * 3_600_000)
  const push = (event: Record<string, unknown>, after = 1000) => {
    ts += after
    events.push({ ...event, id: `s${index}-${seq++}`, ts } as StoredEvent)
  }
  const returning = rng() < p.returning
  if (returning) {
    const back = ts - Math.floor((1 + rng() * 19) * DAY_MS)
    events.push({ type: 'page_view', url: '/', pageType: 'home', id: `s${index}-prev`, ts: back } as StoredEvent)
  }
  const page = (url: string, pageType: string, seconds: number, scroll: number) => {
    push({ type: 'page_view', url, pageType })
    push({ type: 'engagement', url, pageType, visibleMs: Math.round(seconds * 1000), scrollDepth: scroll }, Math.round(seconds * 1000))
  }
  const dwell = (median: number) => Math.min(1800, Math.exp(Math.log(median) + 0.15 * u + 0.6 * normal(rng)))
  page('/', 'home', dwell(15), 0.5)
  const productPages = 1 + poisson(rng, p.productPagesMean * Math.exp(0.35 * u))
  const infoPages = poisson(rng, 0.4)
  const accountPages = poisson(rng, 0.3 + (returning ? 0.5 : 0))
  const searches = poisson(rng, 0.5)
  const adds = rng() < sigmoid(p.addIntercept + 1.3 * u + 0.3 * Math.log(productPages))
  const addAfter = Math.floor(rng() * productPages)
  const cart: Array<{ productId: string; quantity: number; price: number; category: string }> = []
  for (let a = 0; a < accountPages; a++) page('/account', 'account', dwell(25), 0.3)
  for (let s = 0; s < searches; s++) push({ type: 'search', query: `q${Math.floor(rng() * 50)}` })
  for (let n = 0; n < productPages; n++) {
    const productId = `p${Math.floor(rng() * 400)}`
    const price = Math.round(Math.exp(Math.log(40) + 0.7 * normal(rng)) * 100) / 100
    const category = `c${Math.floor(rng() * 8)}`
    push({ type: 'page_view', url: `/p/${productId}`, pageType: 'product' })
    push({ type: 'product_view', productId, price, category, currency: 'EUR' }, 200)
    const seconds = dwell(25)
    push({ type: 'engagement', url: `/p/${productId}`, pageType: 'product', visibleMs: Math.round(seconds * 1000), scrollDepth: Math.min(1, 0.3 + 0.5 * rng()) }, Math.round(seconds * 1000))
    if (adds && n === addAfter) {
      const quantity = rng() < 0.3 ? 2 + Math.floor(rng() * 3) : 1
      push({ type: 'add_to_cart', productId, quantity, price, currency: 'EUR' })
      cart.push({ productId, quantity, price, category })
    }
    if (n === Math.floor(productPages / 2)) for (let i = 0; i < infoPages; i++) page('/help', 'informational', dwell(40), 0.6)
  }
  let ordered = false
  if (adds) {
    if (rng() < 0.8) page('/cart', 'cart', dwell(20), 0.7)
    if (rng() < sigmoid(p.checkoutIntercept + u)) {
      const value = Math.round(cart.reduce((s, i) => s + i.price * i.quantity, 0) * 100) / 100
      push({ type: 'begin_checkout', value, currency: 'EUR' })
      page('/checkout', 'checkout', dwell(60), 0.9)
      if (rng() < sigmoid(p.orderIntercept + u)) {
        ordered = true
        push({ type: 'purchase', orderId: `o${index}`, value, currency: 'EUR', items: cart })
        page('/thanks', 'other', dwell(10), 0.5)
      }
    }
  }
  return { events, ordered, end: ts + 1000 }
}
