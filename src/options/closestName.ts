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
    // Levenshtein distance, one row at a time: row[j] is the distance from a[0, i) to b[0, j).
    const row = Array.from({ length: b.length + 1 }, (_, j) => j)
    for (let i = 0; i < a.length; i++) {
      let diagonal = row[0]++
      for (let j = 0; j < b.length; j++) {
        const above = row[j + 1]
        row[j + 1] = Math.min(above + 1, row[j] + 1, diagonal + (a[i] === b[j] ? 0 : 1))
        diagonal = above
      }
    }
    if (row[b.length] < bestDistance) {
      bestDistance = row[b.length]
      best = candidate
    }
  }
  return best
}
