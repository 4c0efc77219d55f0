/**
 * Copies estimates into JSON: NaN and ±Infinity (an estimate that cannot be computed yet, a bound that is
 * unbounded) become null instead of silently turning into null or failing somewhere downstream.
 */
export function toJsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))
}
