// @vitest-environment node
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PROJECT_ROOT } from './data'
import { main as evaluate } from './evaluate'
import { main as train } from './train'
import { userFolder, userPath } from './userPath'

// The folder a data person typed the command in, as npm gives it (INIT_CWD) while running the script from the root.
let typedIn = ''
const standIn = () => {
  typedIn = mkdtempSync(join(tmpdir(), 'seglet-typed-in-'))
  vi.stubEnv('INIT_CWD', typedIn)
  return typedIn
}
afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  if (typedIn) rmSync(typedIn, { recursive: true, force: true })
  typedIn = ''
})

describe('userPath', () => {
  it('resolves a relative path against INIT_CWD, and against the current folder without it', () => {
    expect(userPath('./export.ndjson', { INIT_CWD: '/shop/seglet/training' })).toBe('/shop/seglet/training/export.ndjson')
    expect(userPath('../data/x.csv', { INIT_CWD: '/shop/seglet/training' })).toBe('/shop/seglet/data/x.csv')
    expect(userPath('/abs/export.ndjson', { INIT_CWD: '/shop/seglet/training' })).toBe('/abs/export.ndjson')
    expect(userPath('export.ndjson', {})).toBe(join(process.cwd(), 'export.ndjson'))
    expect(userFolder({ INIT_CWD: '' })).toBe(process.cwd())
  })
})

describe('paths typed in a subfolder', () => {
  it('train reads --events from the folder it was typed in', async () => {
    const dir = standIn()
    // Not an events file: the error names the file found beside the user, not a missing one at the project root.
    writeFileSync(join(dir, 'export.ndjson'), 'not events\n')
    const failure = await train(['--quick', '--only', 'session', '--events', './export.ndjson', '--time-zone', 'UTC']).catch((e: unknown) => e)
    expect(String(failure)).toContain(join(dir, 'export.ndjson'))
    expect(String(failure)).not.toMatch(/no such file|ENOENT/)
  })

  it('train reads --data and --lifetime-events, and checks --out, --report and --docs, from the folder it was typed in', async () => {
    const dir = standIn()
    const data = await train(['--quick', '--only', 'lifetime', '--data', 'public-data', '--time-zone', 'UTC']).catch((e: unknown) => e)
    expect(String(data)).toContain(`${join(dir, 'public-data')}/`)
    const orders = await train(['--quick', '--only', 'lifetime', '--lifetime-events', 'orders.csv', '--time-zone', 'UTC']).catch((e: unknown) => e)
    expect(String(orders)).toContain(join(dir, 'orders.csv'))
    writeFileSync(join(dir, 'taken'), 'a file\n')
    for (const option of ['--out', '--report', '--docs']) {
      const outputs: Record<string, string> = { '--out': 'models', '--report': 'report.html', '--docs': 'segments.md', [option]: option === '--out' ? 'taken' : 'taken/x' }
      const failure = await train(['--quick', '--data', 'nothing-here', ...Object.entries(outputs).flat()]).catch((e: unknown) => e)
      expect(String(failure)).toContain(`${option} ${join(dir, 'taken')}`)
    }
  })

  it('evaluate reads --pack and --data from the folder it was typed in', async () => {
    const dir = standIn()
    copyFileSync(join(PROJECT_ROOT, 'src/models/session.json'), join(dir, 'pack.json'))
    const failure = await evaluate(['--pack', 'pack.json', '--data', 'sessions.csv']).catch((e: unknown) => e)
    // The pack was found and read: what is missing is the data file, beside it.
    expect(String(failure)).toContain(join(dir, 'sessions.csv'))
    expect(String(failure)).not.toContain('pack.json')
  })
})
