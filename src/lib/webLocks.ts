/**
 * The page's Web Locks, when it has them (a page served over HTTPS, a browser from 2022 on).
 *
 * @example
 * const locks = webLocks()
 */
export const webLocks = (): LockManager | undefined => (typeof navigator !== 'undefined' ? (navigator as { locks?: LockManager }).locks : undefined)
