/**
 * Orders two ids the way their versions read: runs of digits compare as numbers (`1.0.10` after `1.0.9`), everything
 * else as text, so a retrain's `+r<day>` still sorts after the pack it retrains. A pre-release (`1.0.0-acme.3`, the
 * `-` right after a number) sorts before its release and before that release's retrains, as semver orders them.
 * Two ids that differ only in leading zeros compare as text, so the order is total and the same at every call.
 *
 * @example
 * compareIds('session@1.0.10+lifetime@1.0.0', 'session@1.0.9+lifetime@1.0.0') // > 0
 * compareIds('session@1.0.0-acme.3+lifetime@1.0.0', 'session@1.0.0+lifetime@1.0.0') // < 0
 */
export function compareIds(a: string, b: string): number {
  const left = a.match(RUNS) ?? []
  const right = b.match(RUNS) ?? []
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    // An id that ends here is a missing run: after a pre-release's `-…`, before anything else.
    const order = compareRuns(left[i] ?? '', right[i] ?? '')
    if (order !== 0) return order
  }
  return compareText(a, b)
}

const RUNS = /\d+|\D+/g
const DIGITS = /^\d/

function compareRuns(a: string, b: string): number {
  if (!DIGITS.test(a) || !DIGITS.test(b)) return textRank(a) - textRank(b) || compareText(a, b)
  // As numbers without a size limit: the shorter run without leading zeros is the smaller number.
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  return x.length - y.length || compareText(x, y)
}

/** A pre-release's `-…` first, then the end of an id, then any other run. */
function textRank(run: string): number {
  return run.startsWith('-') ? 0 : run === '' ? 1 : 2
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
