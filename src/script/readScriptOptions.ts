import type { SegletOptions } from '../core/createSeglet'
import { OptionsError } from '../errors'
import type { SegletError } from '../errors'

/** What the script tag's `data-*` attributes say: the options plus whether to start at once. */
export interface ScriptConfig {
  options: SegletOptions
  autostart: boolean
}

type Kind = 'bool' | 'consent' | 'ms' | 'days' | 'name' | 'text'

/** Attribute → [option group ('' = top level), option name, kind]. */
const ATTRIBUTES: Record<string, [string, string, Kind]> = {
  consent: ['', 'consent', 'consent'],
  'respect-gpc': ['', 'respectGlobalPrivacyControl', 'bool'],
  'segment-without-consent': ['', 'segmentWithoutConsent', 'bool'],
  autocapture: ['capture', 'autocapture', 'bool'],
  datalayer: ['capture', 'dataLayer', 'bool'],
  'anti-flicker': ['personalize', 'antiFlicker', 'bool'],
  'anti-flicker-timeout': ['personalize', 'antiFlickerTimeoutMs', 'ms'],
  'segment-hint': ['personalize', 'segmentHint', 'bool'],
  'retention-days': ['storage', 'retentionDays', 'days'],
  'db-name': ['storage', 'dbName', 'name'],
  'pack-url': ['model', 'sessionPackUrl', 'text'],
  'pack-integrity': ['model', 'sessionPackIntegrity', 'text'],
  'lifetime-pack-url': ['model', 'lifetimePackUrl', 'text'],
  'lifetime-pack-integrity': ['model', 'lifetimePackIntegrity', 'text'],
}

const EXPECTED: Record<Kind, string> = {
  bool: '"true" or "false"',
  consent: 'granted, denied or pending',
  ms: 'a number of milliseconds from 0 to 10000',
  days: 'a number of days from 1 to 3650',
  name: '1–64 letters, digits, "_", "-" or "."',
  text: 'text',
}

/** The attribute's value as the option wants it, or `undefined` when it is malformed. */
function parse(value: string, kind: Kind): unknown {
  const v = value.trim()
  const n = Number(v)
  switch (kind) {
    case 'bool':
      return /^(|true|1|yes)$/i.test(v) ? true : /^(false|0|no)$/i.test(v) ? false : undefined
    case 'consent':
      return v === 'granted' || v === 'denied' || v === 'pending' ? v : undefined
    case 'ms':
      return v !== '' && n >= 0 && n <= 10_000 ? n : undefined
    case 'days':
      return v !== '' && n >= 1 && n <= 3650 ? n : undefined
    case 'name':
      return /^[\w.-]{1,64}$/.test(v) ? v : undefined
    default:
      return value
  }
}

/**
 * Reads Seglet's options from the script tag. A bad attribute is reported and ignored (the default is
 * used); it never throws, since there is no caller to catch it.
 *
 * Attributes: `data-consent` (granted | denied | pending), `data-respect-gpc`, `data-segment-without-consent`,
 * `data-autocapture`, `data-datalayer`, `data-anti-flicker`, `data-anti-flicker-timeout` (ms),
 * `data-retention-days`, `data-db-name`, `data-pack-url` + `data-pack-integrity`,
 * `data-lifetime-pack-url` + `data-lifetime-pack-integrity`, `data-autostart`.
 */
export function readScriptOptions(script: Element | null, report: (e: SegletError) => void): ScriptConfig {
  const options: Record<string, unknown> = {}
  let autostart = true
  if (!script) return { options, autostart }
  for (const [attribute, [group, name, kind]] of Object.entries(ATTRIBUTES)) {
    const raw = script.getAttribute('data-' + attribute)
    if (raw === null) continue
    const value = parse(raw, kind)
    if (value === undefined) {
      report(new OptionsError(`data-${attribute} must be ${EXPECTED[kind]}, got "${raw.slice(0, 40)}"; using the default`, attribute))
      continue
    }
    const target = group ? ((options[group] as Record<string, unknown>) ??= {}) : options
    target[name] = value
  }
  const start = script.getAttribute('data-autostart')
  if (start !== null && parse(start, 'bool') === false) autostart = false
  return { options: options as SegletOptions, autostart }
}
