// @vitest-environment node
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PROJECT_ROOT } from './data'
import { main as evaluate } from './evaluate'
import { main as train } from './train'
import { describeFailure } from './dataError'
import { shortenPaths, userFolder, userPath } from './userPath'

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

describe('the one line printed names paths as they were typed', () => {
  it.each([
    ['a file in the folder', '/shop/seglet/docs/x.csv: no such file', 'x.csv: no such file'],
    ['a file above it', '/shop/seglet/README.md: not a model pack', '../README.md: not a model pack'],
    ['two paths', '--docs /shop/seglet/docs/taken/x: /shop/seglet/docs/taken is a file', '--docs taken/x: taken is a file'],
    ['a path far away, shorter absolute', '/tmp/x.csv: no such file', '/tmp/x.csv: no such file'],
    ['the folder itself', '--out /shop/seglet/docs: a file', '--out .: a file'],
    ['a URL, a ratio', 'see https://example.com/a/b, 3 / 4', 'see https://example.com/a/b, 3 / 4'],
  ])('%s', (_, line, shown) => {
    expect(shortenPaths(line, { INIT_CWD: '/shop/seglet/docs' })).toBe(shown)
  })

  it('by evaluate and train run in a subfolder', async () => {
    const root = standIn()
    const dir = join(root, 'docs')
    mkdirSync(dir)
    vi.stubEnv('INIT_CWD', dir)
    vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    copyFileSync(join(PROJECT_ROOT, 'src/models/session.json'), join(dir, 'pack.json'))
    writeFileSync(join(root, 'README.md'), '# not a pack\n')
    const line = async (run: Promise<unknown>) => describeFailure(await run.catch((e: unknown) => e))
    expect(await line(evaluate(['--pack', 'pack.json', '--data', './sessions.csv']))).toBe('sessions.csv: no such file')
    expect(await line(evaluate(['--pack', '../README.md', '--data', 'x.csv']))).toMatch(/^\.\.\/README\.md: not a model pack \(/)
    writeFileSync(join(dir, 'taken'), 'a file\n')
    const outputs = ['--out', 'models', '--report', 'report.html', '--data', 'nothing-here']
    expect(await line(train(['--quick', ...outputs, '--docs', 'taken/segments.md']))).toBe('--docs taken/segments.md: taken is a file, not a folder')
  })
})

describe('progress lines', () => {
  it('name the files as typed, relative to the folder the command was typed in, as its refusals do', async () => {
    const dir = standIn()
    const out: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true))
    for (const file of ['ga4-events.ndjson', 'shopify-orders.csv']) copyFileSync(join(PROJECT_ROOT, 'training/fixtures', file), join(dir, file))
    expect(await train(['--quick', '--events', 'ga4-events.ndjson', '--time-zone', 'UTC', '--lifetime-events', './shopify-orders.csv',
      '--out', 'models', '--report', 'report.html', '--docs', 'segments.md'])).toBe(0)
    const trained = out.join('')
    expect(trained).toContain('  ga4-events.ndjson: ga4 format, ')
    expect(trained).toContain('  shopify-orders.csv: shopify format, ')
    expect(trained).toMatch(/^wrote models\/session\.json \(.*\), models\/lifetime\.json \(.*\), report\.html, segments\.md in \d+ s$/m)
    // The tag keeps the site's URLs, which are no paths on this machine.
    expect(trained).toContain('data-pack-url="/models/session.json"')
    expect(trained).not.toContain(dir)
    out.length = 0
    expect(await evaluate(['--pack', 'models/session.json', '--data', 'ga4-events.ndjson', '--time-zone', 'UTC'])).toBe(0)
    expect(out.join('')).toMatch(/^session pack models\/session\.json on ga4-events\.ndjson \(/)
    expect(out.join('')).not.toContain(dir)
  })
})
