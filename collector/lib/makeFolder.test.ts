// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileProblem } from './fileProblem'
import { makeFolder } from './makeFolder'

let dir = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seglet-make-folder-'))
  writeFileSync(join(dir, 'file'), '')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The error `run` rejects or throws with (undefined if none). */
async function errorOf(run: () => unknown): Promise<NodeJS.ErrnoException | undefined> {
  try {
    await run()
    return undefined
  } catch (error) {
    return error as NodeJS.ErrnoException
  }
}

/** The error code `run` rejects or throws with, or 'none'. */
const codeOf = async (run: () => unknown) => (await errorOf(run))?.code ?? 'none'

describe('makeFolder', () => {
  it('makes a folder and the missing folders above it, and leaves one already there as it is', async () => {
    await makeFolder(join(dir, 'a', 'b', 'c'))
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true)
    writeFileSync(join(dir, 'a', 'b', 'c', 'kept'), 'x')
    await makeFolder(join(dir, 'a', 'b', 'c'))
    await makeFolder(join(dir, 'a'))
    expect(statSync(join(dir, 'a', 'b', 'c', 'kept')).size).toBe(1)
  })

  it('gives the mode to every folder it makes', async () => {
    await makeFolder(join(dir, 'k', 'l'), 0o700)
    expect(statSync(join(dir, 'k')).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, 'k', 'l')).mode & 0o777).toBe(0o700)
  })

  it('refuses a file where the folder, or a folder above it, should be, with the errors a recursive mkdir gives', async () => {
    let recursive = ''
    try {
      mkdirSync(join(dir, 'file'), { recursive: true })
    } catch (error) {
      recursive = (error as NodeJS.ErrnoException).code!
    }
    expect(await codeOf(() => makeFolder(join(dir, 'file')))).toBe(recursive)
    expect(await codeOf(() => makeFolder(join(dir, 'file', 'sub', 'deeper')))).toBe('ENOTDIR')
    expect(fileProblem(await errorOf(() => makeFolder(join(dir, 'file'))))).toBe('it is a file, not a folder')
  })

  it.runIf(statSync('/proc/self', { throwIfNoEntry: false }) !== undefined)('answers a folder under /proc with its ENOENT instead of never returning', async () => {
    expect(await codeOf(() => makeFolder('/proc/seglet-no-such-folder'))).toBe('ENOENT')
    expect(await codeOf(() => makeFolder('/proc/seglet-no-such-folder/page-stats'))).toBe('ENOENT')
  })
})
