import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { DEFAULT_DATA_DIR, SHOPPERS_FILE } from '../training/data'

/**
 * The UCI Online Shoppers file a scenario reads (`--data DIR`, or ../shared/data), or `undefined` after
 * saying on stderr that it is missing.
 *
 * @example
 * const file = shoppersFile(opts); if (!file) return 2
 */
export function shoppersFile(opts: Record<string, string | true>): string | undefined {
  const file = join(typeof opts.data === 'string' ? opts.data : DEFAULT_DATA_DIR, SHOPPERS_FILE)
  if (existsSync(file)) return file
  console.error(`missing ${file} (UCI Online Shoppers; see ../shared/data/README.md)`)
  return undefined
}

/**
 * The start of a scenario that reads the shoppers file, once its options are read: `valid` false prints `usage` on
 * stderr; a missing file is said there too. Then the file, whether the scenario prints JSON, and its line printer;
 * `undefined` after saying why it cannot start.
 *
 * @example
 * const start = startScenario(opts, USAGE, runs >= 1); if (!start) return 2
 */
export function startScenario(opts: Record<string, string | true>, usage: string, valid: boolean): { file: string; json: boolean; log: (line: string) => void } | undefined {
  if (!valid) {
    console.error(usage)
    return undefined
  }
  const file = shoppersFile(opts)
  if (!file) return undefined
  const json = opts.json === true
  return { file, json, log: createLog(json) }
}

/** A line printer: to standard output, or to standard error when the scenario prints JSON (stdout stays one JSON object). */
export function createLog(json: boolean): (line: string) => void {
  return (line) => {
    ;(json ? process.stderr : process.stdout).write(line + '\n')
  }
}

/**
 * A scenario's options, read strictly: an option without its value, an unknown option or a stray argument prints
 * one line saying so and the scenario's usage on stderr, and gives `undefined`.
 *
 * @example
 * const opts = scenarioArgs(argv, { devices: { type: 'string' } }, USAGE); if (!opts) return 2
 */
export function scenarioArgs(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>, usage: string): Record<string, string | true> | undefined {
  try {
    const { values } = parseArgs({ args: [...args], strict: true, allowPositionals: false, options: { scenario: { type: 'string' }, ...options } })
    return values as Record<string, string | true>
  } catch (error) {
    console.error(`simulate: ${(error as Error).message.split('\n')[0]}`)
    console.error(usage)
    return undefined
  }
}
