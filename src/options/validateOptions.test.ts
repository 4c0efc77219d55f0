import { describe, expect, it } from 'vitest'
import { OptionsError } from '../errors/index'
import { closestName, OPTION_TABLE, validateOptions } from './index'

const errorOf = (options: unknown) => {
  try {
    validateOptions(options)
  } catch (error) {
    return error as OptionsError
  }
  return undefined
}

describe('validateOptions', () => {
  it('accepts every documented option at a valid value', () => {
    expect(() =>
      validateOptions({
        consent: 'granted',
        respectGlobalPrivacyControl: false,
        segmentWithoutConsent: true,
        onError: () => {},
        storage: { dbName: 'shop.v2', retentionDays: 3650, purchaseRetentionDays: 1, maxEvents: Infinity, flushDelayMs: 0 },
        capture: { autocapture: true, pageViews: false, engagement: true, scrollDepth: false, dataLayer: true, dataLayerName: 'shopLayer', pageTypePatterns: [[/^\/p\//, 'product'], ['/c/', 'category']], pageStats: () => undefined },
        features: { sessionGapMs: 1_800_000, specialDays: [] },
        model: { enabled: true, sessionPackUrl: '/p.json', sessionPackIntegrity: 'sha256-x', lifetimePackUrl: '/l.json', lifetimePackIntegrity: 'sha256-y' },
        segments: { switchMargin: 0.2, switchAfter: 3, minPageViews: 0, defaultSegmentId: 'new', defaultSegmentName: 'New' },
        personalize: { antiFlicker: true, antiFlickerTimeoutMs: 300, blocks: false, intentStep: 0.1, document, panelText: { lang: 'de', title: 'Warum sehe ich das?' } },
        storageUndefinedIsAbsent: undefined,
      }),
    ).toThrow(/unknown option 'storageUndefinedIsAbsent'/)
    expect(() => validateOptions({ consent: undefined, storage: undefined, capture: { pageStats: { '/': {} } } })).not.toThrow()
  })

  it.each<[string, unknown, string, string]>([
    ['a misspelt key', { consnet: 'granted' }, 'consnet', "unknown option 'consnet' — did you mean 'consent'?"],
    ['a key in the wrong case', { storage: { dbname: 'x' } }, 'storage.dbname', "unknown option 'storage.dbname' — did you mean 'storage.dbName'?"],
    ['a nested misspelling', { capture: { datalayer: false } }, 'capture.datalayer', "did you mean 'capture.dataLayer'?"],
    ['a key far from every name', { storage: { zzzzzzzz: 1 } }, 'storage.zzzzzzzz', "unknown option 'storage.zzzzzzzz'"],
    ['a bad consent', { consent: 'yes' }, 'consent', `consent must be one of 'granted', 'denied', 'pending'; got "yes"`],
    ['Infinity retention days', { storage: { retentionDays: Infinity } }, 'storage.retentionDays', 'storage.retentionDays must be a number from 1 to 3650; got Infinity'],
    ['0 retention days', { storage: { retentionDays: 0 } }, 'storage.retentionDays', 'must be a number from 1 to 3650; got 0'],
    ['NaN margin', { segments: { switchMargin: NaN } }, 'segments.switchMargin', 'segments.switchMargin must be a number from 0 to 1; got NaN'],
    ['a fractional switchAfter', { segments: { switchAfter: 1.5 } }, 'segments.switchAfter', 'must be a whole number from 1 to 100; got 1.5'],
    ['a string flag', { capture: { autocapture: 'false' } }, 'capture.autocapture', 'capture.autocapture must be true or false; got "false"'],
    ['a group that is not an object', { storage: 30 }, 'storage', 'storage must be an object'],
    ['a bad page type', { capture: { pageTypePatterns: [[/x/, 'landing']] } }, 'capture.pageTypePatterns', 'a list of [RegExp | string | function, PageType] pairs'],
    ['onError not a function', { onError: 'console' }, 'onError', 'onError must be function; got "console"'],
    ['panel words that are not an object', { personalize: { panelText: 'de' } }, 'personalize.panelText', 'personalize.panelText must be object; got "de"'],
    ['a db name with a space', { storage: { dbName: 'my shop' } }, 'storage.dbName', 'storage.dbName must be 1–64 letters'],
    // An iframe's element or window where its contentDocument belongs: every decision would fail to apply.
    ['an element for the document', { personalize: { document: document.createElement('iframe') } }, 'personalize.document', 'personalize.document must be a Document; got '],
    ['a window for the document', { personalize: { document: window } }, 'personalize.document', 'personalize.document must be a Document; got '],
    ['an object for the document', { personalize: { document: {} } }, 'personalize.document', 'personalize.document must be a Document; got '],
  ])('refuses %s with an OptionsError naming the key', (_, options, field, message) => {
    const error = errorOf(options)
    expect(error).toBeInstanceOf(OptionsError)
    expect(error).toMatchObject({ code: 'invalid_option', field })
    expect(error!.message).toContain(message)
  })

  it('refuses options that are not an object', () => {
    for (const value of [null, 'granted', 42, [] as unknown]) expect(errorOf(value)?.message).toBe('options must be an object')
  })

  it('has a parser or a group for every entry', () => {
    for (const [key, entry] of Object.entries(OPTION_TABLE)) expect(['function', 'object'], key).toContain(typeof entry)
  })
})

describe('closestName', () => {
  it.each<[string, string[], string | undefined]>([
    ['consnet', ['consent', 'capture'], 'consent'],
    ['retentionDay', ['retentionDays', 'maxEvents'], 'retentionDays'],
    ['ANTIFLICKER', ['antiFlicker', 'blocks'], 'antiFlicker'],
    ['', ['ab', 'abcdef'], 'ab'],
    ['completely-different', ['consent'], undefined],
  ])('%s → %s', (name, names, expected) => {
    expect(closestName(name, names)).toBe(expected)
  })
})
