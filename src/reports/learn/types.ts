/**
 * What a device knows for the training question (never sent): the current pack's intent logits and the raw
 * session vector of the closed session.
 */
export interface LearnTruth {
  /** Logit of the intent probability with the session's page statistics; null when the shop has none. */
  logitWithStats: number | null
  /** Logit of the intent probability with page statistics left out. */
  logitWithoutStats: number
  /** The session's values the training tables read (fields of its `SessionAggregate`). */
  session: LearnSession
}

/** The fields of a `SessionAggregate` the training tables read. */
export interface LearnSession {
  productPages: number
  administrativeSeconds: number
  /** 0 = January. */
  month: number
  /** Items added to the cart in the session (absent in records of older versions: read as 0). */
  productsAdded?: number
  /** Checkout began or an order was placed (absent in records of older versions: read as false). */
  checkoutReached?: boolean
}
