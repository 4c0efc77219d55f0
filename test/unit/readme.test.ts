// The README's npm snippet, run as written (read from README.md at test time) under jsdom + fake-indexeddb;
// the script-tag snippets run in Chromium (test/browser/readme.test.ts).
import { afterEach, describe, expect, it } from 'vitest'
import * as seglet from '../../src/index'
import { readmeSnippets, snippet } from '../browser/readmeSnippets'
import { checkPanelText, readPanelText } from '../../src/personalize/panelText'
import { parseReport } from '../../src/reports/parseReport'
import { addReport, createInsightSums, estimateInsights } from '../../src/reports/estimate'
import { PACK_COMMANDS_HELP } from '../../collector/packs/packCommands'
import { COLLECTOR_DEFAULTS, COLLECTOR_HELP } from '../../collector/cli/parseCollectorArgs'
import type { PanelText } from '../../src/personalize/panelText'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const running: Array<{ destroy(): Promise<void> }> = []
afterEach(async () => {
  for (const s of running.splice(0)) await s.destroy()
})

describe('README snippets', () => {
  it('has every marked block the tests run', () => {
    expect([...readmeSnippets().keys()].sort()).toEqual(['blocks', 'collector-try', 'csp-nonce', 'csp-nonce-tag', 'csp-self', 'css', 'npm', 'panel-text', 'queue-file', 'queue-tags', 'react', 'script-tag', 'upgrade-tag', 'vue'])
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
    expect(words.reason({ feature: 'product_pages', value: 8, delta: 1, text: '8 product pages viewed' })).toBe('8 Produktseiten angesehen')
    // Every id it renames is one a page can meet: the README's table of the shipped packs' segment ids.
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')
    const ids = new Set([...readme.matchAll(/^\| `([\w-]+)` \| (?:session|value) \|/gm)].map((m) => m[1]))
    expect(ids.size).toBeGreaterThan(5)
    for (const id of Object.keys(text?.segmentNames ?? {})) expect(ids, `segmentNames.${id}`).toContain(id)
  })

  it('the React and Vue examples type-check as copied, against the built package types', () => {
    // Written inside the package folder, so `seglet`, `seglet/react` and `seglet/vue` resolve as a shop's app
    // resolves them (node16 resolution, as Vite and webpack read it): through package.json's exports map to dist/*.d.ts (a self-reference).
    const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
    mkdirSync(join(root, 'tmp'), { recursive: true })
    const dir = mkdtempSync(join(root, 'tmp', 'readme-bindings-'))
    try {
      writeFileSync(join(dir, 'react.tsx'), snippet('react'))
      writeFileSync(join(dir, 'vue.ts'), snippet('vue'))
      const tsc = join(root, 'node_modules/typescript/bin/tsc')
      const args = ['--noEmit', '--strict', '--noUnusedLocals', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--lib', 'es2022,dom', '--jsx', 'react-jsx', '--types', 'react,react-dom', join(dir, 'react.tsx'), join(dir, 'vue.ts')]
      let output = ''
      try { execFileSync(process.execPath, [tsc, ...args], { cwd: root, encoding: 'utf8' }) } catch (error) { output = String((error as { stdout?: string }).stdout ?? error) }
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
    expect(readme.includes('its **Reports** count is 1, and every figure says "not enough reports yet"'), 'what the README says the dashboard shows').toBe(true)
    expect(readme.includes('it also shows figures, from that one report'), 'a figure promised from one report').toBe(false)
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
