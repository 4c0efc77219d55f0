import type { SegletOptions } from '../core/createSeglet'
import { OptionsError } from '../errors'
import type { SegletError } from '../errors'

/** What the script tag's `data-*` attributes say: the options plus whether to start at once. */
export interface ScriptConfig {
  options: SegletOptions
  autostart: boolean
}

const parseBoolean = (value: string, name: string, report: (e: SegletError) => void): boolean | undefined => {
  const v = value.trim().toLowerCase()
  if (v === '' || v === 'true' || v === '1' || v === 'yes') return true
  if (v === 'false' || v === '0' || v === 'no') return false
  report(new OptionsError(`data-${name} must be "true" or "false", got "${value.slice(0, 40)}"; using the default`, name))
  return undefined
}

const parseNumber = (value: string, name: string, min: number, max: number, report: (e: SegletError) => void): number | undefined => {
  const n = Number(value)
  if (value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max) return n
  report(new OptionsError(`data-${name} must be a number from ${min} to ${max}, got "${value.slice(0, 40)}"; using the default`, name))
  return undefined
}

/**
 * Reads Seglet's options from the script tag. A bad attribute is reported and ignored (the default is
 * used); it never throws, since there is no caller to catch it.
 *
 * Attributes: `data-consent` (granted | denied | pending), `data-respect-gpc`, `data-autocapture`,
 * `data-datalayer`, `data-anti-flicker`, `data-anti-flicker-timeout` (ms), `data-retention-days`,
 * `data-db-name`, `data-segment-without-consent`, `data-pack-url` + `data-pack-integrity`,
 * `data-lifetime-pack-url` + `data-lifetime-pack-integrity`, `data-autostart`.
 */
export function readScriptOptions(script: Element | null, report: (e: SegletError) => void): ScriptConfig {
  const options: SegletOptions = {}
  let autostart = true
  if (!script) return { options, autostart }
  const attr = (name: string): string | undefined => {
    const value = script.getAttribute('data-' + name)
    return value === null ? undefined : value
  }
  const bool = (name: string) => {
    const value = attr(name)
    return value === undefined ? undefined : parseBoolean(value, name, report)
  }

  const consent = attr('consent')
  if (consent !== undefined) {
    if (consent === 'granted' || consent === 'denied' || consent === 'pending') options.consent = consent
    else report(new OptionsError(`data-consent must be granted, denied or pending, got "${consent.slice(0, 40)}"; using pending`, 'consent'))
  }
  const gpc = bool('respect-gpc')
  if (gpc !== undefined) options.respectGlobalPrivacyControl = gpc
  const memory = bool('segment-without-consent')
  if (memory !== undefined) options.segmentWithoutConsent = memory

  const autocapture = bool('autocapture')
  const dataLayer = bool('datalayer')
  if (autocapture !== undefined || dataLayer !== undefined) {
    options.capture = {}
    if (autocapture !== undefined) options.capture.autocapture = autocapture
    if (dataLayer !== undefined) options.capture.dataLayer = dataLayer
  }

  const antiFlicker = bool('anti-flicker')
  const timeoutAttr = attr('anti-flicker-timeout')
  const timeout = timeoutAttr === undefined ? undefined : parseNumber(timeoutAttr, 'anti-flicker-timeout', 0, 10_000, report)
  if (antiFlicker !== undefined || timeout !== undefined) {
    options.personalize = {}
    if (antiFlicker !== undefined) options.personalize.antiFlicker = antiFlicker
    if (timeout !== undefined) options.personalize.antiFlickerTimeoutMs = timeout
  }

  const retentionAttr = attr('retention-days')
  const retention = retentionAttr === undefined ? undefined : parseNumber(retentionAttr, 'retention-days', 1, 3650, report)
  const dbName = attr('db-name')
  if (retention !== undefined || dbName !== undefined) {
    options.storage = {}
    if (retention !== undefined) options.storage.retentionDays = retention
    if (dbName !== undefined) {
      if (/^[\w.-]{1,64}$/.test(dbName)) options.storage.dbName = dbName
      else report(new OptionsError('data-db-name must be 1–64 letters, digits, "_", "-" or "."; using the default', 'db-name'))
    }
  }

  const packUrl = attr('pack-url')
  const lifetimePackUrl = attr('lifetime-pack-url')
  if (packUrl !== undefined || lifetimePackUrl !== undefined) {
    options.model = {
      sessionPackUrl: packUrl,
      sessionPackIntegrity: attr('pack-integrity'),
      lifetimePackUrl,
      lifetimePackIntegrity: attr('lifetime-pack-integrity'),
    }
  }

  const start = bool('autostart')
  if (start === false) autostart = false
  return { options, autostart }
}
