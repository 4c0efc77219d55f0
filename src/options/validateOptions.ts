import { OptionsError } from '../errors/index'
import { closestName } from './closestName'
import type { OptionGroup } from './optionTable'
import { OPTION_TABLE } from './optionTable'

/**
 * Checks options against the option table, groups included: throws an `OptionsError` that names the first
 * unknown key (with the closest known one: "unknown option 'consnet' — did you mean 'consent'?") or bad
 * value (`storage.retentionDays must be a number from 1 to 3650; got Infinity`). `undefined` values are
 * left out, as if absent.
 *
 * @example
 * validateOptions({ consent: 'granted', storage: { retentionDays: 14 } })
 */
export function validateOptions(options: unknown, table: OptionGroup = OPTION_TABLE, prefix = ''): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const name = prefix.slice(0, -1) || 'options'
    throw new OptionsError(`${name} must be an object`, name)
  }
  const names = Object.keys(table)
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key]
    const path = prefix + key
    if (!names.includes(key)) {
      const hint = closestName(key, names)
      throw new OptionsError(`unknown option '${path}'${hint ? ` — did you mean '${prefix + hint}'?` : ''}`, path)
    }
    const entry = table[key]
    if (value === undefined) continue
    if (typeof entry === 'function') entry(value, path)
    else validateOptions(value, entry, path + '.')
  }
}
