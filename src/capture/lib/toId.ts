/** Ids may arrive as numbers (`item_id: 123`); Seglet keeps them as strings. Other values pass unchanged. */
export function toId(value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : value
}
