import { createHmac, randomBytes } from 'node:crypto'
import { utcDay } from '../lib/utcDay'

/** Options of `createReplayGuard`. */
export interface ReplayGuardOptions {
  /**
   * Most digests remembered per day; past it new bodies are accepted without being remembered (a flood cannot
   * exhaust memory, and the rate limit bounds what one client can replay).
   * @default 2000000
   */
  maxPerDay?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
}

/** Recognises the same body sent twice by the same client within a day or so, without identifying anyone. */
export interface ReplayGuard {
  /** Records `body` from `client`; false when it was already seen (a replay: answer 409). */
  admit(client: string, body: string): boolean
  /** Forgets an admitted body whose storage failed, so the client's retry is not taken for a replay. */
  forget(client: string, body: string): void
}

/**
 * Creates the replay guard. A body is remembered as an HMAC of (client address, body) under a random key that
 * exists only in this process's memory and is replaced every UTC day; yesterday's digests are kept beside
 * today's so a replay just after midnight is still caught. No identifier, address or digest is ever stored:
 * two shoppers who happen to send the same body from different addresses are both counted, and after two
 * days nothing links any digest to anything.
 *
 * @example
 * const replays = createReplayGuard()
 * if (!replays.admit(address, body)) return c.body(null, 409)
 */
export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const maxPerDay = options.maxPerDay ?? 2_000_000
  const now = options.now ?? Date.now
  let day = ''
  let key = randomBytes(32)
  let today = new Set<string>()
  let yesterday = new Set<string>()
  let previousKey = key

  const rotate = () => {
    const current = utcDay(now())
    if (current === day) return
    yesterday = day === '' ? new Set() : today
    previousKey = key
    key = randomBytes(32)
    today = new Set()
    day = current
  }
  const digest = (secret: Buffer, client: string, body: string) =>
    createHmac('sha256', secret).update(client).update('\0').update(body).digest('base64')

  return {
    admit(client, body) {
      rotate()
      const mine = digest(key, client, body)
      if (today.has(mine) || yesterday.has(digest(previousKey, client, body))) return false
      if (today.size < maxPerDay) today.add(mine)
      return true
    },
    forget(client, body) {
      rotate()
      today.delete(digest(key, client, body))
    },
  }
}
