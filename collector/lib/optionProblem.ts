import { closestName } from '../../src/options/closestName'

/**
 * The first line of what `node:util`'s `parseArgs()` threw, with the option meant when an unknown one is a
 * misspelling of one of `options` (the names `parseArgs()` was given), as the SDK's options say it.
 *
 * @example
 * optionProblem(new Error("Unknown option '--databse'"), ['database', 'port']) // "Unknown option '--databse' — did you mean '--database'?"
 */
export function optionProblem(error: unknown, options: readonly string[]): string {
  const line = (error as Error).message.split('\n')[0]!
  const unknown = /^Unknown option '--([^'=]+)'/.exec(line)?.[1]
  if (unknown === undefined) return line
  // A word of a real option written in the plural or the singular ('--trust-proxies', '--currencies') is that option,
  // however many letters apart: 'ies' for 'y' is four, past what closestName() takes for a misspelling.
  const meant = options.find((option) => sameButNumber(unknown, option)) ?? closestName(unknown, options)
  // closestName() ignores the letters' order, so a short word can sit inside a long name ('nope' in 'epsilon'): a
  // misspelling is about as long as the name meant, and anything else gets no guess rather than a wrong one.
  return meant === undefined || (!sameButNumber(unknown, meant) && Math.abs(meant.length - unknown.length) > 2) ? line : `${line} — did you mean '--${meant}'?`
}

/** Whether two option names have the same words, but for some in the plural in one and the singular in the other. */
function sameButNumber(a: string, b: string): boolean {
  const as = a.toLowerCase().split('-')
  const bs = b.toLowerCase().split('-')
  return as.length === bs.length && as.every((word, i) => word === bs[i] || singular(word) === singular(bs[i]!))
}

/** An English word's singular, as option names use them: proxies → proxy, boxes → box, days → day, keys → key. */
function singular(word: string): string {
  if (word.length > 3 && word.endsWith('ies')) return `${word.slice(0, -3)}y`
  if (/(?:s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2)
  if (word.length > 1 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}
