import { PAGE_TYPES } from '../events/types'
import { parseConsent } from '../privacy/parseConsent'
import { DAY_MS } from '../privacy/retention'
import type { OptionParser } from './parsers'
import { bool, list, number, parser, text, typed } from './parsers'

/** A group of options: each key has a parser, or is itself a group (`storage`, `capture`, …). */
export interface OptionGroup {
  [key: string]: OptionParser | OptionGroup
}


/**
 * The groups of `table`, each made the first time it is read (a getter): a page that sets none of a group's
 * options never makes its parsers (closures, regexps, messages). Reads after the first get the same group.
 */
const withLazyGroups = (table: OptionGroup, groups: Record<string, () => OptionGroup>): OptionGroup => {
  for (const [key, make] of Object.entries(groups)) {
    let made: OptionGroup | undefined
    Object.defineProperty(table, key, { get: () => (made ??= make()), enumerable: true })
  }
  return table
}

/**
 * Every option of `createSeglet()`, `Seglet.init()` and the script tag, with the one parser each entry
 * point uses for it. An option missing here is refused as unknown (with the closest name as suggestion).
 *
 * To add an option: add its field (with JSDoc and `@default`) to the options interface of its module, and
 * one entry here, in its group — `reports: { endpoint: text() }` adds a group, `personalize: { …,
 * holdout: number(0, 1) }` a field. For a script-tag attribute, also add the option's path to `ATTRIBUTES` in
 * src/script/readScriptOptions.ts: it parses the attribute with this entry.
 */
export const OPTION_TABLE: OptionGroup = withLazyGroups(
  {
    consent: parseConsent,
    respectGlobalPrivacyControl: bool,
    segmentWithoutConsent: bool,
    onError: typed('function'),
  },
  {
    storage: () => {
      const days = number(1, 3650)
      return {
        dbName: text(/^[\w.-]{1,64}$/, '1–64 letters, digits, "_", "-" or "."'),
        retentionDays: days,
        purchaseRetentionDays: days,
        maxEvents: number(0, Infinity, true),
        flushDelayMs: number(0, 60_000),
        maxEventsPerSecond: number(1, Infinity),
      }
    },
    capture: () => ({
      autocapture: bool,
      pageViews: bool,
      engagement: bool,
      scrollDepth: bool,
      dataLayer: bool,
      dataLayerName: text(/^[A-Za-z_$][\w$]{0,63}$/, 'a JavaScript identifier'),
      pageTypePatterns: parser(
        (rules) =>
          Array.isArray(rules) &&
          rules.every((rule) => Array.isArray(rule) && (typeof rule[0] === 'string' || typeof rule[0] === 'function' || rule[0] instanceof RegExp) && PAGE_TYPES.includes(rule[1])),
        'a list of [RegExp | string | function, PageType] pairs',
      ),
      pageStats: typed('object', 'function'),
      pageStatsUrl: text(),
      pageStatsIntegrity: text(),
    }),
    features: () => ({
      sessionGapMs: number(1000, DAY_MS),
      specialDays: list,
    }),
    model: () => ({
      enabled: bool,
      sessionPackUrl: text(),
      sessionPackIntegrity: text(),
      lifetimePackUrl: text(),
      lifetimePackIntegrity: text(),
      // Read in full (and imported for Web Crypto) by the model part: see importPackKeys().
      packKey: text(/^\s*(ed25519-[\w+/]{43}=\s*){1,4}$/, 'ed25519-<base64> key(s)'),
      packManifestUrl: text(),
      loading: parser((value) => value === 'auto' || value === 'eager', "'auto' or 'eager'"),
    }),
    segments: () => ({
      switchMargin: number(0, 1),
      switchAfter: number(1, 100, true),
      minPageViews: number(0, 1000, true),
      defaultSegmentId: text(),
      defaultSegmentName: text(),
    }),
    personalize: () => ({
      antiFlicker: bool,
      antiFlickerTimeoutMs: number(0, 10_000),
      blocks: bool,
      intentStep: number(0, 1),
      holdout: number(0, 1),
      segmentHint: bool,
      document: parser((value) => (value as Document | null)?.nodeType === 9, 'a Document'),
      // Checked in full (every key and value) by the model part: see checkPanelText().
      panelText: typed('object'),
    }),
    // Checked in full (same origin, ε in hundredths) by the report part: see readReportOptions().
    reports: () => ({
      endpoint: text(),
      epsilonPerDay: number(0.1, 8),
      learnShare: number(0, 1),
    }),
  },
)
