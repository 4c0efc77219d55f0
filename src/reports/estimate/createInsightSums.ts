import { ReportError } from '../../errors'
import { checkContext } from '../lib/checkContext'
import { isReportEpsilon } from '../lib/isReportEpsilon'
import { pageKeyHash } from '../lib/pageCode'
import { domainSize, MAX_PAGE_KEY_LENGTH, PAGE_CLASS_COUNT, PAGE_VALUE_CLASSES } from '../schema'
import { PAGE_KEY_PATTERN } from '../../events/limits'
import type { ReportContext } from '../types'
import { MAX_PAGE_KEYS } from './constants'
import { createLearnSums } from '../learn/learnSums'
import type { InsightSums } from './types'

/**
 * Empty sums for reports of one context at one ε, decoding page answers against `pageKeys` (the shop's
 * declared page keys). Throws a `ReportError` for a bad context, ε, or page-key list (including two keys
 * that share a hash, which the reports could not tell apart).
 *
 * @example
 * let sums = createInsightSums({ packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }, 2, ['home', 'product/mug'])
 * sums = addReport(sums, parseReport(body))
 */
export function createInsightSums(context: ReportContext, epsilon: number, pageKeys: readonly string[] = []): InsightSums {
  checkContext(context.packId, context.segmentLeaves, context.valueLeaves, 'report_out_of_range')
  if (!isReportEpsilon(epsilon)) throw new ReportError('report_out_of_range', 'epsilon must be a number from 0.1 to 8 in hundredths', 'epsilon')
  if (!Array.isArray(pageKeys) || pageKeys.length > MAX_PAGE_KEYS)
    throw new ReportError('report_out_of_range', `page keys must be a list of at most ${MAX_PAGE_KEYS}`, 'pageKeys')
  const hashes = new Map<number, string>()
  for (const key of pageKeys) {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_PAGE_KEY_LENGTH)
      throw new ReportError('report_out_of_range', `page keys must be 1–${MAX_PAGE_KEY_LENGTH} characters`, 'pageKeys')
    // What pages can send (`<meta name="seglet:page-key">`, `pageKey`): a table listing another key is refused whole by every browser.
    // A key in another script (商品/靴, größe-42) is told what to use instead: pages cannot send it either.
    if (!PAGE_KEY_PATTERN.test(key))
      throw new ReportError('report_out_of_range', `${JSON.stringify(key)} is not a page key: ASCII letters, digits, "_", "-", "." and "/", starting with a letter or digit (a path's words, not the path: product/mug, not /products/mug)${/[^\x00-\x7f]/.test(key) ? '; a page named in other letters takes a key of these, such as its id (product/1042)' : ''}`, 'pageKeys')
    const h = pageKeyHash(key)
    const other = hashes.get(h)
    if (other !== undefined)
      throw new ReportError('report_out_of_range', other === key ? `page key ${key} is listed twice` : `page keys ${other} and ${key} share a hash; rename one`, 'pageKeys')
    hashes.set(h, key)
  }
  const finite = (k: number) => ({ n: 0, counts: new Array<number>(k).fill(0) })
  const page = (keys: number) => ({
    n: 0,
    support: new Array<number>(keys * PAGE_CLASS_COUNT + 1).fill(0),
    both: new Array<number>(keys).fill(0),
  })
  return {
    format: 'seglet-insight-sums',
    version: 1,
    packId: context.packId,
    segmentLeaves: context.segmentLeaves,
    valueLeaves: context.valueLeaves,
    epsilon,
    pageKeys: [...pageKeys],
    reports: 0,
    segment: finite(domainSize('segment', context)),
    value: finite(domainSize('value', context)),
    outcome: finite(domainSize('outcome', context)),
    order: finite(domainSize('order', context)),
    arm: finite(domainSize('arm', context)),
    pageView: page(pageKeys.length),
    pageExit: page(pageKeys.length),
    pageValue: { n: 0, support: new Array<number>(pageKeys.length * PAGE_VALUE_CLASSES.length + 1).fill(0) },
    learn: createLearnSums(),
  }
}
