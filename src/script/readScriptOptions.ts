import type { SegletOptions } from '../core/createSeglet'
import type { SegletError } from '../errors'
import { OptionsError } from '../errors'
import type { OptionGroup } from '../options/optionTable'
import type { OptionParser } from '../options/parsers'
import { OPTION_TABLE } from '../options/optionTable'
import { bool } from '../options/parsers'

/** What the script tag's `data-*` attributes say: the options plus whether to start at once. */
export interface ScriptConfig {
  options: SegletOptions
  autostart: boolean
}

/**
 * The options a `data-*` attribute can set, as `group.name` in the option table, separated by spaces. The
 * attribute is the option's name in kebab case (`storage.retentionDays` → `data-retention-days`), or the one
 * written after `=` (one string gzips smaller than an object literal).
 */
const ATTRIBUTES =
  'consent respectGlobalPrivacyControl=respect-gpc segmentWithoutConsent capture.autocapture capture.dataLayer=datalayer ' +
  'personalize.antiFlicker personalize.antiFlickerTimeoutMs=anti-flicker-timeout personalize.segmentHint storage.retentionDays ' +
  'storage.dbName model.sessionPackUrl=pack-url model.sessionPackIntegrity=pack-integrity model.lifetimePackUrl ' +
  'model.lifetimePackIntegrity model.packKey model.packManifestUrl=pack-manifest model.loading=model-loading ' +
  'reports.endpoint=reports reports.learnShare'

/**
 * An attribute's text as the option's own parser accepts it: as written, or read as a boolean (`""`,
 * `true`/`1`/`yes`, `false`/`0`/`no`) or a number. Throws the parser's `OptionsError` for the text as written.
 */
function parseText(raw: string, parse: OptionParser, key: string): unknown {
  const v = raw.trim()
  const candidates = [raw, /^(|true|1|yes)$/i.test(v) || (/^(false|0|no)$/i.test(v) ? false : raw), v ? Number(v) : raw]
  for (const candidate of candidates) {
    // A parser that can tell is asked first: an attribute read as a boolean or a number then makes no error.
    if (parse.test?.(candidate) === false) continue
    try {
      return parse(candidate, key)
    } catch {
      // Tried in turn; the error below is about the text as written.
    }
  }
  return parse(raw, key)
}

/**
 * Reads Seglet's options from the script tag, each parsed by the same parser as the API option it sets
 * (the option table). A bad attribute is reported and ignored (the default is used); it never throws,
 * since there is no caller to catch it.
 *
 * Attributes: `data-consent` (granted | denied | pending), `data-respect-gpc`, `data-segment-without-consent`,
 * `data-autocapture`, `data-datalayer`, `data-anti-flicker`, `data-anti-flicker-timeout` (ms), `data-segment-hint`,
 * `data-retention-days`, `data-db-name`, `data-pack-url` + `data-pack-integrity`,
 * `data-lifetime-pack-url` + `data-lifetime-pack-integrity`, `data-pack-key` + `data-pack-manifest` (signed packs),
 * `data-model-loading` (auto | eager), `data-reports` (the report endpoint), `data-learn-share` (0–1),
 * `data-autostart`.
 */
export function readScriptOptions(script: Element | undefined, report: (e: SegletError) => void): ScriptConfig {
  const options: Record<string, Record<string, unknown>> = {}
  let autostart = true
  if (!script) return { options, autostart }
  // The option table's group is read only for an attribute the tag has: its parsers are made on first read.
  const read = (attribute: string, parser: () => OptionParser, set: (value: unknown) => void) => {
    const raw = script.getAttribute('data-' + attribute)
    if (raw === null) return
    try {
      set(parseText(raw, parser(), 'data-' + attribute))
    } catch (error) {
      report(new OptionsError(`${(error as Error).message}; using the default`, 'data-' + attribute))
    }
  }
  for (const entry of ATTRIBUTES.split(' ')) {
    const [path, attribute] = entry.split('=')
    const [name, group] = path.split('.').reverse()
    read(
      attribute ?? name.replace(/[A-Z]/g, (letter) => '-' + letter.toLowerCase()),
      () => (group ? (OPTION_TABLE[group] as OptionGroup) : OPTION_TABLE)[name] as OptionParser,
      (value) => ((group ? (options[group] ??= {}) : options)[name] = value),
    )
  }
  read('autostart', () => bool, (value) => (autostart = value as boolean))
  return { options: options as SegletOptions, autostart }
}
