/**
 * The name in `names` closest to `name`, for "did you mean" hints: the one with the fewest letters to add or
 * remove (case ignored, order ignored, so a swap costs nothing and a wrong letter two), at most 3.
 *
 * @example
 * closestName('consnet', ['consent', 'capture']) // 'consent'
 */
export function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 4
  for (const candidate of names) {
    // The letters of `candidate` left after crossing out each letter of `name`, plus those of `name` not found.
    const left = [...candidate.toLowerCase()]
    let distance = 0
    for (const letter of name.toLowerCase()) {
      const at = left.indexOf(letter)
      if (at < 0) distance++
      else left.splice(at, 1)
    }
    distance += left.length
    if (distance < bestDistance) {
      bestDistance = distance
      best = candidate
    }
  }
  return best
}
