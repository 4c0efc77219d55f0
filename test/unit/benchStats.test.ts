// @vitest-environment node
// The statistics every benchmark prints (bench/lib/stats.mjs): the figures in README.md and docs/performance.md.
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { parseArgs, summarize } from '../../bench/lib/stats.mjs'
// @ts-expect-error: plain ES module without types
import { inRoundOrder, summarizeFunctions, THEME_SCRIPT } from '../../bench/peers.mjs'
// @ts-expect-error: plain ES module without types
import { answer, PAGES, served, VARIANTS } from '../../bench/lib/peerPages.mjs'

describe('summarize', () => {
  it('gives the middle value of an odd count', () => {
    expect(summarize([5, 1, 3])).toMatchObject({ n: 3, median: 3, min: 1, max: 5 })
  })

  it('gives the mean of the two middle values of an even count', () => {
    // 10 batches of a tracking call, 2 rounds of `--quick`, 50 page loads: even counts, not the lower half's top.
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5)
    expect(summarize([20, 10]).median).toBe(15)
    expect(summarize(Array.from({ length: 50 }, (_, i) => i + 1)).median).toBe(25.5)
  })

  it('takes percentiles by nearest rank: with fewer than 100 samples p99 is the largest', () => {
    const s = summarize(Array.from({ length: 50 }, (_, i) => 50 - i))
    expect(s).toMatchObject({ n: 50, p90: 45, p99: 50, max: 50, mean: 25.5 })
    expect(summarize(Array.from({ length: 200 }, (_, i) => i + 1)).p99).toBe(198)
  })

  it('sorts numerically and leaves out missing values', () => {
    expect(summarize([10, -2, 9, NaN, undefined, 100])).toMatchObject({ n: 4, median: 9.5, min: -2, max: 100 })
    expect(summarize([])).toEqual({ n: 0 })
  })
})

describe('summarizeFunctions (the functions an SDK ran, from precise coverage)', () => {
  it('counts the source of nested functions once, so it never exceeds the script', () => {
    const core = 'http://127.0.0.1/dist/seglet.min.js'
    const bridges = 'http://127.0.0.1/dist/seglet-bridges.min.js'
    // A 1,000-byte script-tag file wrapped in one function, as the build makes it, and a second file.
    const functions = [
      { url: core, name: '', start: 1, end: 1000, count: 1 },
      { url: core, name: 'init', start: 10, end: 410, count: 1 },
      { url: core, name: 'track', start: 20, end: 120, count: 3 },
      { url: core, name: 'unused', start: 500, end: 600, count: 0 },
      { url: bridges, name: '', start: 1, end: 300, count: 1 },
    ]
    expect(summarizeFunctions(functions)).toEqual({ count: 4, sourceBytes: 999 - 400 - 100 + 300 + 100 + 299, calledMoreThanOnce: 1 })
  })
})

describe('inRoundOrder', () => {
  it('loads each variant at each position of a round equally often', () => {
    const variants = ['none', 'seglet', 'growthbook', 'segment', 'posthog']
    const rounds = Array.from({ length: 15 }, (_, round) => inRoundOrder(variants, round))
    for (const order of rounds) expect([...order].sort()).toEqual([...variants].sort())
    for (const variant of variants) {
      const positions = rounds.map((order) => order.indexOf(variant))
      for (let p = 0; p < variants.length; p++) expect(positions.filter((x) => x === p)).toHaveLength(3)
    }
  })
})

describe('bench flags', () => {
  it('reads --hint and --theme-script, and names the known flags for an unknown one', () => {
    expect(parseArgs(['--hint', '--theme-script', '--rounds=4'])).toMatchObject({ hint: true, themeScript: true, rounds: 4 })
    expect(parseArgs([])).toMatchObject({ hint: false, themeScript: false })
    expect(() => parseArgs(['--hints'])).toThrow(/--hint, --theme-script/)
  })
})

describe('the peer pages (bench:peers -- --hint --theme-script)', () => {
  const url = (path: string) => new URL('http://127.0.0.1:41999' + path)
  const text = (response: { body: string | Buffer }) => String(response.body)

  it("run the theme's script before the SDK's tag only when asked, on every page", () => {
    try {
      for (const page of Object.values(PAGES) as Array<{ path: string }>) {
        expect(text(answer(url(page.path), 'seglet'))).not.toContain(THEME_SCRIPT)
        served.themeScript = THEME_SCRIPT
        const html = text(answer(url(page.path), 'seglet'))
        expect(html.indexOf(`<script>${THEME_SCRIPT}</script>`)).toBeGreaterThan(0)
        expect(html.indexOf(THEME_SCRIPT)).toBeLessThan(html.indexOf(VARIANTS.seglet.head))
        served.themeScript = ''
      }
    } finally {
      served.themeScript = ''
    }
  })

  it('serve the core without its hint at /nohint/, and its parts from dist/', () => {
    try {
      served.noHintCore = '(function(){})()'
      expect(text(answer(url('/nohint/seglet.min.js'), 'segletNoHint'))).toBe('(function(){})()')
      expect(VARIANTS.segletNoHint.files.test('/nohint/seglet-bridges.min.js')).toBe(true)
      expect(VARIANTS.seglet.files.test('/nohint/seglet.min.js')).toBe(false)
    } finally {
      served.noHintCore = ''
    }
  })
})
