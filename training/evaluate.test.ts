// @vitest-environment node
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ModelPack } from '../src/pack/types'
import { PROJECT_ROOT } from './data'
import { DataError, describeFailure } from './dataError'
import { main as evaluate } from './evaluate'
import { perTestFolders } from './testing/perTestFolders'

const tempDir = perTestFolders()
afterEach(() => {
  vi.restoreAllMocks()
})

/** The shipped session pack with `change` made to it, written to a new folder; gives the file's path. */
const changedPack = (change: (pack: ModelPack) => void): string => {
  const pack = JSON.parse(readFileSync(join(PROJECT_ROOT, 'src/models/session.json'), 'utf8')) as ModelPack
  change(pack)
  const path = join(tempDir('seglet-evaluate-'), 'session.json')
  writeFileSync(path, JSON.stringify(pack))
  return path
}

/** What `evaluate` threw, as the one line `run.mjs` prints for it (`undefined`: a stack trace). */
const failureOf = async (argv: string[]): Promise<{ error: unknown; line: string | undefined }> => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  const error = await evaluate(argv).then((code) => `exit ${code}`, (e: unknown) => e)
  return { error, line: describeFailure(error) }
}

describe('evaluate --pack of a pack whose features this SDK does not compute', () => {
  it.each([
    ['another feature version', (p: ModelPack) => void (p.featureSpec.version = 'session-2'), /featureSpec\.version|session-2/],
    ['another transform', (p: ModelPack) => void (p.featureSpec.transforms[0] = p.featureSpec.transforms[0] === 'log1p' ? 'identity' : 'log1p'), /transform/],
    ['a feature renamed', (p: ModelPack) => void (p.featureSpec.names[0] = 'page_count_renamed'), /page_count_renamed/],
  ])('%s: refused in one line naming the pack, before the data is read', async (_, change, says) => {
    const pack = changedPack(change)
    // The data file does not exist: a refusal about the pack shows that it was not read.
    const { error, line } = await failureOf(['--pack', pack, '--data', join(tempDir('seglet-no-data-'), 'missing.csv')])
    expect(error).toBeInstanceOf(DataError)
    expect(line).toMatch(new RegExp(`^${pack.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Model pack "session@1\\.0\\.0" does not match this SDK's features: `))
    expect(line).toMatch(says)
    expect(line).not.toContain('\n')
  })

  it('is refused in one line whatever the data, a shop\'s events as the public data set', async () => {
    const pack = changedPack((p) => void (p.featureSpec.version = 'session-2'))
    for (const data of [join(PROJECT_ROOT, 'training/fixtures/ga4-events.ndjson'), join(PROJECT_ROOT, '../shared/data/online_shoppers_intention.csv')]) {
      const { line } = await failureOf(['--pack', pack, '--data', data, '--time-zone', 'UTC'])
      expect(line).toMatch(/: Model pack "session@1\.0\.0" does not match this SDK's features: /)
    }
  })
})

describe('evaluate --data of a .gz file that is not whole gzip data', () => {
  const retail = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country', ...Array.from({ length: 400 }, (_, i) => `5363${String(i).padStart(2, '0')},85123A,MUG ${i},2,2011-03-02 08:26:00,2.55,${17850 + i},United Kingdom`)].join('\n') + '\n'

  it.each([
    ['cut short, as by a download that stopped', (whole: Buffer) => whole.subarray(0, Math.floor(whole.length / 2)), /: the file ends before its gzip data does \(it was cut short, as by a download that stopped\): get the whole file again$/],
    ['not gzip at all', () => Buffer.from(retail), /: not gzip data, though its name ends in \.gz \(.+\): give the file as it was exported, or without the \.gz ending if it is not compressed$/],
  ])('%s: refused in one line naming the file, not with a stack trace', async (_, bytes, says) => {
    const data = join(tempDir('seglet-evaluate-gz-'), 'online_retail.csv.gz')
    writeFileSync(data, bytes(gzipSync(retail)))
    const { error, line } = await failureOf(['--pack', join(PROJECT_ROOT, 'src/models/lifetime.json'), '--data', data])
    expect(error).toBeInstanceOf(DataError)
    expect(line).toMatch(says)
    expect(line!.startsWith(data)).toBe(true)
    expect(line).not.toContain('\n')
  })
})
