import { parseArgs, type ParseArgsConfig } from 'node:util'
import { DataError } from './dataError'

/** The options of one command, as `node:util` `parseArgs` reads them. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>

/**
 * Reads and checks a training command's options before any data is read: `read` parses `argv` with
 * {@link readOptions} and checks each value (throwing a `DataError` naming the option). `--help` (or `-h`) anywhere
 * prints the usage on stdout and gives 0; a bad option prints `seglet <command>: <what is wrong>` and the usage on
 * stderr and gives 2: a number is the command's exit code, before it reads anything.
 *
 * @example
 * const opts = checkOptions('evaluate', USAGE, argv, () => readOptions(argv, { pack: { type: 'string' } })); if (typeof opts === 'number') return opts
 */
export function checkOptions<T extends object>(command: string, usage: string, argv: readonly string[], read: () => T): T | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage + '\n')
    return 0
  }
  try {
    return read()
  } catch (error) {
    if (!(error instanceof DataError)) throw error
    console.error(`seglet ${command}: ${error.message}`)
    console.error(usage)
    return 2
  }
}

/**
 * `argv` read strictly: an unknown option (a typo), an option without its value, a value given to a flag, a
 * stray argument or an option of one value given twice (all but the last would be dropped) throws a one-line
 * `DataError` naming it.
 */
export function readOptions(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): OptionValues {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options, tokens: true })
  } catch (error) {
    throw new DataError((error as Error).message.split('\n')[0])
  }
  const given = new Map<string, string[]>()
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || options[token.name]?.type !== 'string' || options[token.name]?.multiple) continue
    const values = [...(given.get(token.name) ?? []), String(token.value)]
    given.set(token.name, values)
    if (values.length > 1) throw new DataError(`--${token.name} given twice (${values.join(', ')}): give it once`)
  }
  return parsed.values as OptionValues
}

/**
 * The whole number given as `--name`, or `undefined` when it is absent. Anything but digits making a number
 * from `min` to `max` throws a one-line `DataError` naming the option.
 */
export function wholeNumberOption(values: OptionValues, name: string, min: number, max: number): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !(Number(raw) >= min && Number(raw) <= max)) {
    throw new DataError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`)
  }
  return Number(raw)
}

/** The value of `--name` when it is one of `allowed`, `undefined` when absent; anything else throws a one-line `DataError`. */
export function oneOfOption<T extends string>(values: OptionValues, name: string, allowed: readonly T[]): T | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  if (!(allowed as readonly unknown[]).includes(raw)) throw new DataError(`--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(raw)}`)
  return raw as T
}

/**
 * The time of the date given as `--name` (`YYYY-MM-DD`, a day its month has), `undefined` when absent; anything
 * else throws a one-line `DataError`. It is midnight UTC; `dayStart` gives it in the shop's time zone once that is
 * in use.
 */
export function dateOption(values: OptionValues, name: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  // Only YYYY-MM-DD of a day the month has: Date would read 01/06/2024 as January 6 and 2024-02-30 as March 1.
  const time = /^\d{4}-\d{2}-\d{2}$/.test(String(raw)) ? new Date(String(raw)).getTime() : NaN
  if (!Number.isFinite(time) || new Date(time).toISOString().slice(0, 10) !== raw) throw new DataError(`--${name} ${JSON.stringify(raw)} is not a date (use YYYY-MM-DD)`)
  return time
}

/**
 * The start of the day `raw` (`YYYY-MM-DD`, as `--cutoff` takes it) in the time zone in use (`--time-zone` or
 * `TZ`, set by `useTimeZone`): a shop counts its days from its own midnight, as its shoppers' browsers date
 * their orders. Without a time zone it is midnight UTC.
 *
 * @example
 * dayStart('2024-06-01', 'Europe/Berlin') // Date.UTC(2024, 4, 31, 22)
 */
export function dayStart(raw: string, timeZone: string | undefined): number {
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw)
  if (!plain || timeZone === undefined) return new Date(raw).getTime()
  const date = new Date(0)
  date.setFullYear(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3]))
  date.setHours(0, 0, 0, 0)
  return date.getTime()
}

/** `time` as a date (`YYYY-MM-DD`) in the time zone in use (`--time-zone` or `TZ`), else in UTC. */
export function localDate(time: number, timeZone: string | undefined): string {
  if (timeZone === undefined) return new Date(time).toISOString().slice(0, 10)
  const date = new Date(time)
  return `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
}
