// @vitest-environment node
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { describeFailure } from './dataError'
import { checkOutputPath, partialPath, STALE_PARTIAL_MS, writeFilesWhole } from './outputFiles'
import { main as train } from './train'

let dir = ''
const fresh = () => {
  dir = mkdtempSync(join(tmpdir(), 'seglet-output-'))
  mkdirSync(join(dir, 'folder'))
  writeFileSync(join(dir, 'file'), 'old\n')
  return dir
}
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
  vi.restoreAllMocks()
})

describe('checkOutputPath', () => {
  it.each([
    ['file', 'file', 'file', undefined],
    ['a new file in a new folder', 'new/deeper/report.html', 'file', undefined],
    ['a folder', 'folder', 'folder', undefined],
    ['a new folder', 'new/models', 'folder', undefined],
    ['a folder for a file', 'folder', 'file', /^--x .*folder: a folder, not a file; give the file to write$/],
    ['a file for a folder', 'file', 'folder', /^--x .*file: a file, not a folder; give the folder to write into$/],
    ['a file under a file', 'file/report.html', 'file', /^--x .*file\/report\.html: .*\/file is a file, not a folder$/],
    ['a folder under a file', 'file/a/models', 'folder', /^--x .*file\/a\/models: .*\/file is a file, not a folder$/],
  ] as const)('%s', (_, path, kind, says) => {
    const check = () => checkOutputPath('--x', join(fresh(), path), kind)
    if (says === undefined) expect(check).not.toThrow()
    else expect(check).toThrow(says)
  })
})

describe('writeFilesWhole', () => {
  it('writes every file, making missing folders, and leaves no temporary file', () => {
    fresh()
    writeFilesWhole([[join(dir, 'file'), 'new\n'], [join(dir, 'new/deeper/b.json'), '{}\n']])
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('new\n')
    expect(readFileSync(join(dir, 'new/deeper/b.json'), 'utf8')).toBe('{}\n')
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder', 'new'])
  })

  it('removes the temporary files a killed run of this machine left beside its outputs, not those of a running process', () => {
    fresh()
    // A process that has ended: its pid runs no more, as that of a run killed while writing.
    const ended = spawnSync(process.execPath, ['-e', '']).pid
    const left = [partialPath(join(dir, 'file'), ended), partialPath(join(dir, 'folder/b.json'), ended)]
    for (const path of left) writeFileSync(path, 'half\n')
    // Another run writing now (a running process), and files of another output.
    const others = [partialPath(join(dir, 'file'), process.ppid), partialPath(join(dir, 'other'), ended), `${partialPath(join(dir, 'file'), ended)}.keep`]
    for (const path of others) writeFileSync(path, 'keep\n')
    writeFilesWhole([[join(dir, 'file'), 'new\n'], [join(dir, 'folder/b.json'), '{}\n']])
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder', ...others.map((path) => path.slice(dir.length + 1))].sort())
    expect(readdirSync(join(dir, 'folder'))).toEqual(['b.json'])
  })

  it('keeps the temporary files of another machine on a shared folder (NFS) until they are a day old', () => {
    fresh()
    // Process ids of another host say nothing here: a pid that runs no more here may be a run writing there.
    const ended = spawnSync(process.execPath, ['-e', '']).pid
    const recent = [`file.${ended}.partial`, `file.0badc0de-${ended}.partial`]
    const old = [`file.${ended + 1}.partial`, `file.0badc0de-${ended + 1}.partial`]
    for (const name of [...recent, ...old]) writeFileSync(join(dir, name), 'half\n')
    const then = new Date(Date.now() - STALE_PARTIAL_MS - 60_000)
    for (const name of old) utimesSync(join(dir, name), then, then)
    writeFilesWhole([[join(dir, 'file'), 'new\n']])
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder', ...recent].sort())
  })

  it('changes nothing when one file cannot be written: the others keep their old text, no temporary file is left', () => {
    fresh()
    expect(() => writeFilesWhole([[join(dir, 'file'), 'new\n'], [join(dir, 'file/b.json'), '{}\n']])).toThrow()
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('old\n')
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder'])
  })
})

describe('train checks where it writes before it reads the data', () => {
  it.each([
    ['--out', 'file', /^--out .*file: a file, not a folder/],
    ['--report', 'folder', /^--report .*folder: a folder, not a file/],
    ['--docs', 'file/segments.md', /^--docs .*file\/segments\.md: .*\/file is a file, not a folder$/],
  ])('%s %s', async (option, path, says) => {
    fresh()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const paths: Record<string, string> = { '--out': join(dir, 'models'), '--report': join(dir, 'report.html'), '--docs': join(dir, 'segments.md'), [option]: join(dir, path) }
    const failure = await train(['--quick', '--data', join(dir, 'no-data-here'), ...Object.entries(paths).flat()]).catch((e: unknown) => e)
    expect(describeFailure(failure)).toMatch(says)
  })
})
