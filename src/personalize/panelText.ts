import { OptionsError } from '../errors'
import { describeValue } from '../events/lib/describeValue'
import { formatNumber } from '../lib/formatNumber'
import { closestName } from '../options/closestName'
import { formatPercent } from './formatPercent'
import type { Explanation } from '../segments'

/**
 * Words of the panel with values in them: a template whose `{name}` placeholders are replaced with the values
 * (already written in the panel's `lang`: `{percent}` is `'72 %'` in German, `'72%'` in English), or a function of them.
 *
 * @example
 * 'Wahrscheinlichkeit {percent} (hoch)'
 * ({ percent }) => `${percent} (hoch)`
 */
export type PanelTemplate<Values extends Record<string, string>> = string | ((values: Values) => string)

/**
 * Every word the transparency panel shows, in the shop's language, with the language's tag. All keys are
 * optional: a missing one is shown in English (marked `lang="en"` inside a panel of another language).
 * Templates name their values in braces (`{percent}`); see {@link PanelTemplate}.
 *
 * @example
 * personalize: { panelText: { lang: 'de', title: 'Warum sehe ich das?', forget: 'Vergiss mich', close: 'Schließen' } }
 */
export interface PanelText {
  /**
   * Language tag (BCP 47) of these words: the panel is marked with it (`lang`), and its dates and numbers are
   * written in it (`2.1.2024`, `72 %`, `59,9` in German). A shop's locale with an underscore (`de_DE`) is taken
   * as the tag it means (`de-DE`).
   * @default 'en'
   */
  lang?: string
  /** Title and accessible name of the dialog. @default 'Why am I seeing this?' */
  title?: string
  /** Accessible name of the close button (×). @default 'Close' */
  close?: string
  /** @default 'No segment yet' */
  noSegment?: string
  /** @default 'This shop has not adapted anything to your visit.' */
  noSegmentNote?: string
  /** @default 'Your visit has only just begun, so the shop shows its usual pages.' */
  coldStart?: string
  /** @default 'How sure' */
  howSure?: string
  /** @default 'In this visit' */
  inThisVisit?: string
  /** @default 'Chance you buy in this visit' */
  chanceToBuy?: string
  /**
   * Instead of `inThisVisit` for a restored segment (an earlier page's, shown until this page decides): its funnel
   * facts are that page's, which may be of an earlier visit.
   * @default 'On an earlier page'
   */
  onEarlierPage?: string
  /**
   * Instead of `chanceToBuy` for a restored segment (an earlier page's, shown until this page decides): its chance
   * was estimated on that page, which may be of an earlier visit.
   * @default 'Chance you buy, as estimated on an earlier page'
   */
  chanceToBuyEarlier?: string
  /** @default 'From your past orders' */
  fromPastOrders?: string
  /** @default 'Chance you order again within 90 days' */
  chanceToOrderAgain?: string
  /** @default 'This browser is in the comparison group: the shop does not personalise its pages for it, so it can tell whether personalisation helps.' */
  holdout?: string
  /** Where the visit is: the cart. @default 'reached the cart' */
  funnelCart?: string
  /** Where the visit is: checkout. @default 'reached checkout' */
  funnelCheckout?: string
  /** The funnel stage with what is in the cart (`stage` is `funnelCart` or `funnelCheckout`). @default '{stage} · {value} put in the cart' */
  funnelCartValue?: PanelTemplate<{ stage: string; value: string }>
  /** The chance of a purchase, when it is high. @default '{percent} (high)' */
  intentHigh?: PanelTemplate<{ percent: string }>
  /** The chance of a purchase, when it is not high. @default '{percent} (not high)' */
  intentNotHigh?: PanelTemplate<{ percent: string }>
  /** A low chance of a visit in the cart, and why. @default "{percent}, estimated from your browsing only: this shop's model has not yet learned from visits that reach the cart" */
  intentCart?: PanelTemplate<{ percent: string }>
  /** A low chance of a visit in checkout, and why. @default "{percent}, estimated from your browsing only: this shop's model has not yet learned from visits that reach checkout" */
  intentCheckout?: PanelTemplate<{ percent: string }>
  /**
   * Names of segments (and value segments) by id, instead of the model pack's names.
   * @example segmentNames: { engaged: 'Interessiert', hibernating: 'Länger nicht da' }
   */
  segmentNames?: Record<string, string>
  /**
   * One explanation line in the shop's words (its `feature`, raw `value` and English `text`); `undefined` keeps
   * the English line.
   * @example reason: ({ feature, value }) => feature === 'product_pages' ? `${value} Einkaufsseiten angesehen` : undefined
   */
  reason?: (line: Explanation) => string | undefined
  /** @default 'What it is based on' */
  basedOn?: string
  /** @default 'Nothing you did yet.' */
  nothingYet?: string
  /**
   * What a restored segment (an earlier page's, shown until this page decides) rests on: its explanation is not stored.
   * @default 'What you did before this page: it was decided on an earlier one.'
   */
  decidedEarlier?: string
  /** @default 'Stored on this device' */
  stored?: string
  /** @default 'Loading…' */
  loading?: string
  /** @default 'Events' */
  events?: string
  /** @default 'Since' */
  since?: string
  /** @default 'Storage' */
  storage?: string
  /** @default 'In this browser (IndexedDB)' */
  storageIndexedDb?: string
  /** @default 'Only while this page is open' */
  storageMemory?: string
  /** @default 'Your consent' */
  consent?: string
  /** @default 'given' */
  consentGranted?: string
  /** @default 'not asked yet: nothing new is kept after this page, and what earlier visits stored is not read' */
  consentPending?: string
  /** @default 'refused: nothing is kept after this page' */
  consentDenied?: string
  /** @default 'Cookie' */
  cookie?: string
  /** @default 'seglet_hint, for 30 minutes: your segment and a rough band of your chance to buy, sent to this shop with its pages so they can be adapted as they load' */
  segmentHintCookie?: string
  /** @default 'Could not be read.' */
  couldNotBeRead?: string
  /** @default 'Private reports to this shop' */
  reports?: string
  /** @default 'At most once a day this browser may send the shop one small report about an earlier visit, …' */
  reportsIntro?: string
  /** @default 'Last report' */
  lastReport?: string
  /** The days of the last report (written in `lang`). @default 'sent on {sent}, about a visit on {visit}' */
  lastReportSent?: PanelTemplate<{ sent: string; visit: string }>
  /**
   * The days of the last report when the shop answered its send with an error (written in `lang`).
   * @default 'prepared on {prepared}, about a visit on {visit}, but it could not be delivered; no other report is sent that day'
   */
  lastReportFailed?: PanelTemplate<{ prepared: string; visit: string }>
  /** The days of the last report while its send is under way (written in `lang`). @default 'being sent ({sent}), about a visit on {visit}' */
  lastReportSending?: PanelTemplate<{ sent: string; visit: string }>
  /**
   * The days of the last report when no answer came back for it (a network error, a page left mid-send, or none
   * five minutes after it left; written in `lang`): it may or may not have been delivered.
   * @default 'sent on {sent}, about a visit on {visit}, but no answer came back, so its delivery is not confirmed; no other report is sent that day'
   */
  lastReportUnanswered?: PanelTemplate<{ sent: string; visit: string }>
  /** @default 'It held' */
  reportHeld?: string
  /** What the last report held (`held` is in English, marked `lang="en"` where the words keep it). @default '{held}, randomised' */
  reportHeldValue?: PanelTemplate<{ held: string }>
  /** @default 'none sent yet' */
  noReportYet?: string
  /** @default 'not read while your consent is not asked yet (an earlier visit may have sent one)' */
  reportsUnread?: string
  /** @default 'Privacy budget' */
  privacyBudget?: string
  /** ε spent today of the daily ε. @default 'ε {spent} of {perDay} spent today (a smaller ε means more privacy)' */
  privacyBudgetValue?: PanelTemplate<{ spent: string; perDay: string }>
  /** @default 'Forget me' */
  forget?: string
  /** @default 'Export my data' */
  exportData?: string
  /** @default 'Deleting…' */
  deleting?: string
  /** @default 'Preparing your data…' */
  preparing?: string
  /** @default 'Done. Everything Seglet stored in this browser has been deleted.' */
  deleted?: string
  /** @default 'Sorry, your data could not be deleted.' */
  deleteFailed?: string
  /** @default 'Your data was downloaded as {fileName}.' */
  downloaded?: PanelTemplate<{ fileName: string }>
  /** @default 'Sorry, your data could not be exported.' */
  exportFailed?: string
  /** @default 'Seglet works inside your browser: what you do on this shop is kept on this device, and only what this panel lists is sent to the shop.' */
  note?: string
}

