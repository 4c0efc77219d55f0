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
  const meant = unknown === undefined ? undefined : closestName(unknown, options)
  // closestName() ignores the letters' order, so a short word can sit inside a long name ('nope' in 'epsilon'): a
  // misspelling is about as long as the name meant, and anything else gets no guess rather than a wrong one.
  return meant === undefined || Math.abs(meant.length - unknown!.length) > 2 ? line : `${line} — did you mean '--${meant}'?`
}
