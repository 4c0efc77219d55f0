/** 0.724 → "72%". */
export function formatPercent(value: number): string {
  return `${Math.round(value * 100)}%`
}
