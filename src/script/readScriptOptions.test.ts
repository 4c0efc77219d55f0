// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import { describeValue } from '../events/lib/describeValue'
import { readScriptOptions } from './readScriptOptions'

// Every option error's message describes the value: counts the errors the parsers make.
vi.mock('../events/lib/describeValue', async (original) => {
  const actual = await original<typeof import('../events/lib/describeValue')>()
  return { describeValue: vi.fn(actual.describeValue) }
})

function read(attributes: Record<string, string>) {
  const script = document.createElement('script')
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(`data-${name}`, value)
  const errors: SegletError[] = []
  const { options } = readScriptOptions(script, (e) => errors.push(e))
  return { reports: options.reports, errors }
}

describe('data-learn-share', () => {
  it.each([
    ['0.25', 0.25],
    ['1', 1],
    ['0', 0],
    [' 0.5 ', 0.5],
  ])('"%s" sets reports.learnShare to %s, next to data-reports', (text, share) => {
    const { reports, errors } = read({ reports: '/seglet/reports', 'learn-share': text })
    expect(errors).toEqual([])
    expect(reports).toEqual({ endpoint: '/seglet/reports', learnShare: share })
  })

  it.each(['1.5', '-0.1', 'half', '', 'NaN', 'Infinity'])('"%s" is reported as data-learn-share and the default is kept', (text) => {
    const { reports, errors } = read({ reports: '/seglet/reports', 'learn-share': text })
    expect(reports).toEqual({ endpoint: '/seglet/reports' })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'invalid_option', field: 'data-learn-share' })
    expect(errors[0].message).toContain('using the default')
  })

  it('without the attribute, reports are as data-reports says', () => {
    expect(read({ reports: '/seglet/reports' })).toEqual({ reports: { endpoint: '/seglet/reports' }, errors: [] })
  })
})

describe('the data-* attributes', () => {
  const KEY = 'ed25519-' + 'A'.repeat(43) + '='
  it.each([
    ['consent', 'granted', { consent: 'granted' }],
    ['respect-gpc', 'false', { respectGlobalPrivacyControl: false }],
    ['segment-without-consent', '', { segmentWithoutConsent: true }],
    ['autocapture', 'no', { capture: { autocapture: false } }],
    ['datalayer', '0', { capture: { dataLayer: false } }],
    ['anti-flicker', 'true', { personalize: { antiFlicker: true } }],
    ['anti-flicker-timeout', '500', { personalize: { antiFlickerTimeoutMs: 500 } }],
    ['segment-hint', 'yes', { personalize: { segmentHint: true } }],
    ['retention-days', '14', { storage: { retentionDays: 14 } }],
    ['db-name', 'shop-db', { storage: { dbName: 'shop-db' } }],
    ['pack-url', '/packs/session.json', { model: { sessionPackUrl: '/packs/session.json' } }],
    ['pack-integrity', 'sha256-abc', { model: { sessionPackIntegrity: 'sha256-abc' } }],
    ['lifetime-pack-url', '/packs/lifetime.json', { model: { lifetimePackUrl: '/packs/lifetime.json' } }],
    ['lifetime-pack-integrity', 'sha256-def', { model: { lifetimePackIntegrity: 'sha256-def' } }],
    ['pack-key', KEY, { model: { packKey: KEY } }],
    // Two keys while the key is rotated, one per line as an operator writes them.
    ['pack-key', `\n      ${KEY}\n      ${KEY.replace('A=', 'B=')}\n    `, { model: { packKey: `\n      ${KEY}\n      ${KEY.replace('A=', 'B=')}\n    ` } }],
    ['pack-manifest', '/seglet/packs.manifest', { model: { packManifestUrl: '/seglet/packs.manifest' } }],
    ['model-loading', 'eager', { model: { loading: 'eager' } }],
    ['reports', '/seglet/reports', { reports: { endpoint: '/seglet/reports' } }],
    ['learn-share', '0.5', { reports: { learnShare: 0.5 } }],
  ])('data-%s="%s" sets %j', (attribute, value, expected) => {
    const script = document.createElement('script')
    script.setAttribute(`data-${attribute}`, value)
    const errors: SegletError[] = []
    expect(readScriptOptions(script, (e) => errors.push(e))).toEqual({ options: expected, autostart: true })
    expect(errors).toEqual([])
  })

  it('reads data-autostart and ignores attributes it does not know (the option names themselves included)', () => {
    const script = document.createElement('script')
    for (const [name, value] of [['autostart', 'false'], ['retentiondays', '3'], ['respect-global-privacy-control', 'false'], ['session-pack-url', '/x.json']]) {
      script.setAttribute(`data-${name}`, value)
    }
    expect(readScriptOptions(script, () => {})).toEqual({ options: {}, autostart: false })
  })
})

describe('reading a tag', () => {
  it('makes no error for attributes read as booleans or numbers: the parser is asked before it throws', () => {
    vi.mocked(describeValue).mockClear()
    const script = document.createElement('script')
    for (const [name, value] of [['consent', 'granted'], ['anti-flicker', 'true'], ['autocapture', 'no'], ['retention-days', '14'], ['learn-share', '0.5']]) {
      script.setAttribute(`data-${name}`, value)
    }
    const errors: SegletError[] = []
    expect(readScriptOptions(script, (e) => errors.push(e)).options).toEqual({
      consent: 'granted',
      personalize: { antiFlicker: true },
      capture: { autocapture: false },
      storage: { retentionDays: 14 },
      reports: { learnShare: 0.5 },
    })
    expect(errors).toEqual([])
    expect(describeValue).not.toHaveBeenCalled()
    // A bad attribute still gets the parser's own error, about the text as written.
    script.setAttribute('data-retention-days', 'soon')
    readScriptOptions(script, (e) => errors.push(e))
    expect(errors).toHaveLength(1)
    expect(errors[0].message).toContain('"soon"')
  })
})
