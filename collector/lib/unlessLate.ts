/**
 * `work`'s result, or `'late'` once `ms` have passed without it (its timer cleared either way). What is late goes on:
 * a database's answer cannot be taken back, only no longer waited for.
 *
 * @example
 * if ((await unlessLate(db.query(SQL.ping), 2_000)) === 'late') return c.json({ error: 'storage_timeout' }, 503)
 */
export async function unlessLate<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, ms, 'late')))
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
