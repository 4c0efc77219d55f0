/** Σ price × quantity of mapped line items, or `undefined` when any of them is not a clean number. */
export function sumItems(items: unknown): number | undefined {
  if (!Array.isArray(items) || items.length === 0) return undefined
  let total = 0
  for (const item of items) {
    const price = (item as { price?: unknown })?.price
    const quantity = (item as { quantity?: unknown })?.quantity ?? 1
    if (typeof price !== 'number' || typeof quantity !== 'number') return undefined
    total += price * quantity
  }
  return Math.round(total * 100) / 100
}
