// The README's npm snippet, run as written (read from README.md at test time) under jsdom + fake-indexeddb;
// the script-tag snippets run in Chromium (test/browser/readme.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as seglet from '../../src/index'
import { readmeSnippets, snippet } from '../browser/readmeSnippets'
import { checkPanelText, readPanelText } from '../../src/personalize/panelText'
import { parseReport } from '../../src/reports/parseReport'
import { addReport, createInsightSums, estimateInsights } from '../../src/reports/estimate'
import { PACK_COMMANDS_HELP } from '../../collector/packs/packCommands'
import { COLLECTOR_DEFAULTS, COLLECTOR_HELP } from '../../collector/cli/parseCollectorArgs'
import { finiteMechanism } from '../../src/reports/mechanisms/finite'
import { krrParams, krrVariance } from '../../src/reports/mechanisms/krr'
import { olhParams, olhVariance } from '../../src/reports/mechanisms/olh'
import { oueParams, oueVariance } from '../../src/reports/mechanisms/oue'
import { ARMS, QUESTIONS, domainSize } from '../../src/reports/schema'
import { encodeReport } from '../../src/reports/encodeReport'
import { SHIPPED_PACK_CONTEXT } from '../../src/reports/shippedPackContext'
import { seededRandom } from '../../sim/seededRandom'
import type { PanelText } from '../../src/personalize/panelText'
import type { SegletGlobal } from '../../src/script/globalTypes'
import { OPTION_TABLE } from '../../src/options/optionTable'
import { createReportEstimator } from '../../collector/estimates/createReportEstimator'
import { pageKeyListId } from '../../collector/estimates/pageKeyListId'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
// @ts-expect-error: plain ES module without types
import { typeErrors } from '../../scripts/typecheck.mjs'

const running: Array<{ destroy(): Promise<void> }> = []
afterEach(async () => {
  for (const s of running.splice(0)) await s.destroy()
})

