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
