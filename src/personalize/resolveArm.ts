import { withMetaLock } from '../lib/withMetaLock'
import type { PersonalizationArm } from './types'

/** Meta key of this browser's holdout draw. `forget()` deletes it; the next visit draws again. */
export const HOLDOUT_META_KEY = 'holdout-draw'

/** The draw is one of this many buckets: fine enough for any share in thousandths, too coarse to single out a browser. */
export const HOLDOUT_BUCKETS = 10_000

/**
 * This browser's personalisation arm for a holdout share (`personalize.holdout`). The browser draws a bucket
 * once, with `crypto.getRandomValues`, and keeps it in the store's meta (IndexedDB once consent allows,
 * memory before), so it keeps its arm across visits, and a larger share later only moves treatment browsers
 * into the holdout. The draw is read and written under the meta lock, so the shop's tabs share one draw; a stored draw
 * IndexedDB fails to read is kept: the page draws for itself only and says so through `onPageDraw` (its decider then stores no segment or segment hint in that draw), so the browser's arm never changes for a failed read. `'none'` without a holdout. The share is checked by `createPersonalizer()`.
 *
 * @example
 * await resolveArm(0.1, store) // 'holdout' for about one browser in ten, the same on every visit
 */
export async function resolveArm(
  holdout: number | undefined,
  store: { getMeta(key: string): Promise<unknown>; setMeta(key: string, value: unknown): Promise<unknown> },
  onPageDraw?: () => void,
): Promise<PersonalizationArm> {
  if (!holdout) return 'none'
  // Under the meta lock: two tabs opening at once on a first visit would both draw, and sit in different arms.
  const draw = await withMetaLock(async () => {
    // A draw IndexedDB fails to read (reported by the store) is not drawn over: this page draws for itself only.
    let unread: boolean | undefined
    let stored = await store.getMeta(HOLDOUT_META_KEY).catch(() => (unread = true))
    if (unread || !Number.isInteger(stored) || (stored as number) < 0 || (stored as number) >= HOLDOUT_BUCKETS) {
      const word = new Uint32Array(1)
      // Rejection sampling: every bucket equally likely.
      do crypto.getRandomValues(word)
      while (word[0] >= 4294967296 - (4294967296 % HOLDOUT_BUCKETS))
      stored = word[0] % HOLDOUT_BUCKETS
      if (unread) onPageDraw?.()
      else await store.setMeta(HOLDOUT_META_KEY, stored).catch(() => undefined)
    }
    return stored as number
  })
  return draw < holdout * HOLDOUT_BUCKETS ? 'holdout' : 'treatment'
}