describe('README snippets', () => {
  it('has every marked block the tests run', () => {
    expect([...readmeSnippets().keys()].sort()).toEqual(['blocks', 'collector-try', 'consent-cookiebot', 'consent-gtag', 'consent-onetrust', 'consent-shopify', 'csp-nonce', 'csp-nonce-tag', 'csp-self', 'css', 'encoded-patterns', 'global-ts', 'npm', 'panel-text', 'queue-file', 'queue-tags', 'react', 'script-tag', 'upgrade-tag', 'vue', 'window-event'])
    expect(() => readmeSnippets('<!-- readme-test: lost -->\ntext')).toThrow(/lost/)
  })

  it('the npm quick start runs as written: track, onSegment, unsubscribe', async () => {
    const code = snippet('npm')
    // The one line a bundler would resolve: `import { createSeglet } from 'seglet'`.
    const body = code.replace(/^import \{([^}]+)\} from 'seglet'$/m, 'const {$1} = __seglet')
    expect(body).not.toBe(code)
    const logged: unknown[][] = []
    const warned: unknown[][] = []
    const fakeConsole = { log: (...a: unknown[]) => logged.push(a), warn: (...a: unknown[]) => warned.push(a) }
    const run = new Function('__seglet', 'console', `${body}\nreturn { seglet, unsubscribe }`)
    const { seglet: instance, unsubscribe } = run(seglet, fakeConsole) as { seglet: seglet.Seglet; unsubscribe: () => void }
    running.push(instance)
    await expect.poll(() => logged.length, { timeout: 15_000 }).toBeGreaterThan(0)
    const [path, intent] = logged[0]
    expect(path).toEqual(instance.getSegment()!.path)
    expect(intent).toBeGreaterThanOrEqual(0)
    expect(intent).toBeLessThanOrEqual(1)
    expect(warned).toEqual([])
    await instance.flush()
    const data = await instance.exportData()
    expect(data.events.some((e) => e.type === 'add_to_cart' && e.productId === 'sku-42')).toBe(true)
    expect(typeof unsubscribe).toBe('function')
    unsubscribe()
  })

  it("lists every member of the script tag's window.Seglet where it says what SegletGlobal holds", () => {
    // Every key of the type, or this does not compile: a member added to the tag must be added here and to the README.
    const members: Record<keyof SegletGlobal, 'method' | 'class'> = {
      init: 'method', setConsent: 'method', onError: 'method', forget: 'method', destroy: 'method', track: 'method', getConsent: 'method',
      flush: 'method', getSegment: 'method', onSegment: 'method', explain: 'method', exportData: 'method', shopifyEvent: 'method',
      showPanel: 'method', hidePanel: 'method', isSegletError: 'method', SegletError: 'class', ValidationError: 'class', OptionsError: 'class',
    }
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8').replace(/\s+/g, ' ')
    const list = /`window\.Seglet` is typed as the tag's API \(`SegletGlobal`: (.*?)\), or `undefined`/.exec(readme)?.[1]
    expect(list).toBeDefined()
    const named = new Set([...list!.matchAll(/`(\w+)`/g)].map((m) => m[1]))
    for (const name of Object.keys(members)) expect(named, name).toContain(name)
    expect(list).toContain('the error classes')
  })

  it('the Options table names every option that Seglet accepts, in its group', () => {
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('\n## Options\n'), readme.indexOf('\n## Size\n'))
    const rows = new Map(section.split('\n').flatMap((line) => {
      const key = /^\| `(\w+)` \|/.exec(line)?.[1]
      return key ? [[key, line] as const] : []
    }))
    expect(rows.size).toBeGreaterThan(5)
    for (const [key, entry] of Object.entries(OPTION_TABLE)) {
      expect([...rows.keys()], key).toContain(key)
      if (typeof entry === 'object') for (const name of Object.keys(entry)) expect(rows.get(key), `${key}.${name}`).toContain('`' + name + '`')
    }
  })

  it('the panel words example is accepted as written, and renames segments the shipped packs have', () => {
    const given: Array<{ personalize?: { panelText?: PanelText } }> = []
    new Function('createSeglet', snippet('panel-text'))((options: (typeof given)[number]) => given.push(options))
    const text = given[0]?.personalize?.panelText
    const refused: string[] = []
    checkPanelText(text, 'personalize.panelText', (error) => refused.push(error.message))
    expect(refused).toEqual([])
    const words = readPanelText(text)
    expect(words.lang).toBe('de')
    expect(words.say('title')).toEqual({ text: 'Warum sehe ich das?', english: false })
    expect(words.say('downloaded', { fileName: 'seglet-data.json' }).text).toBe('Ihre Daten wurden als seglet-data.json heruntergeladen.')
    expect(words.reason({ feature: 'product_pages', value: 8, delta: 1, text: '8 shopping pages viewed' })).toBe('8 Einkaufsseiten angesehen')
    // Every id it renames is one a page can meet: the README's table of the shipped packs' segment ids.
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')
    const ids = new Set([...readme.matchAll(/^\| `([\w-]+)` \| (?:session|value) \|/gm)].map((m) => m[1]))
    expect(ids.size).toBeGreaterThan(5)
    for (const id of Object.keys(text?.segmentNames ?? {})) expect(ids, `segmentNames.${id}`).toContain(id)
  })

  it('the React, Vue and window event examples type-check as copied, against the built package types', () => {
    // Written inside the package folder, so `seglet`, `seglet/react` and `seglet/vue` resolve as a shop's app
    // resolves them (node16 resolution, as Vite and webpack read it): through package.json's exports map to dist/*.d.ts (a self-reference).
    const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
    mkdirSync(join(root, 'tmp'), { recursive: true })
    const dir = mkdtempSync(join(root, 'tmp', 'readme-bindings-'))
    try {
      writeFileSync(join(dir, 'react.tsx'), snippet('react'))
      writeFileSync(join(dir, 'vue.ts'), snippet('vue'))
      writeFileSync(join(dir, 'window-event.ts'), snippet('window-event'))
      const args = ['--noEmit', '--strict', '--noUnusedLocals', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--lib', 'es2022,dom', '--jsx', 'react-jsx', '--types', 'react,react-dom', join(dir, 'react.tsx'), join(dir, 'vue.ts'), join(dir, 'window-event.ts')]
      const output: string = typeErrors(args, root)
      expect(output).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it('the collector check posts a report the collector accepts, to the default port, dated today', () => {
    const code = snippet('collector-try')
    expect(code).toMatch(/^npm run collector -- --database memory: --min-reports 1\b/m)
    expect(code).toContain("curl -si -H 'Content-Type: application/json' http://127.0.0.1:8787/seglet/reports")
    // The shell splices today's UTC day into the body, as `date -u +%F` prints it.
    const quoted = /-d '(.*)'$/m.exec(code)?.[1]
    expect(quoted).toBeDefined()
    const today = new Date().toISOString().slice(0, 10)
    const body = quoted!.replace(`'"$(date -u +%F)"'`, today)
    expect(body).not.toContain('$(')
    const report = parseReport(JSON.parse(body))
    expect(report).toMatchObject({ day: today, epsilon: 2, packId: 'session@1.0.0+lifetime@1.0.0' })
  })

  it('says what the dashboard shows of that one report: a count of 1 and no figure yet, even with --min-reports 1', () => {
    const body = /-d '(.*)'$/m.exec(snippet('collector-try'))![1].replace(`'"$(date -u +%F)"'`, new Date().toISOString().slice(0, 10))
    const report = parseReport(JSON.parse(body))
    const insights = estimateInsights(addReport(createInsightSums(report, report.epsilon, []), report), { minReports: 1 })
    expect(insights.reports).toBe(1)
    const shown: string[] = []
    const walk = (value: unknown, path: string): void => {
      if (value === null || typeof value !== 'object') return
      if ('enough' in value && (value as { enough: unknown }).enough === true) shown.push(path)
      for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`)
    }
    walk(insights, 'insights')
    expect(shown).toEqual([])
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8').replace(/\s+/g, ' ')
    // One report answers one question: that question's figures have too few reports, every other one has none.
    expect(Object.values(insights.reportsByQuestion).filter((n) => n > 0)).toEqual([1])
    expect(readme.includes('its **Reports** count is 1, the figures of the one question it answers say "not enough reports yet" (the segment shares: this body answers the segment question, `"q":"seg"`), and every other figure "no reports"'), 'what the README says the dashboard shows').toBe(true)
    expect(readme.includes('it also shows figures, from that one report'), 'a figure promised from one report').toBe(false)
  })

  it("the collector check's one report shows on the dashboard as the README says: its figures \"not enough reports yet\"", async () => {
    // The README's command gives no --page-keys: the collector's estimator as that command builds it, over its body.
    const today = new Date().toISOString().slice(0, 10)
    const body = /-d '(.*)'$/m.exec(snippet('collector-try'))![1].replace(`'"$(date -u +%F)"'`, today)
    const estimator = createReportEstimator()
    const parsed = estimator.parse(JSON.parse(body))
    const group = estimator.groupOf(parsed)
    const rows = [...estimator.addUp(group, [parsed])].map(([counter, value]) => ({ ...group, counter, value }))
    const doc = estimator.insights(rows, { from: today, to: today, epsilon: 2, pageKeyLists: { [pageKeyListId([])]: [] } })
    // The dashboard's own script draws it (jsdom, the chart library stubbed).
    const root = join(dirname(fileURLToPath(import.meta.url)), '../../collector/dashboard/static')
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(root, 'index.html'), 'utf8'))![1]!
    vi.stubGlobal('fetch', async () => ({ ok: true, json: async () => doc }))
    vi.stubGlobal('Chart', class {})
    try {
      new Function(readFileSync(join(root, 'dashboard.js'), 'utf8'))()
      await vi.waitFor(() => expect(document.querySelector('#traffic tbody')).not.toBeNull())
      // A figure's cell, not the page's own words about such cells (a paragraph under a heading).
      const figures = [...document.querySelectorAll('main .na')].filter((cell) => !cell.closest('p')).map((cell) => cell.textContent)
      expect(figures).toContain('no reports')
      expect(figures, 'a figure of the question the report answers').toContain('not enough reports yet')
    } finally {
      vi.unstubAllGlobals()
      document.body.innerHTML = ''
    }
  })

  it('writes publish-pack with the options its help lists, each pack file optional as there', () => {
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')
    const help = /publish-pack ((?:\[[^\]]+\]\s*)+)/.exec(PACK_COMMANDS_HELP)![1]
    const listed = new Set([...help.matchAll(/--[\w-]+/g)].map((m) => m[0]))
    expect(listed).toContain('--session')
    const uses = [...readme.matchAll(/npm run collector -- publish-pack([^\n`]*)/g)].map((m) => m[1])
    expect(uses.length).toBeGreaterThan(1)
    for (const use of uses) {
      for (const [option] of use.matchAll(/--[\w-]+/g)) expect(listed, use).toContain(option)
      // A shop with only a Shopify export publishes a lifetime pack alone: neither pack file is required.
      expect(use, use).not.toMatch(/(^|[^[])--(session|lifetime) /)
    }
  })

  it("lists the collector's options as its --help does, with the defaults it uses", () => {
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')
    const table = readme.slice(readme.indexOf('| option | default | what |'))
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2)
    const documented: string[] = []
    const defaults = COLLECTOR_DEFAULTS as Record<string, string | number>
    for (const row of rows) {
      const [names, values] = row.split(' | ')
      const options = [...names.matchAll(/`(--[\w-]+)`/g)].map((m) => m[1])
      const given = [...values.matchAll(/`([^`]+)`/g)].map((m) => m[1])
      documented.push(...options)
      options.forEach((option, i) => {
        const key = option.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
        const value = defaults[key] ?? defaults[`${key}Minutes`]
        if (value !== undefined) expect(given[i], option).toBe(String(value))
      })
    }
    const helped = [...COLLECTOR_HELP.matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1]).filter((o) => o !== '--help')
    expect(documented.sort()).toEqual(helped.sort())
    expect(documented.length).toBeGreaterThan(20)
  })
})

describe('README figures on accuracy and privacy', () => {
  const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')
  /** The cells of the README table row whose first cell is `label`. */
  const row = (label: string): string[] => {
    const line = readme.split('\n').find((l) => l.startsWith(`| ${label} |`))
    expect(line, `README has a table row "${label}"`).toBeDefined()
    return line!.split('|').slice(2, -1).map((c) => c.trim())
  }
  /** "2,300" → 2300, "4.0 M" → 4,000,000. */
  const count = (cell: string) => {
    const m = /^([\d,.]+)( M)?$/.exec(cell)
    expect(m, `"${cell}" is a count`).not.toBeNull()
    return Number(m![1].replace(/,/g, '')) * (m![2] ? 1e6 : 1)
  }
  /** Rounded to two significant figures, as the README states traffic. */
  const twoFigures = (x: number) => {
    const unit = 10 ** (Math.floor(Math.log10(x)) - 1)
    return Math.round(x / unit) * unit
  }

  it('the accuracy table states the metrics measured on the shipped packs', () => {
    const models = join(dirname(fileURLToPath(import.meta.url)), '../../src/models')
    const metrics = (name: string) => JSON.parse(readFileSync(join(models, name), 'utf8')).metrics as Record<string, number>
    const session = metrics('session.json')
    const lifetime = metrics('lifetime.json')
    expect(row('purchase intent, ROC AUC, with page statistics')[0]).toBe(session.intentRocAuc.toFixed(3))
    expect(row('purchase intent, ROC AUC, without page statistics')[0]).toBe(session.intentRocAucNoStats.toFixed(3))
    expect(row("purchase intent, accuracy at the pack's threshold")[0]).toBe(session.intentAccuracy.toFixed(3))
    expect(row('repeat purchase in 90 days, ROC AUC')[0]).toBe(lifetime.repeatRocAuc.toFixed(3))
    expect(row('segment head agrees with k-means')[0]).toBe(
      `${(session.segmentAgreement * 100).toFixed(1)}% (session), ${(lifetime.segmentAgreement * 100).toFixed(1)}% (lifetime)`,
    )
  })

  it("the variance table is the mechanisms' own variance of one report", () => {
    const rounded = (v: number) => (v >= 1 ? v.toFixed(2) : v.toPrecision(v >= 0.1 ? 3 : 2))
    for (const epsilon of [1, 2, 4]) {
      const olh = olhParams(epsilon)
      const e = Math.exp(epsilon)
      expect(row(String(epsilon))).toEqual([
        rounded(krrVariance(krrParams(5, epsilon))),
        rounded(krrVariance(krrParams(10, epsilon))),
        rounded(oueVariance(oueParams(10, epsilon))),
        `${rounded(olhVariance(olh))} (g = ${olh.g})`,
        rounded((e + 1) ** 2 / (e - 1) ** 2),
      ])
    }
    // Hadamard response against OLH, which page keys use.
    const hadamard = [1, 2, 4].map((epsilon) => ((Math.exp(epsilon) + 1) / (Math.exp(epsilon) - 1)) ** 2 / olhVariance(olhParams(epsilon)))
    expect(readme.replace(/\s+/g, ' ')).toContain(
      `Hadamard response costs less to decode but has ${Math.min(...hadamard).toFixed(1)}–${Math.max(...hadamard).toFixed(0)}× the variance at these ε`,
    )
    // Training answers: OLH at ε = 2 per table cell, against a privatised gradient and k-RR over a table's cells.
    const flat = readme.replace(/\s+/g, ' ')
    const olh2 = olhVariance(olhParams(2)).toFixed(2)
    expect(flat).toContain(`Var₁ ≈ ${olh2} at ε = 2`)
    expect(flat).toContain(`variance about ${olh2} · T per cell per report`)
    expect(flat).toContain(`about ${(((Math.exp(2) + 1) / (Math.exp(2) - 1)) ** 2).toFixed(1)} · d at ε = 2`)
    expect(flat).toContain(`is ${krrVariance(krrParams(81, 2)).toFixed(1)} at d = 81 and ε = 2 against OLH's ${olh2} at any d`)
    expect(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../training/README.md'), 'utf8')).toContain(`about ${olh2} × T at ε = 2`)
    // One question at ε answered by its share of browsers, against all eight at ε/8 each.
    const share = QUESTIONS.find((q) => q.id === 'segment')!.weight
    const worse = (epsilon: number) => krrVariance(krrParams(5, epsilon / 8)) / (krrVariance(krrParams(5, epsilon)) / share)
    const split = krrVariance(krrParams(5, 2 / 8)).toFixed(1)
    const full = krrVariance(krrParams(5, 2)) / share
    expect(readme.replace(/\s+/g, ' ')).toContain(
      `per browser is ${split} (k-RR at ε/8) against ${rounded(krrVariance(krrParams(5, 2)))} / ${share.toFixed(2)} = ${full.toFixed(2)} (k-RR at ε, answered by ${share * 100}% of browsers) — ${worse(2).toFixed(0)} times worse; at ε = 1 and 4 it is ${worse(1).toFixed(0)} and ${worse(4).toFixed(0)} times worse.`,
    )
  })

  it("states how much a forged report weighs, and how far 1,000 of them can move a segment share, from the mechanisms' own parameters", () => {
    const finite = (['segment', 'value', 'outcome', 'order', 'arm'] as const).map((q) => finiteMechanism(domainSize(q, SHIPPED_PACK_CONTEXT), 2))
    const olh = olhParams(2)
    const weights = [...finite.map((m) => 1 / (m.p - m.q)), 1 / ((1 - olh.kappa) * (olh.p - olh.q))]
    const segment = weights[0]!
    const flat = readme.replace(/\s+/g, ' ')
    expect(flat).toContain(`a forged report weighs ${Math.min(...weights).toFixed(1)}–${Math.max(...weights).toFixed(1)} times an honest one at ε = 2 (the shipped packs' questions; ${segment.toFixed(1)} for the segment question)`)
    // 1,000 forged answers to the segment question, each moving its count by 1/(p − q), against the segment answers of
    // 20,000 honest reports (the question's weight) and the forged ones: the share moves by about their ratio.
    const share = QUESTIONS.find((q) => q.id === 'segment')!.weight
    const moved = (1000 * segment) / (20000 * share + 1000)
    expect(flat).toContain(`may move a segment share by up to ~${moved.toFixed(1)}.`)
  })

  it('a report of the shipped packs at ε = 2 is as long as the README says, whatever the session', () => {
    const stated = Number(/One JSON body of fixed size \((\d+) bytes for the shipped packs at ε = 2/.exec(readme)?.[1])
    const random = seededRandom(5)
    const lengths = new Set<number>()
    for (const valuePages of [['home', 'product/1'], []]) {
      for (let i = 0; i < 500; i++) {
        const ordered = i % 3 === 0
        const n = 1 + (i % 14)
        const pages = Array.from({ length: n }, (_, k) => ({ key: `product/${(i * 7 + k) % 97}`, bounced: n === 1, exited: k === n - 1, orderFollowed: ordered }))
        const truth = { segmentLeaf: i % 5 === 4 ? null : i % 4, valueSegment: i % 5 === 4 ? null : i % 4, ordered, orderValueBucket: ordered ? i % 6 : 0, arm: ARMS[i % 3]!, pages }
        lengths.add(JSON.stringify(encodeReport(truth, SHIPPED_PACK_CONTEXT, { epsilon: 2, day: '2026-11-29', random, valuePages })).length)
      }
    }
    expect([...lengths]).toEqual([stated])
  })

  it('the traffic each answer needs is where the collector starts to show it', () => {
    // Reports at the question weights, holding exactly their expected answers: the least traffic at which the
    // collector's own estimator marks the cell shown (`enough`), or, for a lift, its interval no wider than itself.
    const weight = (id: string) => QUESTIONS.find((q) => q.id === id)!.weight
    const answers = (truth: number[], epsilon: number, n: number) => {
      const m = finiteMechanism(truth.length, epsilon)
      return { n, counts: truth.map((f) => n * (f * m.p + (1 - f) * m.q)) }
    }
    const insightsAt = (reports: number, epsilon: number, segment: number, arms: [number, number]) => {
      const sums = createInsightSums({ packId: 'figures@1', segmentLeaves: 4, valueLeaves: 4 }, epsilon)
      sums.reports = reports
      const rest = (1 - segment) / 4
      Object.assign(sums.segment, answers([segment, rest, rest, rest, rest], epsilon, weight('segment') * reports))
      const ordering = 0.15
      Object.assign(sums.outcome, answers([segment * (1 - ordering), segment * ordering, ...new Array<number>(8).fill(rest / 2)], epsilon, weight('outcome') * reports))
      const [treatment, holdout] = arms
      Object.assign(sums.arm, answers([0.9 * (1 - treatment), 0.9 * treatment, 0.1 * (1 - holdout), 0.1 * holdout, 0, 0], epsilon, weight('arm') * reports))
      return estimateInsights(sums)
    }
    const least = (shown: (reports: number) => boolean) => {
      let low = 10
      let high = 1e10
      for (let i = 0; i < 80; i++) {
        const mid = Math.sqrt(low * high)
        if (shown(mid)) high = mid
        else low = mid
      }
      return high
    }
    const cases: Array<[string, (epsilon: number) => number]> = [
      ...[30, 10, 5, 2].map((p): [string, (epsilon: number) => number] => [
        p === 30 ? 'a segment of 30% of sessions' : `a segment of ${p}%`,
        (epsilon) => least((n) => insightsAt(n, epsilon, p / 100, [0.15, 0.1]).segments[0]!.share.enough),
      ]),
      ...[30, 10, 5].map((p): [string, (epsilon: number) => number] => [
        p === 30 ? 'conversion of a segment of 30% of sessions (15% of it ordering)' : `conversion of a segment of ${p}% (15% ordering)`,
        (epsilon) => least((n) => insightsAt(n, epsilon, p / 100, [0.15, 0.1]).segments[0]!.conversion.enough),
      ]),
      ...([['lift of 5 conversion points resolved (10% holdout; 15% conversion against 10%)', 0.1], ['lift of 2 points (15% against 13%)', 0.13]] as const).map(
        ([label, holdout]): [string, (epsilon: number) => number] => [
          label,
          (epsilon) => least((n) => {
            const d = insightsAt(n, epsilon, 0.3, [0.15, holdout]).lift.difference
            return d.high - d.low <= d.value
          }),
        ],
      ),
    ]
    for (const [label, needed] of cases) {
      const stated = row(label).map(count)
      expect.soft(stated, label).toEqual([1, 2, 4].map((epsilon) => twoFigures(needed(epsilon))))
    }
  })

  it("the traffic table's page rows are the simulation's figures below it, rounded", () => {
    // The table of sessions from which page figures are published, by band of view share, is the output of the
    // default `npm run simulate -- --scenario insights`; the traffic table rounds its ≥ 5% and 1–2% bands.
    const round = (x: number, figures: number) => {
      const unit = 10 ** (Math.floor(Math.log10(x)) - figures + 1)
      return Math.round(x / unit) * unit
    }
    const band = (label: string, column: number) => count(row(label)[column].replace(/ \(\d+\)$/, ''))
    const cases: Array<[string, string, number]> = [
      ['bounce and exit rate published, a page with ≥ 5% of views', 'bounce and exit', 0],
      ['bounce and exit rate published, a page with 1–2% of views', 'bounce and exit', 2],
      ['page value shown and published, a listed page with ≥ 5% of views', 'page value', 0],
      ['page value shown and published, a listed page with 1–2% of views', 'page value', 2],
    ]
    for (const [label, kind, column] of cases) {
      row(label).map(count).forEach((stated, i) => {
        const measured = band(`${[1, 2, 4][i]}, ${kind}`, column)
        expect.soft([round(measured, 2), round(measured, 3)], `${label} at ε = ${[1, 2, 4][i]}`).toContain(stated)
      })
    }
  })
})
