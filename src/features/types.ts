import type { PageType } from '../events/types'
import type { FeatureTransform } from '../pack/types'

/**
 * One model input, defined once: the feature tables (`SESSION_FEATURES`, `LIFETIME_FEATURES`) are lists of
 * these, and feature names, transforms, vectors and the words of `explain()` and the panel derive from them.
 */
export interface FeatureDefinition<A> {
  /** What a pack's feature spec calls it (`product_pages`). */
  readonly name: string
  /** Applied before normalisation: `log1p` for counts, durations and money. */
  readonly transform: FeatureTransform
  /** Its raw value, read from the aggregate. */
  readonly read: (aggregate: A) => number
  /** Its value in plain words for a shopper ("8 shopping pages viewed"). */
  readonly describe: (value: number) => string
  /** The public training data (UCI) carries it, so the shipped pack can read it. */
  readonly publicData: boolean
}

/**
 * The three page groups of the UCI Online Shoppers data, plus `none` for pages that belong to none of them.
 *
 * - `administrative`: account management (`account` pages: login, profile, orders, addresses).
 * - `informational`: pages about the shop, communication and address information (`informational`).
 * - `product`: "product related" — every page of the shopping funnel: `home`, `category`, `product`,
 *   `search`, `cart`, `checkout`. The panel calls them "shopping pages", not product pages.
 * - `none`: `other` pages (errors, legal boilerplate, unknown). UCI has sessions that visited pages outside
 *   all three groups (six rows with zero pages in every group but page statistics), so the groups do not cover
 *   every page; `other` pages count towards page statistics only.
 */
export type PageGroup = 'administrative' | 'informational' | 'product' | 'none'

/**
 * Mean page statistics of a session (UCI BounceRates, ExitRates, PageValues). A session has them when at least one
 * of its page views carries a page value; a rate none of them carries is absent (its feature reads 0).
 */
export interface SessionStats {
  /** Mean bounce rate of the page views that carry one, 0–1; absent when none does. */
  bounceRate?: number
  /** Mean exit rate of the page views that carry one, 0–1; absent when none does. */
  exitRate?: number
  /** Mean page value of the page views that carry one, ≥ 0. */
  pageValue: number
}

/**
 * What one session looks like, folded from its events. The same shape is built by the training loader from
 * a UCI Online Shoppers row, so training and the browser share `sessionVector()`.
 */
export interface SessionAggregate {
  /** Page views of account pages (UCI `Administrative`). */
  administrativePages: number
  /** Visible seconds on account pages (UCI `Administrative_Duration`), millisecond precision. */
  administrativeSeconds: number
  /** Page views of informational pages (UCI `Informational`). */
  informationalPages: number
  /** Visible seconds on informational pages (UCI `Informational_Duration`). */
  informationalSeconds: number
  /** Page views of product-related pages (UCI `ProductRelated`: the `product` page group, home to checkout). */
  productPages: number
  /** Visible seconds on product-related pages (UCI `ProductRelated_Duration`). */
  productSeconds: number
  /** All page views of the session, including `other` pages. */
  pageViews: number
  /** `product_view` events. UCI has no such column: only packs trained on a shop's own sessions read it. */
  productViews: number
  /** `search` events. */
  searches: number
  /** An item was added to the cart or a cart page was shown. */
  cartReached: boolean
  /** Checkout began (event or checkout page) or an order was placed. */
  checkoutReached: boolean
  /** Items added to the cart (sum of `add_to_cart` quantities). */
  productsAdded: number
  /** Items taken out of the cart (sum of `remove_from_cart` quantities). */
  productsRemoved: number
  /**
   * Value put into the cart in this session: priced items added minus priced items removed, never below 0,
   * to the cent (items without a price add nothing).
   */
  cartValue: number
  /** Mean unit price of the viewed products that carry a price, to the cent; 0 when none does. */
  viewedPriceLevel: number
  /** Distinct `category` values of the viewed products. */
  distinctCategories: number
  /** Mean deepest scroll of the session's page engagement records, 0–1 (to 0.001); 0 without any. */
  scrollDepth: number
  /** Days from the end of the previous session to the start of this one; 0 on a first visit. */
  daysSincePreviousSession: number
  /** Hour of the session start in the shopper's local time, 0–23. */
  hour: number
  /** Month of the session start in the shopper's local time, 0 = January. */
  month: number
  /** The session started on a Saturday or Sunday (local time). */
  weekend: boolean
  /** Closeness to the nearest special day of the calendar, 0–1 in steps of 0.2 (UCI `SpecialDay`). */
  specialDay: number
  /**
   * The name of the special day `specialDay` is the closeness to (its rule's `name`: "Mother's Day"), when that
   * is above 0; explanations say it. Absent in aggregates of data that gives the closeness alone (UCI).
   */
  specialDayName?: string
  /** Earlier sessions exist in the stored history (UCI `VisitorType` = Returning_Visitor). */
  returning: boolean
  /** Mean page statistics, or `null` when no page view of the session carried a page value. */
  stats: SessionStats | null
}

/** The RFM view of a shopper's stored purchases and refunds (UCI Online Retail). */
export interface LifetimeAggregate {
  /** Distinct orders (purchase events deduplicated by `orderId`). */
  orders: number
  /** Sum of order values. */
  monetary: number
  /** `monetary / orders`, 0 without orders. */
  averageBasket: number
  /** Days from the last order to `now`, 0 without orders. */
  recencyDays: number
  /** Days from the first order to `now`, 0 without orders. */
  tenureDays: number
  /** Distinct orders in the 90 days before `now`. */
  ordersLast90Days: number
  /** Distinct days with an order. */
  activeDays: number
  /** Distinct product ids over all orders. */
  distinctProducts: number
  /** Refund events. */
  returns: number
  /** Sum of refunded values. */
  returnValue: number
}

/**
 * A special day of the calendar: a fixed date (`month` + `day`) or the `nth` `weekday` of a month
 * (Mother's Day = second Sunday of May).
 */
export interface SpecialDayRule {
  name: string
  /** Month, 1 = January. */
  month: number
  /** Day of the month, for fixed dates. */
  day?: number
  /** Weekday, 0 = Sunday, for floating dates. */
  weekday?: number
  /** Which occurrence of `weekday` in the month, 1-based. */
  nth?: number
  /**
   * Days before the special day at which closeness peaks.
   * @default 6
   */
  peakDaysBefore?: number
}

/** Options of `computeFeatures()` and the session folding. */
export interface FeatureOptions {
  /**
   * Inactivity gap that ends a session, in milliseconds.
   * @default 1_800_000 (30 minutes, the Google Analytics convention UCI's sessions follow)
   */
  sessionGapMs?: number
  /**
   * Special days for the `specialDay` closeness.
   * @default DEFAULT_SPECIAL_DAYS (Valentine's Day and Mother's Day, as in UCI Online Shoppers)
   */
  specialDays?: readonly SpecialDayRule[]
}

/** Result of `computeFeatures()`. */
export interface Features {
  session: SessionAggregate
  lifetime: LifetimeAggregate
  /** `sessionVector(session)`: every session feature, in the order of `SESSION_FEATURE_NAMES`. */
  sessionRaw: number[]
  /** `lifetimeVector(lifetime)`, in the order of `LIFETIME_FEATURE_NAMES`. */
  lifetimeRaw: number[]
}

export type { PageType }
