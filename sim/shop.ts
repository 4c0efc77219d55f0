import type { Rng } from '../training/rng'

/**
 * The synthetic shop of the page-statistics simulation: PAGES pages (home, categories, products, help,
 * cart, checkout) whose views follow a Zipf law (the page of rank r gets a share ∝ 1 / r^ZIPF), and four
 * per-page propensities drawn once from a fixed seed — to be landed on, to be bounced from, to be the last
 * page, and to be viewed on the way to an order — so bounce rate, exit rate and page value differ from page
 * to page as in a real shop.
 */
export interface Shop {
  keys: string[]
  /** Share of views of each page under the Zipf law (before the propensities). */
  zipf: Float64Array
  /** Cumulative distributions: first page, one-page session, last page, middle page, middle page before an order. */
  landing: Float64Array
  bounce: Float64Array
  exit: Float64Array
  middle: Float64Array
  buying: Float64Array
}

export const PAGES = 200
/** The seed of the synthetic shop the insights and dashboard scenarios simulate, so both show the same shop. */
export const SHOP_SEED = 20261129
export const ZIPF = 1

function cumulative(weights: Float64Array): Float64Array {
  const out = new Float64Array(weights.length)
  let total = 0
  for (let i = 0; i < weights.length; i++) total += weights[i]
  let s = 0
  for (let i = 0; i < weights.length; i++) out[i] = s += weights[i] / total
  out[out.length - 1] = 1
  return out
}

/** Index drawn from a cumulative distribution. */
export function draw(cdf: Float64Array, u: number): number {
  let lo = 0
  let hi = cdf.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (u < cdf[mid]) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** A factor e^(σ·z) with z ≈ normal (sum of uniforms), from the shop's own generator. */
function spread(rng: Rng, sigma: number): number {
  let z = 0
  for (let i = 0; i < 12; i++) z += rng()
  return Math.exp(sigma * (z - 6))
}

export function createShop(rng: Rng): Shop {
  const keys: string[] = []
  const kinds = ['home', 'cart', 'checkout', 'search']
  for (const k of kinds) keys.push(k)
  for (let i = 0; keys.length < 20; i++) keys.push(`category/c${i + 1}`)
  for (let i = 0; keys.length < 190; i++) keys.push(`product/p${i + 1}`)
  for (let i = 0; keys.length < PAGES; i++) keys.push(`help/h${i + 1}`)
  // Ranks: a shuffled order so the most viewed pages are of every kind, home first.
  const order = Array.from({ length: PAGES }, (_, i) => i)
  for (let i = PAGES - 1; i > 1; i--) {
    const j = 1 + Math.floor(rng() * i)
    const t = order[i]
    order[i] = order[j]
    order[j] = t
  }
  const zipf = new Float64Array(PAGES)
  order.forEach((page, rank) => (zipf[page] = 1 / (rank + 1) ** ZIPF))
  const total = zipf.reduce((a, b) => a + b)
  for (let i = 0; i < PAGES; i++) zipf[i] /= total
  const weights = (sigma: number, boost: (key: string) => number) =>
    cumulative(Float64Array.from(zipf, (z, i) => z * spread(rng, sigma) * boost(keys[i])))
  return {
    keys,
    zipf,
    landing: weights(0.8, (k) => (k === 'home' ? 3 : k.startsWith('product/') ? 1.2 : k === 'checkout' || k === 'cart' ? 0.05 : 1)),
    bounce: weights(0.8, (k) => (k.startsWith('help/') ? 2 : k === 'home' ? 1.5 : 1)),
    exit: weights(0.8, (k) => (k === 'checkout' ? 4 : k === 'cart' ? 2 : 1)),
    middle: weights(0.3, () => 1),
    buying: weights(0.5, (k) => (k === 'cart' || k === 'checkout' ? 6 : k.startsWith('product/') ? 1.5 : 0.7)),
  }
}
