/**
 * Whether `target` has `key` as its own property. `Object.prototype`'s own method, taken once: a page's
 * object may shadow `hasOwnProperty`, and `Object.hasOwn` is missing in older browsers.
 *
 * @example
 * hasOwn({ '/cart': stats }, '/cart') // true
 */
export const hasOwn = (target: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(target, key)
