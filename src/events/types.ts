/** Kind of page, used for page-group features. */
export type PageType =
  | 'home'
  | 'category'
  | 'product'
  | 'search'
  | 'cart'
  | 'checkout'
  | 'account'
  | 'informational'
  | 'other'

/** All page types, in a stable order. */
export const PAGE_TYPES: readonly PageType[] = [
  'home', 'category', 'product', 'search', 'cart', 'checkout', 'account', 'informational', 'other',
]

/**
 * Optional, non-personal page-level statistics from the shop's analytics (the UCI Online Shoppers
 * `BounceRates`, `ExitRates` and `PageValues` columns). Missing when the shop does not supply them.
 */
export interface PageStats {
  /** Share of sessions entering on this page that left without another request, 0–1. */
  bounceRate?: number
  /** Share of page views of this page that were the last in their session, 0–1. */
  exitRate?: number
  /**
   * Average value of this page for sessions that went on to buy (GA "page value"), ≥ 0; 0 for a page no order
   * followed. The model counts a session's statistics only when one of its page views has a page value: rates alone
   * read as no statistics.
   */
  pageValue?: number
}

/** A page was shown. Autocaptured on load and on SPA navigation. */
export interface PageViewEvent {
  type: 'page_view'
  /** Path and query of the page (origin removed, fragment dropped). Max 2,048 chars. */
  url: string
  pageType: PageType
  /** Page statistics, when the shop supplies them. */
  stats?: PageStats
  /**
   * The shop's name for this page (`product/mug`), from `<meta name="seglet:page-key">`: what private reports
   * and the page-statistics table use instead of the URL. See `PAGE_KEY_PATTERN`.
   */
  pageKey?: string
}

/** A product detail was shown. */
export interface ProductViewEvent {
  type: 'product_view'
  /** Shop's product id or SKU. Max 128 chars. */
  productId: string
  /** Unit price, ≥ 0. */
  price?: number
  /** ISO 4217 code, three upper-case letters. */
  currency?: string
  /** Category path or name. Max 256 chars. */
  category?: string
}

/** One line of a cart, checkout, purchase or refund. */
export interface LineItem {
  productId: string
  /** Positive integer. Max 10,000. */
  quantity: number
  /** Unit price, ≥ 0. */
  price: number
  category?: string
}

/** Items were added to the cart. */
export interface AddToCartEvent {
  type: 'add_to_cart'
  productId: string
  /** Positive integer, default 1. */
  quantity: number
  price?: number
  currency?: string
}

/** Items were removed from the cart. */
export interface RemoveFromCartEvent {
  type: 'remove_from_cart'
  productId: string
  quantity: number
  price?: number
  currency?: string
}

/** The shopper started checkout. */
export interface BeginCheckoutEvent {
  type: 'begin_checkout'
  /** Cart value, ≥ 0. */
  value?: number
  currency?: string
  items?: LineItem[]
}

/** An order was placed. Kept longer than other events for lifetime features. */
export interface PurchaseEvent {
  type: 'purchase'
  /** Max 128 chars. */
  orderId: string
  /** Order total, ≥ 0. */
  value: number
  currency: string
  /** At most 200 lines. */
  items: LineItem[]
}

/** An order (or part of it) was returned or refunded. Kept with purchases for lifetime features. */
export interface RefundEvent {
  type: 'refund'
  orderId: string
  /** Refunded amount, ≥ 0. */
  value: number
  currency: string
  items?: LineItem[]
}

/** A site search. The query text stays on the device. */
export interface SearchEvent {
  type: 'search'
  /** Max 256 chars. */
  query: string
}

/** Visible time and scroll depth for one page view. Autocaptured when the page is hidden or left. */
export interface EngagementEvent {
  type: 'engagement'
  url: string
  pageType: PageType
  /** Milliseconds the page was visible, ≥ 0, at most 24 h. */
  visibleMs: number
  /** Deepest scroll reached, 0–1. */
  scrollDepth: number
}

/** Every event Seglet understands. Pass one to `track()`. */
export type ShopperEvent =
  | PageViewEvent
  | ProductViewEvent
  | AddToCartEvent
  | RemoveFromCartEvent
  | BeginCheckoutEvent
  | PurchaseEvent
  | RefundEvent
  | SearchEvent
  | EngagementEvent

/**
 * What `track()` accepts: a {@link ShopperEvent} whose cart `quantity` may be left out (it defaults to 1, and
 * the stored event always has it).
 *
 * @example seglet.track({ type: 'add_to_cart', productId: 'sku-42' }) // quantity 1
 */
export type ShopperEventInput = ShopperEvent extends infer E ? (E extends { quantity: number } ? Omit<E, 'quantity'> & { quantity?: number } : E) : never

/** The `type` of each event. */
export type ShopperEventType = ShopperEvent['type']

/** Event types in a stable order. */
export const EVENT_TYPES: readonly ShopperEventType[] = [
  'page_view', 'product_view', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase', 'refund',
  'search', 'engagement',
]

/** What the store keeps: a validated event plus when it happened and a unique id. */
export type StoredEvent = ShopperEvent & {
  /** Unique id (random, 16 hex chars + counter), used to deduplicate across tabs. */
  id: string
  /** Epoch milliseconds when the event happened. */
  ts: number
}
