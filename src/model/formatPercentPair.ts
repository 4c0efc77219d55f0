/**
 * Two probabilities as percents with the fewest decimals (none, one or two) that tell them apart: a change the
 * whole percents round away ("from 1% to 1%") is said with the digits that show it.
 *
 * @example
 * formatPercentPair(0.12, 0.31) // ['12%', '31%']
 * formatPercentPair(0.0075, 0.0061) // ['0.8%', '0.6%']
 */
export function formatPercentPair(a: number, b: number): [string, string] {
  let pair: [string, string] = ['', '']
  for (let digits = 0; digits <= 2; digits++) {
    pair = [`${(a * 100).toFixed(digits)}%`, `${(b * 100).toFixed(digits)}%`]
    if (pair[0] !== pair[1]) break
  }
  return pair
}
