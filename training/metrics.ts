/** Binary-classification metrics computed without any library, so the numbers are easy to audit. */

/** ROC AUC by the rank-sum (Mann–Whitney) formula; ties count one half. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b])
  let pos = 0
  let rankSum = 0
  let i = 0
  while (i < n) {
    let j = i
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) if (labels[order[k]] === 1) { pos++; rankSum += rank }
    i = j + 1
  }
  const neg = n - pos
  if (pos === 0 || neg === 0) return NaN
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg)
}

/** Average precision (area under the precision–recall curve, step-wise, as scikit-learn computes it). */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a])
  let total = 0
  for (let i = 0; i < n; i++) total += labels[i] === 1 ? 1 : 0
  if (total === 0) return NaN
  let tp = 0
  let fp = 0
  let ap = 0
  let prevRecall = 0
  let i = 0
  while (i < n) {
    let j = i
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++
    for (let k = i; k <= j; k++) labels[order[k]] === 1 ? tp++ : fp++
    const recall = tp / total
    ap += (recall - prevRecall) * (tp / (tp + fp))
    prevRecall = recall
    i = j + 1
  }
  return ap
}

export interface Confusion { tp: number; fp: number; tn: number; fn: number }

/**
 * Counts at a pack's threshold, by the browser's rule (`intent >= intentThreshold`, intent below 1): a threshold
 * of 1 counts no row positive, also one whose float32 score is exactly 1.
 */
export function confusion(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 }
  for (let i = 0; i < scores.length; i++) {
    const p = threshold < 1 && scores[i] >= threshold
    if (labels[i] === 1) p ? c.tp++ : c.fn++
    else p ? c.fp++ : c.tn++
  }
  return c
}

export function accuracyOf(c: Confusion): number {
  return (c.tp + c.tn) / Math.max(1, c.tp + c.tn + c.fp + c.fn)
}

export function f1Of(c: Confusion): number {
  return c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn)
}

/** The threshold that maximises `objective` (candidates: every distinct score). */
export function bestThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  objective: (c: Confusion) => number,
): { threshold: number; value: number } {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a])
  let pos = 0
  for (let i = 0; i < n; i++) pos += labels[i] === 1 ? 1 : 0
  // Sweep from "predict nothing" downwards, one distinct score at a time.
  const c: Confusion = { tp: 0, fp: 0, tn: n - pos, fn: pos }
  let best = { threshold: Infinity, value: objective(c) }
  let i = 0
  while (i < n) {
    let j = i
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) { c.tp++; c.fn-- } else { c.fp++; c.tn-- }
    }
    const v = objective(c)
    if (v > best.value) best = { threshold: scores[order[i]], value: v }
    i = j + 1
  }
  return best
}

/** ROC curve points (false-positive rate, true-positive rate), thinned to at most `maxPoints`. */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): Array<[number, number]> {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a])
  let pos = 0
  for (let i = 0; i < n; i++) pos += labels[i] === 1 ? 1 : 0
  const neg = n - pos
  const points: Array<[number, number]> = [[0, 0]]
  let tp = 0
  let fp = 0
  for (let i = 0; i < n; i++) {
    labels[order[i]] === 1 ? tp++ : fp++
    if (i === n - 1 || scores[order[i + 1]] !== scores[order[i]]) points.push([fp / neg, tp / pos])
  }
  if (points.length <= maxPoints) return points
  const step = points.length / maxPoints
  const out: Array<[number, number]> = []
  for (let k = 0; k < maxPoints; k++) out.push(points[Math.floor(k * step)])
  out.push(points[points.length - 1])
  return out
}

/** Reliability diagram: mean predicted vs observed rate in `bins` equal-width probability bins. */
export function calibration(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): Array<{ predicted: number; observed: number; count: number }> {
  const sum = new Array(bins).fill(0)
  const hit = new Array(bins).fill(0)
  const count = new Array(bins).fill(0)
  for (let i = 0; i < scores.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(scores[i] * bins)))
    sum[b] += scores[i]
    hit[b] += labels[i]
    count[b]++
  }
  return count.map((c, b) => ({ predicted: c ? sum[b] / c : (b + 0.5) / bins, observed: c ? hit[b] / c : NaN, count: c }))
}

/** Brier score (mean squared error of probabilities). */
export function brier(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < scores.length; i++) s += (scores[i] - labels[i]) ** 2
  return s / scores.length
}
