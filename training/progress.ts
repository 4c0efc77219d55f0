import { shortenPaths } from './userPath'

/**
 * Prints progress lines of a training command (`npm run train`, `evaluate`, `segment-ids`), each path in them named
 * as typed, relative to the folder the command was typed in, as its refusals name them (see `shortenPaths`).
 *
 * @example
 * log(`wrote ${join(outDir, 'session.json')}`) // 'wrote models/session.json', typed in the folder holding models/
 */
export function log(...lines: string[]): void {
  process.stdout.write(lines.map((line) => shortenPaths(line)).join('\n') + '\n')
}
