// Test helper: realistic report bodies made by the SDK's own encodeReport, from seeded truths.
import { encodeReport } from '../../src/reports/encodeReport'
import type { ReportContext, ReportTruth } from '../../src/reports/types'
import { seededRandom } from '../../sim/seededRandom'
import { createRng } from '../../training/rng'

export const TEST_CONTEXT: ReportContext = { packId: 'session@1+lifetime@1', segmentLeaves: 4, valueLeaves: 4 }

export const TEST_PAGE_KEYS = ['home', 'category/mugs', 'category/teas', 'product/mug', 'product/teapot', 'cart', 'checkout']

/**
 * How long a test's ingest waits after a batch's first report before it writes the batch (`maxDelayMs`): 5 ms, not
 * the default 200 ms, for tests that send many reports one after the other and wait for each answer. The tests of
 * batching itself give their own.
 */
export const TEST_BATCH_DELAY_MS = 5

/** The pages the page-value question asks about in the tests: most candidates, and one page the collector does not list. */
export const TEST_VALUE_PAGES = ['home', 'category/mugs', 'product/mug', 'cart', 'checkout', 'help/unlisted']

/** A random but plausible closed session. */
export function randomTruth(rng: () => number, pageKeys: readonly string[] = TEST_PAGE_KEYS): ReportTruth {
  const count = 1 + Math.floor(rng() * 5)
  const ordered = rng() < 0.2
  const pages = Array.from({ length: count }, (_, i) => ({
    key: pageKeys[Math.floor(rng() * pageKeys.length)]!,
    bounced: count === 1,
    exited: i === count - 1,
    orderFollowed: ordered && i < count - 1,
  }))
  return {
    segmentLeaf: rng() < 0.1 ? null : Math.floor(rng() * rng() * 4),
    valueSegment: rng() < 0.1 ? null : Math.floor(rng() * 4),
    ordered,
    orderValueBucket: ordered ? Math.floor(rng() * 4) : 0,
    arm: rng() < 0.1 ? 'holdout' : 'treatment',
    pages,
  }
}

/** `n` report bodies (JSON text) for `day` at `epsilon`, reproducible from `seed`. */
export function reportBodies(n: number, options: { seed?: number; day: string; epsilon?: number; context?: ReportContext }): string[] {
  const rng = createRng(options.seed ?? 1)
  const random = seededRandom((options.seed ?? 1) + 1000)
  const bodies: string[] = []
  for (let i = 0; i < n; i++) {
    const body = encodeReport(randomTruth(rng), options.context ?? TEST_CONTEXT, { epsilon: options.epsilon ?? 2, day: options.day, random, valuePages: TEST_VALUE_PAGES })
    bodies.push(JSON.stringify(body))
  }
  return bodies
}

/**
 * Posts `bodies` to a collector's app as same-origin reports, each from an address of its own (10.9.x.y, so no
 * per-address limit applies), and resolves to their statuses.
 */
export async function postReports(app: { request: (path: string, init: RequestInit, env: never) => Response | Promise<Response> }, bodies: readonly string[]): Promise<number[]> {
  const post = (body: string, i: number) =>
    app.request('/seglet/reports', { method: 'POST', body, headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin' } }, {
      incoming: { socket: { remoteAddress: `10.9.${i >> 8}.${i & 255}` } },
    } as never)
  return (await Promise.all(bodies.map(post))).map((r) => r.status)
}
