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
