import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEFAULT_DATA_DIR, SHOPPERS_FILE } from '../training/data'
import { createRng } from '../training/rng'
import { startDashboard, type DashboardPreview } from './dashboard'
import { loadPopulation } from './population'
import { createShop } from './shop'

const file = join(DEFAULT_DATA_DIR, SHOPPERS_FILE)
const present = existsSync(file)
if (!present) console.warn(`sim/dashboard.test.ts: ${file} is missing, the dashboard preview tests are skipped (see ../shared/data/README.md)`)

const DEVICES = 300

describe.skipIf(!present)('dashboard preview', () => {
  let preview: DashboardPreview
  let origin: string
  beforeAll(async () => {
    preview = await startDashboard(loadPopulation(file), createShop(createRng(20261129)), { devices: DEVICES, epsilon: 2, seed: 3, port: 0 })
    origin = new URL(preview.url).origin
  }, 60_000)
  afterAll(async () => {
    vi.unstubAllGlobals()
    await preview?.stop()
  })

  it('serves insights.json of every simulated report, saying they are simulated', async () => {
    expect(preview.stored).toBe(DEVICES)
    expect(preview.refused).toEqual({})
    const doc = (await (await fetch(`${origin}/seglet/insights.json`)).json()) as { reports: number; notice?: string; daily: unknown[] }
    expect(doc.reports).toBe(DEVICES)
    expect(doc.notice).toMatch(/^Simulated figures: the reports of 300 simulated shoppers, not any shop's traffic/)
  })

  it('shows the notice above the figures on the dashboard page it serves', async () => {
    const html = await (await fetch(preview.url)).text()
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!
    // The page's own fetches go to the preview's collector; the chart library is stubbed (jsdom draws no canvas).
    const realFetch = fetch
    vi.stubGlobal('fetch', (path: string, init?: RequestInit) => realFetch(`${origin}${path}`, { ...init, credentials: undefined }))
    vi.stubGlobal('Chart', class {})
    new Function(await (await realFetch(`${origin}/seglet/dashboard/dashboard.js`)).text())()
    await vi.waitFor(() => expect(document.querySelector('#traffic tbody')).not.toBeNull(), { timeout: 10_000 })
    const notice = document.getElementById('notice')!
    expect(notice.hidden).toBe(false)
    expect(notice.textContent).toMatch(/^Simulated figures: the reports of 300 simulated shoppers, not any shop's traffic/)
    expect(document.querySelector('#facts div dd')!.textContent).toBe('300')
  })
})

describe.skipIf(!present)('dashboard preview with training answers', () => {
  it('puts in the share of training answers it is given, which the dashboard counts as a retrain would', async () => {
    const preview = await startDashboard(loadPopulation(file), createShop(createRng(20261129)), { devices: 2000, epsilon: 2, seed: 3, port: 0, learnShare: 0.4 })
    try {
      expect(preview.stored).toBe(2000)
      const doc = (await (await fetch(new URL('/seglet/insights.json', preview.url))).json()) as {
        reports: number
        training: { status: string; network: string; store: string; answers: number; fitAnswers: number; checkAnswers: number; reason: string }
      }
      // Each report answers the training question with probability 0.4: 800 expected, sd 22.
      expect(doc.training.answers).toBeGreaterThan(700)
      expect(doc.training.answers).toBeLessThan(900)
      expect(doc.training.fitAnswers + doc.training.checkAnswers).toBe(doc.training.answers)
      // Spread over seven days, both kinds of day have answers.
      expect(doc.training.fitAnswers).toBeGreaterThan(0)
      expect(doc.training.checkAnswers).toBeGreaterThan(0)
      // Its store is in memory: the dashboard says no retrain can open it, once there are enough answers.
      expect(doc.training).toMatchObject({ status: 'waiting', network: 'session@1.0.0', store: 'memory' })
      expect(doc.training.reason).toBe(`${doc.training.answers.toLocaleString('en-US')} training answers from ${(doc as unknown as { from: string }).from} to ${(doc as unknown as { to: string }).to}; a retrain needs 20,000`)
    } finally {
      await preview.stop()
    }
  }, 120_000)
})
