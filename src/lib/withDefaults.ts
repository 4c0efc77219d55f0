/**
 * `options` with each of `defaults` filled in where `options` leaves it `undefined` (or `null`), as
 * `options.key ?? default` key by key would; other keys of `options` are kept.
 *
 * @example
 * withDefaults({ retentionDays: 7 }, { retentionDays: 30, maxEvents: 5000 }) // { retentionDays: 7, maxEvents: 5000 }
 */
export function withDefaults<O extends object, D extends object>(options: O, defaults: D): O & { [K in keyof D]-?: Exclude<K extends keyof O ? O[K] : never, undefined> | D[K] } {
  const result = { ...options } as Record<string, unknown>
  for (const key in defaults) result[key] ??= defaults[key]
  return result as never
}
