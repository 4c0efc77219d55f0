// @vitest-environment node
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ModelPack } from '../src/pack/types'
import { PROJECT_ROOT } from './data'
import { DataError } from './dataError'
import { main as train } from './train'
import { perTestFolders } from './testing/perTestFolders'

const tempDir = perTestFolders()
const FIXTURES = join(PROJECT_ROOT, 'training/fixtures')
afterEach(() => {
  vi.restoreAllMocks()
})

/** What a `train` run on a shop's files wrote: both packs, the segments document and the report, as text. */
interface Written { session: string; lifetime: string; docs: string; report: string }

describe("packs trained on a shop's own files", () => {
  // The same fixtures, copied into two folders of different depth: the same data, read from elsewhere.
  const root = mkdtempSync(join(tmpdir(), 'seglet-shop-data-'))
  const savedTz = process.env.TZ
  const runs: Written[] = []
  const trainIn = async (dir: string): Promise<Written> => {
    mkdirSync(dir, { recursive: true })
    for (const name of ['ga4-events.ndjson', 'shopify-orders.csv']) copyFileSync(join(FIXTURES, name), join(dir, name))
    const out = join(dir, 'out')
    const code = await train(['--quick', '--events', join(dir, 'ga4-events.ndjson'), '--time-zone', 'UTC', '--lifetime-events', join(dir, 'shopify-orders.csv'),
      '--out', out, '--report', join(out, 'report.html'), '--docs', join(out, 'segments.md')])
    expect(code).toBe(0)
    const read = (name: string) => readFileSync(join(out, name), 'utf8')
    return { session: read('session.json'), lifetime: read('lifetime.json'), docs: read('segments.md'), report: read('report.html') }
  }
  beforeAll(async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      runs.push(await trainIn(join(root, 'shop')), await trainIn(join(root, 'elsewhere', 'exports', 'march')))
    } finally {
      write.mockRestore()
    }
  }, 180_000)
  afterAll(() => {
    rmSync(root, { recursive: true, force: true })
    if (savedTz === undefined) delete process.env.TZ
    else process.env.TZ = savedTz
  })

  it('name each file by its base name, so the same data in another folder gives byte-identical packs', () => {
    const [here, there] = runs
    expect(there.session).toBe(here.session)
    expect(there.lifetime).toBe(here.lifetime)
    expect(there.docs).toBe(here.docs)
    const session = JSON.parse(here.session) as ModelPack
    const lifetime = JSON.parse(here.lifetime) as ModelPack
    expect(session.provenance.dataset).toBe('GA4 BigQuery export ga4-events.ndjson')
    expect(lifetime.provenance.dataset).toMatch(/^Shopify orders export shopify-orders\.csv \(cutoff \d{4}-\d{2}-\d{2}\)$/)
    // No folder of the machine that trained them, in anything it wrote.
    for (const run of runs) for (const text of Object.values(run)) expect(text).not.toContain(root)
  })

  it('say they come from the shop\'s own data, never from public data: the packs\' first line and the segments document', () => {
    const [{ session, lifetime, docs }] = runs
    expect((JSON.parse(session) as ModelPack).$comment).toBe("GENERATED FILE, do not edit. Written by `npm run train` (training/train.ts) from a shop's own data (GA4 BigQuery export ga4-events.ndjson); rerun it to rebuild.")
    expect((JSON.parse(lifetime) as ModelPack).$comment).toContain("from a shop's own data (Shopify orders export shopify-orders.csv)")
    for (const text of [session, lifetime, docs]) expect(text).not.toMatch(/public data|UCI|GBP/)
    // The ids table is the run's own: `npm run segment-ids` rewrites the project's files only.
    expect(docs).not.toContain('npm run segment-ids')
    expect(docs).not.toContain('Seglet ships')
    expect(docs).toContain("the session tree from the shop's own data (GA4 BigQuery export ga4-events.ndjson) and the value tree from the shop's own data (Shopify orders export shopify-orders.csv)")
    expect(docs).toContain('## Session segments (GA4 BigQuery export ga4-events.ndjson)')
    expect(docs).toContain('## Lifetime value segments (Shopify orders export shopify-orders.csv)')
    // The fixtures' orders are in euros.
    expect(docs).toContain('Medians over the training rows of each cluster (days, and amounts in EUR as in the data).')
    expect(docs).toMatch(/^\| id \| kind \| inside \| what it means \|$/m)
  })
})

describe('an orders file whose format cannot be told', () => {
  it('names the option that sets the format of the file being read: --lifetime-format for --lifetime-events', async () => {
    const dir = tempDir('seglet-format-')
    // A Shopify export without its Name column: neither a Shopify export nor any other format the loaders know.
    const [comment, header, ...rows] = readFileSync(join(FIXTURES, 'shopify-orders.csv'), 'utf8').trim().split('\n')
    const drop = (line: string) => line.split(',').slice(1).join(',')
    const file = join(dir, 'noname.csv')
    writeFileSync(file, [comment, drop(header), ...rows.map(drop)].join('\n') + '\n')
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const error = await train(['--quick', '--only', 'lifetime', '--lifetime-events', file, '--time-zone', 'UTC']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DataError)
    expect((error as Error).message).toBe(`${file}: cannot tell its format; pass --lifetime-format ga4, shopify or seglet`)
    // Two files, read as one export: the same.
    const second = join(dir, 'noname-2.csv')
    writeFileSync(second, [drop(header), rows.map(drop)[0]].join('\n') + '\n')
    const several = await train(['--quick', '--only', 'lifetime', '--lifetime-events', file, '--lifetime-events', second, '--time-zone', 'UTC']).catch((e: unknown) => e)
    expect(several).toBeInstanceOf(DataError)
    expect((several as Error).message).toBe(`${file}: cannot tell its format; pass --lifetime-format ga4, shopify or seglet`)
  })
})
