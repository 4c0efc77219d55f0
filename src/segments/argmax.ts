/** Index of the largest value (the first one on ties), or -1 for an empty array. */
export function argmax(values: ArrayLike<number>): number {
  let best = -1
  for (let i = 0; i < values.length; i++) {
    if (best === -1 || values[i] > values[best]) best = i
  }
  return best
}
