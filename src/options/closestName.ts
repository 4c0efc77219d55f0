/**
 * The name in `names` closest to `name` (case ignored, at most 3 edits away), for "did you mean" hints.
 *
 * @example
 * closestName('consnet', ['consent', 'capture']) // 'consent'
 */
export function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 4
  const a = name.toLowerCase()
  for (const candidate of names) {
    const b = candidate.toLowerCase()
    // Levenshtein distance, one row at a time.
    let row = Array.from({ length: b.length + 1 }, (_, j) => j)
    for (let i = 1; i <= a.length; i++) {
      const next = [i]
      for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      row = next
    }
    if (row[b.length] < bestDistance) {
      bestDistance = row[b.length]
      best = candidate
    }
  }
  return best
}
