/**
 * Web Locks for unit tests (jsdom has none): one page's `navigator.locks`, exclusive locks by name, with
 * `ifAvailable`. Install it with {@link installFakeLocks}; the reporter sends nothing without Web Locks.
 */
export function createFakeLocks(): LockManager {
  const held = new Set<string>()
  const waiting = new Map<string, (() => void)[]>()
  const release = (name: string) => {
    const next = waiting.get(name)?.shift()
    if (next) next()
    else held.delete(name)
  }
  const request = async (name: string, ...args: unknown[]): Promise<unknown> => {
    const callback = args[args.length - 1] as (lock: Lock | null) => unknown
    const options = (args.length > 1 ? args[0] : {}) as LockOptions
    if (held.has(name)) {
      if (options.ifAvailable) return callback(null)
      await new Promise<void>((granted) => waiting.set(name, [...(waiting.get(name) ?? []), granted]))
    }
    held.add(name)
    try {
      return await callback({ name, mode: options.mode ?? 'exclusive' })
    } finally {
      release(name)
    }
  }
  return { request, query: async () => ({ held: [...held].map((name) => ({ name, mode: 'exclusive' as const })), pending: [] }) } as LockManager
}

/** Gives jsdom's `navigator` the fake Web Locks until the returned function removes them. */
export function installFakeLocks(locks: LockManager = createFakeLocks()): () => void {
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true })
  return () => {
    delete (navigator as { locks?: LockManager }).locks
  }
}
