import type { ParseArgsConfig } from 'node:util'

/**
 * `--port -1` as `--port=-1`, for an option of `options` that takes a value: `parseArgs()` takes a value starting
 * with a dash for a forgotten one ("argument is ambiguous"), where a negative number is a value out of range, to be
 * said as that option's range. Anything else is left as it is.
 *
 * @example
 * withNegativeValues(['--port', '-1', '--trust-proxy'], { port: { type: 'string' }, 'trust-proxy': { type: 'boolean' } })
 * // ['--port=-1', '--trust-proxy']
 */
export function withNegativeValues(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const args: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([^=]+)$/.exec(argv[i]!)?.[1]
    const next = argv[i + 1]
    const takesValue = name !== undefined && Object.hasOwn(options, name) && options[name]!.type === 'string'
    if (takesValue && next !== undefined && /^-\d/.test(next)) {
      args.push(`--${name}=${next}`)
      i++
    } else args.push(argv[i]!)
  }
  return args
}
