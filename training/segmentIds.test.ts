// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { PROJECT_ROOT } from './data'
import { LEARN_TABLES } from '../src/reports/learn/schema'
import { packLabelsOf } from '../src/reports/recordDecision'
import { packContextOf } from '../src/reports/sessionRecord'
import { SHIPPED_PACK_CONTEXT } from '../src/reports/shippedPackContext'
import type { ReportContext } from '../src/reports/types'
import { CONTEXT_FILE, IDS_END, IDS_FILES, IDS_START, main, readShippedPacks, replaceIdsTable, segmentIdsMarkdown, shippedContextModule } from './segmentIds'

describe('segment ids table', () => {
  const { session, lifetime } = readShippedPacks()
  const table = segmentIdsMarkdown(session, lifetime)

  it.each(IDS_FILES)('%s lists the ids of the shipped packs (npm run segment-ids rewrites it)', (file) => {
    const text = readFileSync(join(PROJECT_ROOT, file), 'utf8')
    expect(replaceIdsTable(text, table)).toBe(text)
  })

  it(`${CONTEXT_FILE} holds the shipped packs' report context (npm run segment-ids rewrites it)`, () => {
    expect(readFileSync(join(PROJECT_ROOT, CONTEXT_FILE), 'utf8')).toBe(shippedContextModule(session, lifetime))
    expect(SHIPPED_PACK_CONTEXT).toMatchObject({
      packId: `session@${session.version}+lifetime@${lifetime.version}`,
      segmentLeaves: (session.heads.segment as { labels: string[] }).labels.length,
      valueLeaves: (lifetime.heads.segment as { labels: string[] }).labels.length,
    })
  })

  it('the shipped context lists the training tables of a session pack that lists some, as a recorded decision does', () => {
    const listing = { ...session, learnTables: [LEARN_TABLES[5].id, LEARN_TABLES[1].id] }
    const module = shippedContextModule(listing, lifetime)
    const context = JSON.parse(module.match(/SHIPPED_PACK_CONTEXT: ReportContext = (.*)$/m)![1]) as ReportContext
    expect(context.learnTables).toEqual([1, 5])
    expect(context).toEqual(packContextOf(packLabelsOf(listing), packLabelsOf(lifetime)))
    expect(JSON.parse(shippedContextModule(session, lifetime).match(/= (.*)$/m)![1])).not.toHaveProperty('learnTables')
  })

  it('lists every leaf label and branch of both trees, and the cold-start id', () => {
    const ids = [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1])
    for (const pack of [session, lifetime]) {
      const head = pack.heads.segment as { labels: string[] }
      for (const label of head.labels) expect(ids).toContain(label)
    }
    expect(ids).toContain('new-visitor')
    expect(ids).toContain('engaged')
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('npm run segment-ids takes no options: one given is refused with the usage, before any file is rewritten', async () => {
    const errors: string[] = []
    const error = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      expect(await main(['--check'])).toBe(2)
      expect(errors[0]).toMatch(/^seglet segment-ids: .*'--check'/)
      expect(errors[1]).toMatch(/^usage: npm run segment-ids/)
      expect(write).not.toHaveBeenCalled()
    } finally {
      error.mockRestore()
      write.mockRestore()
    }
  })

  it('refuses a file without the markers', () => {
    expect(() => replaceIdsTable('# nothing here', table)).toThrow(IDS_START)
    expect(replaceIdsTable(`a\n${IDS_START}\nold\n${IDS_END}\nb`, 'T')).toBe('a\nT\nb')
  })
})

describe('ids used in the docs exist', () => {
  it('every data-seglet-show / -hide id in README.md and the demo shop is a real id', () => {
    const { session, lifetime } = readShippedPacks()
    const known = new Set([...segmentIdsMarkdown(session, lifetime).matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]))
    const files = ['README.md', 'docs/segments.md', ...demoFiles()]
    for (const file of files) {
      const text = readFileSync(join(PROJECT_ROOT, file), 'utf8')
      for (const m of text.matchAll(/data-seglet-(?:show|hide)="([^"<>]*)"/g)) {
        for (const id of m[1].split(/[\s,]+/).filter(Boolean)) {
          if (id === '…' || id.startsWith('<')) continue
          expect(known, `${file}: ${m[0]}`).toContain(id)
        }
      }
    }
  })
})

function demoFiles(): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(join(PROJECT_ROOT, dir))) {
      const rel = `${dir}/${name}`
      if (statSync(join(PROJECT_ROOT, rel)).isDirectory()) walk(rel)
      else if (/\.(html|js)$/.test(name)) out.push(rel)
    }
  }
  walk('examples/storefront')
  return out
}
