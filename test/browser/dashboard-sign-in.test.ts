// The collector's dashboard behind the shop's own sign-in, as the README asks: a cookie check in front of
// `/seglet/dashboard` and `/seglet/insights.json` (a stand-in for the shop's back-office login), the signed-in
// admin opens the dashboard in Chromium, and its requests carry the session, so the insights load.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { createReportEstimator } from '../../collector/estimates/createReportEstimator'
import { createCollector } from '../../collector/server/createCollector'
import { migrate } from '../../collector/storage/migrate'
import type { Database } from '../../collector/storage/types'
import { DATABASE_TARGETS } from '../../collector/testing/databases'
import { postReports, reportBodies, TEST_PAGE_KEYS } from '../../collector/testing/reports'
import { borrowBrowser } from './harness'

describe('the dashboard behind a cookie sign-in', () => {
  let db: Database
  let browser: Browser
  let release = async () => {}
  beforeAll(async () => {
    db = await DATABASE_TARGETS[0]!.open()
    await migrate(db)
    ;({ browser, release } = await borrowBrowser())
  }, 120_000)
  afterAll(async () => {
    await release()
    await db?.close()
  })

  it('loads insights.json and rewrites the page statistics with the session cookie', async () => {
    const collector = createCollector(db, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => Date.parse('2026-11-30T12:00:00Z') })
    // Reports first: without any, the dashboard offers no rewrite of a table with nothing in it.
    expect(await postReports(collector.app as never, reportBodies(40, { day: '2026-11-29', seed: 4 }))).toEqual(Array(40).fill(202))
    const seen: string[] = []
    const server = createServer((req, res) => {
      const signedIn = /(?:^|;\s*)admin=1(?:;|$)/.test(req.headers.cookie ?? '')
      seen.push(`${req.method} ${req.url} ${signedIn ? 'signed-in' : 'anonymous'}`)
      if (req.url!.startsWith('/seglet/') && !req.url!.startsWith('/seglet/reports') && !signedIn) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('sign in first')
        return
      }
      collector.listener(req, res)
    })
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const context = await browser.newContext()
    try {
      await context.addCookies([{ name: 'admin', value: '1', url: base }])
      const page = await context.newPage()
      await page.goto(`${base}/seglet/dashboard`)
      await page.waitForFunction(() => !document.getElementById('facts')!.textContent!.includes('loading'))
      expect(seen).toContain('GET /seglet/insights.json signed-in')
      expect(await page.locator('#facts').textContent()).not.toContain('Could not load the figures')
      await page.click('#regenerate')
      await expect.poll(() => page.locator('#regenerate-result').textContent()).toMatch(/^Written: /)
      expect(seen).toContain('POST /seglet/page-stats.json signed-in')
      expect(seen.filter((line) => line.endsWith('anonymous'))).toEqual([])
    } finally {
      await context.close()
      await new Promise((closed) => server.close(closed))
    }
  })

  it("fits a phone's width: the tables scroll inside their cards, the page itself never scrolls sideways", async () => {
    const collector = createCollector(db, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => Date.parse('2026-11-30T12:00:00Z') })
    const bodies = reportBodies(400, { day: '2026-11-29', seed: 3 })
    expect(await postReports(collector.app as never, bodies)).toEqual(Array(400).fill(202))
    const server = createServer(collector.listener)
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } })
    try {
      const page = await context.newPage()
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/seglet/dashboard`)
      await page.waitForFunction(() => document.querySelectorAll('#pages tbody tr').length > 1)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    } finally {
      await context.close()
      await new Promise((closed) => server.close(closed))
      await collector.close()
    }
  })
})