/** The panel's English words: every key of {@link PanelText} that holds words. */
export const PANEL_TEXT_EN = {
  title: 'Why am I seeing this?',
  close: 'Close',
  noSegment: 'No segment yet',
  noSegmentNote: 'This shop has not adapted anything to your visit.',
  coldStart: 'Your visit has only just begun, so the shop shows its usual pages.',
  howSure: 'How sure',
  inThisVisit: 'In this visit',
  chanceToBuy: 'Chance you buy in this visit',
  onEarlierPage: 'On an earlier page',
  chanceToBuyEarlier: 'Chance you buy, as estimated on an earlier page',
  fromPastOrders: 'From your past orders',
  chanceToOrderAgain: 'Chance you order again within 90 days',
  holdout: 'This browser is in the comparison group: the shop does not personalise its pages for it, so it can tell whether personalisation helps.',
  funnelCart: 'reached the cart',
  funnelCheckout: 'reached checkout',
  funnelCartValue: '{stage} · {value} put in the cart',
  intentHigh: '{percent} (high)',
  intentNotHigh: '{percent} (not high)',
  intentCart: "{percent}, estimated from your browsing only: this shop's model has not yet learned from visits that reach the cart",
  intentCheckout: "{percent}, estimated from your browsing only: this shop's model has not yet learned from visits that reach checkout",
  basedOn: 'What it is based on',
  nothingYet: 'Nothing you did yet.',
  decidedEarlier: 'What you did before this page: it was decided on an earlier one.',
  stored: 'Stored on this device',
  loading: 'Loading…',
  events: 'Events',
  since: 'Since',
  storage: 'Storage',
  storageIndexedDb: 'In this browser (IndexedDB)',
  storageMemory: 'Only while this page is open',
  consent: 'Your consent',
  consentGranted: 'given',
  consentPending: 'not asked yet: nothing new is kept after this page, and what earlier visits stored is not read',
  consentDenied: 'refused: nothing is kept after this page',
  cookie: 'Cookie',
  segmentHintCookie: 'seglet_hint, for 30 minutes: your segment and a rough band of your chance to buy, sent to this shop with its pages so they can be adapted as they load',
  couldNotBeRead: 'Could not be read.',
  reports: 'Private reports to this shop',
  reportsIntro:
    'At most once a day this browser may send the shop one small report about an earlier visit, to count shoppers, not to follow you. ' +
    'It has no name, no cookie, no web address and no time finer than the day, and its one answer is randomised on this device, so the shop cannot tell what you really did.',
  lastReport: 'Last report',
  lastReportSent: 'sent on {sent}, about a visit on {visit}',
  lastReportFailed: 'prepared on {prepared}, about a visit on {visit}, but it could not be delivered; no other report is sent that day',
  lastReportSending: 'being sent ({sent}), about a visit on {visit}',
  lastReportUnanswered: 'sent on {sent}, about a visit on {visit}, but no answer came back, so its delivery is not confirmed; no other report is sent that day',
  reportHeld: 'It held',
  reportHeldValue: '{held}, randomised',
  noReportYet: 'none sent yet',
  reportsUnread: 'not read while your consent is not asked yet (an earlier visit may have sent one)',
  privacyBudget: 'Privacy budget',
  privacyBudgetValue: 'ε {spent} of {perDay} spent today (a smaller ε means more privacy)',
  forget: 'Forget me',
  exportData: 'Export my data',
  deleting: 'Deleting…',
  preparing: 'Preparing your data…',
  deleted: 'Done. Everything Seglet stored in this browser has been deleted.',
  deleteFailed: 'Sorry, your data could not be deleted.',
  downloaded: 'Your data was downloaded as {fileName}.',
  exportFailed: 'Sorry, your data could not be exported.',
  note: 'Seglet works inside your browser: what you do on this shop is kept on this device, and only what this panel lists is sent to the shop.',
} as const

