import { OptionsError, type ValidationError } from '../errors/index'
import { readStats } from '../events/lib/readStats'
import type { SegletOptions } from '../core/createSeglet'

/**
 * What `createSeglet()` checks at start beyond each option on its own (the option table does that): a file's URL
 * without its integrity hash (`model.sessionPackUrl` without `model.sessionPackIntegrity`, the lifetime pack's,
 * `capture.pageStatsUrl`'s), and a `pageStats` table whose statistics are not page statistics. Each throws an
 * `OptionsError`, where the file's loader or the page view would only report it later, on a page then left
 * without its segment or its statistics. (The script tag's attributes are read without throwing: there, the
 * loader reports the missing hash.)
 *
 * @example
 * checkFileOptions({ model: { sessionPackUrl: '/seglet/pack.json' } })
 * // OptionsError: model.sessionPackUrl needs model.sessionPackIntegrity ("sha256-<base64>")
 */
export function checkFileOptions(options: Pick<SegletOptions, 'model' | 'capture'>): void {
  for (const file of ['model.sessionPack', 'model.lifetimePack', 'capture.pageStats']) {
    const [group, name] = file.split('.')
    const values = options[group as 'model'] as Record<string, unknown> | undefined
    if (values?.[name + 'Url'] !== undefined && !values[name + 'Integrity']) {
      throw new OptionsError(`${file}Url needs ${file}Integrity ("sha256-<base64>")`, file + 'Integrity')
    }
  }
  const table = options.capture?.pageStats
  if (!table || typeof table !== 'object') return
  for (const path of Object.keys(table)) {
    try {
      readStats(table, path, 'capture.pageStats.')
    } catch (error) {
      // A ValidationError (code `invalid_event`, its field without the path's first part): here the option is wrong.
      throw new OptionsError((error as Error).message, `capture.${(error as ValidationError).field}`)
    }
  }
}
