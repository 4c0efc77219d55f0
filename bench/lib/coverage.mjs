// Which functions of a script ran while a page loaded: CDP precise coverage with call counts. A function
// that ran was compiled (bytecode, scope info, feedback), so their number and size are the code part of
// the heap a script adds. Used by `npm run bench:peers -- --heap-only` and scripts/start-functions.mjs.

/** Starts precise coverage on `cdp` before the page's scripts run (call before navigating). */
export async function startCoverage(cdp) {
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false })
}

/**
 * The functions that ran (call count > 0) in the scripts whose URL matches `own`, each with its script URL,
 * source range and name; the script's top-level code is left out. With `all`, the functions that did not
 * run too (count 0).
 */
export async function takeCoverage(cdp, own, { all = false } = {}) {
  const { result } = await cdp.send('Profiler.takePreciseCoverage')
  await cdp.send('Profiler.stopPreciseCoverage')
  const functions = []
  for (const script of result) {
    if (!script.url || !own(script.url)) continue
    for (const fn of script.functions) {
      const [range] = fn.ranges
      if ((range.count === 0 && !all) || (fn.functionName === '' && range.startOffset === 0)) continue
      functions.push({ url: script.url, name: fn.functionName, start: range.startOffset, end: range.endOffset, count: range.count })
    }
  }
  return functions
}

/**
 * Sets `self` on each function: its own source bytes, its range less the functions nested directly in it (what
 * its bytecode grows with). Nested ranges are found among `functions` of the same script, so pass them all
 * (`takeCoverage(cdp, own, { all: true })`), not only those that ran. Returns `functions`.
 */
export function withOwnBytes(functions) {
  const sorted = [...functions].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0) || a.start - b.start || b.end - a.end)
  for (const fn of sorted) fn.self = fn.end - fn.start
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i - 1; j >= 0 && sorted[j].url === sorted[i].url; j--) {
      if (sorted[j].start <= sorted[i].start && sorted[j].end >= sorted[i].end) {
        sorted[j].self -= sorted[i].end - sorted[i].start
        break
      }
    }
  }
  return functions
}
