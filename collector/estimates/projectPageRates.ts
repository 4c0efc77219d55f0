import type { PageInsight } from '../../src/reports/estimate'
import { projectTraffic, type TrafficNeed } from './projectTraffic'

/** How many of the most viewed pages the page-rates projection is about, at most. */
export const PROJECTED_PAGES = 20

/**
 * From what traffic the bounce and exit rates of the most viewed pages are usable (the median page within ±5
 * points). A shop with no more candidate pages than that is projected over all of them: there is nothing to choose.
 * Otherwise only pages whose share of views is measured (its estimate clears its own noise: the estimators' own
 * `enough`) are ranked and projected from: ranked by noise, a page with a handful of reports could pass for one of
 * the most viewed, and its interval move the projection. The answer says how many pages it is about and how many
 * candidates it leaves out; with none measured it is about no page, and has no projection yet.
 *
 * @example
 * projectPageRates(insights.pages, insights.reports).answer // 'bounce and exit rates of the 20 most viewed pages …'
 */
export function projectPageRates(pages: readonly Pick<PageInsight, 'viewShare' | 'bounceRate' | 'exitRate'>[], reports: number): TrafficNeed {
  const project = (answer: string, chosen: readonly Pick<PageInsight, 'bounceRate' | 'exitRate'>[]) =>
    projectTraffic(`bounce and exit rates of ${answer}`, ['pageView', 'pageExit'], chosen.flatMap((p) => [p.bounceRate, p.exitRate]), reports, 0.05, 'median')
  if (pages.length <= PROJECTED_PAGES) {
    const which = pages.length === 0 ? 'the candidate pages (the collector was given none)' : pages.length === 1 ? 'the one candidate page' : `all ${pages.length} candidate pages`
    return project(`${which} within ±5 points${pages.length > 1 ? ' (median page)' : ''}`, pages)
  }
  const measured = pages.filter((p) => p.viewShare.enough && Number.isFinite(p.viewShare.value))
  const chosen = [...measured].sort((a, b) => b.viewShare.value - a.viewShare.value).slice(0, PROJECTED_PAGES)
  const left = pages.length - measured.length
  const which = chosen.length === 0 ? 'the most viewed pages' : chosen.length === 1 ? 'the most viewed page' : `the ${chosen.length} most viewed pages`
  const leftOut =
    left === 0
      ? ''
      : chosen.length === 0
        ? `: no page's share of views is measured yet (of ${pages.length} candidate pages)`
        : `; ${left} of the ${pages.length} candidate pages left out, their share of views not measured yet`
  return project(`${which} within ±5 points${chosen.length > 1 ? ' (median page)' : ''}${leftOut}`, chosen)
}
