import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEFAULT_DATA_DIR, SHOPPERS_FILE } from '../training/data'
import { createRng } from '../training/rng'
import { retrainSaid, startDashboard, type DashboardPreview } from './dashboard'
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

describe.skipIf(!present)('dashboard preview with a retrain', () => {
  it("runs the collector's retrain on its own answers, and says in the banner what it did and that no pack was written", async () => {
    // 2,000 browsers, 800 training answers expected: a retrain that fits from 400 (and checks on a quarter of that).
    const preview = await startDashboard(loadPopulation(file), createShop(createRng(20261129)), { devices: 2000, epsilon: 2, seed: 3, port: 0, learnShare: 0.4, minAnswers: 400, retrain: true })
    try {
      const doc = (await (await fetch(new URL('/seglet/insights.json', preview.url))).json()) as { notice: string; training: { status: string; answers: number; minAnswers: number } }
      const result = preview.retrain!
      // The retrain counted the answers the dashboard counts, by the same fewest answers.
      expect(doc.training).toMatchObject({ status: 'ready', minAnswers: 400, answers: result.answers })
      // It fitted and checked a candidate: accepted or kept, by the held-out AUCs of the shipped pack and the candidate.
      expect(['published', 'kept']).toContain(result.status)
      expect(result.heldOut!.current).toBeGreaterThan(0.5)
      expect(result.heldOut!.candidate).toBeGreaterThan(0.5)
      expect(result.reason).toContain(`held-out AUC ${result.heldOut!.current.toFixed(4)}`)
      // Accepted, the pack carries a correction fitted on these answers; nothing was written anywhere.
      if (result.status === 'published') {
        expect(result.pack.intentCorrection).toBeDefined()
        expect(result.pack.metrics.privateTraining).toMatchObject({ answers: result.answers, epsilon: 2 })
        expect(result.written).toBe('nothing (simulated answers)')
      }
      expect(doc.notice).toMatch(/^Simulated figures: the reports of 2,000 simulated shoppers, not any shop's traffic/)
      expect(doc.notice.endsWith(` ${retrainSaid(result)}`)).toBe(true)
      expect(retrainSaid(result)).toMatch(/^A retrain on these simulated answers, from the shipped session pack: (accepted|kept) \([\d,]+ training answers\): .+\. No pack was written, as the answers are simulated\.$/)
    } finally {
      await preview.stop()
    }
  }, 120_000)

  it('says a retrain that waits for answers, and why, as retrain itself says it', async () => {
    // 300 browsers, about 120 answers: short of the 20,000 a retrain needs by default.
    const preview = await startDashboard(loadPopulation(file), createShop(createRng(20261129)), { devices: 300, epsilon: 2, seed: 3, port: 0, learnShare: 0.4, retrain: true })
    try {
      const result = preview.retrain!
      expect(result.status).toBe('waiting')
      expect(result.reason).toMatch(/^[\d,]+ training answers from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d; a retrain needs 20,000$/)
      const doc = (await (await fetch(new URL('/seglet/insights.json', preview.url))).json()) as { notice: string }
      // The count is said once, in the reason.
      expect(doc.notice.endsWith(` A retrain on these simulated answers, from the shipped session pack: waiting: ${result.reason}. No pack was written, as the answers are simulated.`)).toBe(true)
    } finally {
      await preview.stop()
    }
  }, 120_000)
})
