// A collector on the embedded test store, holding `count` reports of 29 November 2026 and serving its dashboard on
// loopback, with a Chromium to read it: what the dashboard's browser tests open.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { expect } from 'vitest'
import { createReportEstimator } from '../../collector/estimates/createReportEstimator'
import { createCollector } from '../../collector/server/createCollector'
import { migrate } from '../../collector/storage/migrate'
import type { Database } from '../../collector/storage/types'
import { DATABASE_TARGETS } from '../../collector/testing/databases'
import { postReports, reportBodies, TEST_PAGE_KEYS } from '../../collector/testing/reports'
import { borrowBrowser } from './harness'

export interface DashboardServer {
  db: Database
  browser: Browser
  /** `http://127.0.0.1:<port>`: the dashboard is at `${base}/seglet/dashboard`. */
  base: string
  close(): Promise<void>
}

/**
 * Starts it (the collector's clock at noon UTC on 30 November 2026); `close()` stops all of it and closes the
 * contexts opened in the run's Chromium since. `browser: false` borrows no Chromium (the Firefox tests bring their
 * own browser); `now` replaces the collector's clock.
 */
export async function startDashboardServer(
  count: number,
  { browser: withBrowser = true, now = () => Date.parse('2026-11-30T12:00:00Z') }: { browser?: boolean; now?: () => number } = {},
): Promise<DashboardServer> {
  const db = await DATABASE_TARGETS[0]!.open()
  let collector: ReturnType<typeof createCollector> | undefined
  let server: Server | undefined
  let browser: Browser | undefined
  let release = async () => {}
  const close = async () => {
    await release()
    await new Promise((closed) => (server ? server.close(closed) : closed(undefined)))
    await collector?.close()
    await db.close()
  }
  try {
    await migrate(db)
    collector = createCollector(db, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now })
    expect(await postReports(collector.app as never, reportBodies(count, { day: '2026-11-29', seed: 3 }))).toEqual(Array(count).fill(202))
    const listening = createServer(collector.listener)
    server = listening
    await new Promise<void>((ready) => listening.listen(0, '127.0.0.1', ready))
    if (withBrowser) ({ browser, release } = await borrowBrowser())
    return { db, browser: browser as Browser, base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, close }
  } catch (error) {
    await close()
    throw error
  }
}
