// @vitest-environment node
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { describeFailure } from './dataError'
import { checkOutputPath, writeFilesWhole } from './outputFiles'
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

  it('removes the temporary files a killed run left beside its outputs, not those of a running process', () => {
    fresh()
    // A process that has ended: its pid runs no more, as that of a run killed while writing.
    const ended = spawnSync(process.execPath, ['-e', '']).pid
    const left = [`file.${ended}.partial`, `folder/b.json.${ended}.partial`]
    for (const name of left) writeFileSync(join(dir, name), 'half\n')
    // Another run writing now (a running process), and a file of another output.
    const others = [`file.${process.ppid}.partial`, `other.${ended}.partial`, `file.${ended}.partial.keep`]
    for (const name of others) writeFileSync(join(dir, name), 'keep\n')
    writeFilesWhole([[join(dir, 'file'), 'new\n'], [join(dir, 'folder/b.json'), '{}\n']])
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder', ...others].sort())
    expect(readdirSync(join(dir, 'folder'))).toEqual(['b.json'])
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