/** A key of the panel's words. */
export type PanelWord = keyof typeof PANEL_TEXT_EN

/** The keys whose words may be a function of their values. */
const TEMPLATES = new Set<string>(['funnelCartValue', 'intentHigh', 'intentNotHigh', 'intentCart', 'intentCheckout', 'lastReportSent', 'lastReportFailed', 'lastReportSending', 'lastReportUnanswered', 'reportHeldValue', 'privacyBudgetValue', 'downloaded'])

/** The panel's words as `createPanel()` uses them: English for what the shop did not give. */
export interface PanelWords {
  /** The panel's language tag: the shop's, or `'en'`. */
  lang: string
  /** The shop's language tag, for dates; `undefined` (the browser's language) when the shop gave none. */
  locale: string | undefined
  /** Whether the panel's language is not English: English words in it are marked `lang="en"`. */
  foreign: boolean
  /** A share (0.724) as a whole percent, written in the shop's language (`'72 %'` in German), else `'72%'`. */
  percent(value: number): string
  /** A number with at most `digits` decimals, written in the shop's language (`'59,9'` in German), else as English (`'1234.5'`). */
  number(value: number, digits?: number): string
  /** The words of `key` with `values` filled in, and whether they are the English fallback in a panel of another language. */
  say(key: PanelWord, values?: Record<string, string>): { text: string; english: boolean }
  /** A segment's name in the shop's words. */
  segmentName(id: string, name: string): string
  /** An explanation line in the shop's words, or `undefined` for the English line. */
  reason(line: Explanation): string | undefined
}

