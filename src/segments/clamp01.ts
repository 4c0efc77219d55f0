/** Clamp a probability into [0, 1]; float32 softmax outputs can overshoot by an ulp. */
export function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value
}
