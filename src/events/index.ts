export { validateEvent } from './validateEvent'
export {
  MAX_STRING_LENGTH,
  MAX_URL_LENGTH,
  MAX_ITEMS,
  MAX_QUANTITY,
  MAX_PRICE,
  MAX_VISIBLE_MS,
  CURRENCY_PATTERN,
  PAGE_KEY_PATTERN,
} from './limits'
export { PAGE_TYPES, EVENT_TYPES } from './types'
export type {
  PageType,
  PageStats,
  PageViewEvent,
  ProductViewEvent,
  LineItem,
  AddToCartEvent,
  RemoveFromCartEvent,
  BeginCheckoutEvent,
  PurchaseEvent,
  RefundEvent,
  SearchEvent,
  EngagementEvent,
  ShopperEvent,
  ShopperEventInput,
  ShopperEventType,
  StoredEvent,
} from './types'