/** A shop's locale as a language tag: `de_DE`, as shop systems write it, is `de-DE`. */
const toLanguageTag = (value: string): string => value.replace(/_/g, '-')

const isLanguageTag = (value: unknown): value is string => {
  if (typeof value !== 'string' || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(toLanguageTag(value))) return false
  try {
    return Intl.getCanonicalLocales(toLanguageTag(value)).length === 1
  } catch {
    return false
  }
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 2048

/** Throws an `OptionsError` when `value` is not what the panel's words take at `key` (`path` names it). */
function checkWord(key: string, value: unknown, path: string): void {
  const bad = (expected: string) => new OptionsError(`${path} must be ${expected}; got ${describeValue(value)}`, path)
  if (key === 'lang') {
    if (!isLanguageTag(value)) throw bad("a language tag ('de', 'fr-CH')")
  } else if (key === 'segmentNames') {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every(isText)) throw bad('an object of segment ids to names')
  } else if (key === 'reason') {
    if (typeof value !== 'function') throw bad('a function')
  } else if (!Object.prototype.hasOwnProperty.call(PANEL_TEXT_EN, key)) {
    const hint = closestName(key, ['lang', 'segmentNames', 'reason', ...Object.keys(PANEL_TEXT_EN)])
    throw new OptionsError(`unknown option '${path}'${hint ? ` — did you mean '${path.slice(0, -key.length)}${hint}'?` : ''}`, path)
  } else if (!isText(value) && !(TEMPLATES.has(key) && typeof value === 'function')) {
    throw bad(TEMPLATES.has(key) ? 'text of 1–2048 characters or a function' : 'text of 1–2048 characters')
  }
}

/**
 * Checks the shop's panel words (named `name` in errors): throws an `OptionsError` (`invalid_option`) naming the
 * first unknown key or bad value (`personalize.panelText.titel`) — or, with `drop`, hands it each such error and
 * returns the words without that key.
 *
 * @example
 * checkPanelText({ lang: 'de', titel: 'Warum sehe ich das?' }, 'personalize.panelText', report) // { lang: 'de' }
 */
export function checkPanelText(input: unknown, name: string, drop?: (error: OptionsError) => void): PanelText {
  const given: Record<string, unknown> = Object.create(null)
  const refuse = (error: OptionsError) => {
    if (!drop) throw error
    drop(error)
  }
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) {
    refuse(new OptionsError(`${name} must be an object; got ${describeValue(input)}`, name))
  } else if (input !== undefined) {
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue
      try {
        checkWord(key, value, `${name}.${key}`)
        given[key] = key === 'lang' ? toLanguageTag(value as string) : value
      } catch (error) {
        refuse(error as OptionsError)
      }
    }
  }
  return given as PanelText
}

/**
 * The shop's panel words, checked (`checkPanelText()`), with English for every missing key. A template function
 * that throws or returns no text shows the English words.
 *
 * @example
 * readPanelText({ lang: 'de', title: 'Warum sehe ich das?' }).say('title').text // 'Warum sehe ich das?'
 */
export function readPanelText(input?: PanelText, name = 'panelText'): PanelWords {
  const given = checkPanelText(input, name) as Record<string, unknown>
  const locale = given.lang as string | undefined
  const lang = locale ?? 'en'
  const foreign = !/^en(-|$)/i.test(lang)
  const names = (given.segmentNames as Record<string, string> | undefined) ?? {}
  const reason = given.reason as PanelText['reason']
  const fill = (words: PanelTemplate<Record<string, string>>, values: Record<string, string>): string | undefined => {
    // Only the values' own keys: `{constructor}` or `{__proto__}` in the shop's words is text, not Object's members.
    if (typeof words === 'string') return words.replace(/\{(\w+)\}/g, (all, key: string) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all))
    try {
      const text = words(values)
      return typeof text === 'string' && text ? text : undefined
    } catch {
      return undefined
    }
  }
  return {
    lang,
    locale,
    foreign,
    percent: (value) => (locale ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value) : formatPercent(value)),
    // An English panel writes its numbers as its English explanation lines do (`1234.5`), whichever `en` tag it has.
    number: (value, digits = 2) => (foreign && Number.isFinite(value) ? new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value) : formatNumber(value, digits)),
    say(key, values = {}) {
      const own = given[key] === undefined ? undefined : fill(given[key] as PanelTemplate<Record<string, string>>, values)
      return own === undefined ? { text: fill(PANEL_TEXT_EN[key], values)!, english: foreign } : { text: own, english: false }
    },
    segmentName: (id, name) => (Object.prototype.hasOwnProperty.call(names, id) ? names[id] : name),
    reason(line) {
      try {
        const text = reason?.(line)
        return typeof text === 'string' && text ? text : undefined
      } catch {
        return undefined
      }
    },
  }
}
