// @vitest-environment node
// The season is one thing the shopper did (visiting in September), read by the shipped pack as fourteen inputs: the
// month on a circle (month_sin, month_cos) and one-hot (month_jan … month_dec). explain() gives it as one line,
// named by the month, when the season as a whole pulled toward the segment.
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../events/types'
import { applyFeatureSpec, computeFeatures, SESSION_FEATURE_NAMES, selectFeatures } from '../features'
import { sessionFeatureGroups } from '../features/sessionFeatureGroups'
import { createModelRuntime } from '../model/runtime'
import { shopperReasons } from '../personalize/shopperReasons'
import { computeContributions, createSegmentEngine, DEFAULT_MIN_LOG_ODDS_CONTRIBUTION } from '../segments'
import { decideSegment } from './decideSegment'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
let seq = 0
/** `pages` product pages of `seconds` each, from 10:00 on the 5th of `month` 2026. */
function visit(month: number, pages: number, seconds: number): StoredEvent[] {
  const start = new Date(2026, month, 5, 10).getTime()
  return Array.from({ length: pages }, (_, i) => [
    { type: 'page_view', url: `/p/${i}`, pageType: 'product', id: `e${seq++}`, ts: start + i * 90_000 },
    { type: 'engagement', url: `/p/${i}`, pageType: 'product', visibleMs: seconds * 1000, scrollDepth: 0.8, id: `e${seq++}`, ts: start + i * 90_000 + 1000 },
  ]).flat() as StoredEvent[]
}

const runtime = createModelRuntime()
const decide = async (events: StoredEvent[]) => (await decideSegment({ events, now: events[events.length - 1].ts + 1000, runtime, engine: createSegmentEngine(), model: {} }))!
const isSeason = (feature: string) => feature.startsWith('month_')

describe('the season in explain()', () => {
  it('is one line at most, naming the month of the visit, never "the time of year" or a month it is not', async () => {
    let named = 0
    for (let month = 0; month < 12; month++) {
      for (const [pages, seconds] of [[5, 20], [12, 60]]) {
        const result = await decide(visit(month, pages, seconds))
        expect(result.segment.coldStart).toBe(false)
        const lines = result.explain()
        const season = lines.filter((line) => isSeason(line.feature))
        expect(season.length).toBeLessThanOrEqual(1)
        for (const line of season) {
          expect(line).toMatchObject({ feature: `month_${MONTHS[month].slice(0, 3).toLowerCase()}`, value: 1, text: `visiting in ${MONTHS[month]}` })
          expect(line.delta).toBeGreaterThan(0)
          named++
        }
        const panel = shopperReasons(lines)
        expect(panel.filter((text) => /time of year|visiting in/.test(text)).length).toBeLessThanOrEqual(1)
      }
    }
    // The shipped pack leans on the season: most of these visits have it among their reasons.
    expect(named).toBeGreaterThan(6)
  })

  it('ranks the season by its pull as a whole, not by the one input that pulls most', async () => {
    // September, twelve product pages of a minute: month_sep alone pulls toward the segment more than anything but
    // the account pages, the season as a whole only a little, less than every line explain() gives.
    const events = visit(8, 12, 60)
    const result = await decide(events)
    const lines = result.explain()
    expect(lines.some((line) => isSeason(line.feature))).toBe(false)

    const loaded = await runtime.getPack('session')
    const spec = loaded.pack.featureSpec
    const features = computeFeatures(events, events[events.length - 1].ts + 1000)
    const raw = selectFeatures(features.sessionRaw, SESSION_FEATURE_NAMES, spec.names)
    const labels = (Object.values(loaded.pack.heads).find((head) => head.kind === 'segment') as { labels: string[] }).labels
    const input = {
      names: spec.names, normalised: applyFeatureSpec(raw, spec), raw, target: labels.indexOf(result.segment.id), top: Infinity,
      scale: 'log-odds' as const, minDelta: DEFAULT_MIN_LOG_ODDS_CONTRIBUTION,
      predictMany: (vectors: Float32Array, rows: number) => {
        const out = runtime.predict(loaded, vectors, rows, { logits: true })
        return Array.from({ length: rows }, (_, r) => ({ segmentLogits: out.segment.subarray(r * labels.length, (r + 1) * labels.length), intent: out.intent[r] }))
      },
    }
    const alone = computeContributions(input).find((c) => c.name === 'month_sep')!
    expect(alone.delta).toBeGreaterThan(lines[2].delta)
    const together = computeContributions({ ...input, groups: sessionFeatureGroups(features.session) }).find((c) => c.name === 'month_sep')!
    expect(together.delta).toBeLessThan(lines[lines.length - 1].delta)
    expect(computeContributions({ ...input, groups: sessionFeatureGroups(features.session) }).some((c) => /^month_(sin|cos)$/.test(c.name))).toBe(false)
  })
})

describe('the page statistics in explain()', () => {
  const STATISTICS = ['bounce_rate', 'exit_rate', 'page_value', 'page_value_positive']

  it('are one line, "no page statistics from the shop", in a visit without them: never a 0% exit rate', async () => {
    let said = 0
    for (let month = 0; month < 12; month++) {
      const lines = (await decide(visit(month, 5, 20))).explain()
      expect(lines.filter((line) => STATISTICS.includes(line.feature))).toEqual([])
      expect(lines.some((line) => /0% (exit|bounce) rate|page value 0/.test(line.text))).toBe(false)
      for (const line of lines.filter((l) => l.feature === 'has_stats')) {
        expect(line).toMatchObject({ value: 0, text: 'no page statistics from the shop' })
        said++
      }
    }
    // Missing statistics pull toward the segment of most of these visits.
    expect(said).toBeGreaterThan(6)
  })

  it('are their own lines in a visit with them', async () => {
    const events = visit(0, 4, 30).map((event) => (event.type === 'page_view' ? { ...event, stats: { bounceRate: 0.01, exitRate: 0.02, pageValue: 30 } } : event))
    const lines = (await decide(events)).explain()
    expect(lines.find((line) => line.feature === 'page_value_positive')).toMatchObject({ value: 1, text: 'visited pages that shoppers viewed on their way to a purchase' })
  })
})
