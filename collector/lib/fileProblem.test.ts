// @vitest-environment node
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fileProblem } from './fileProblem'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The error `run` throws, in a fresh folder holding a file `file`. */
function thrown(run: (dir: string) => void): unknown {
  dir = mkdtempSync(join(tmpdir(), 'seglet-file-problem-'))
  writeFileSync(join(dir, 'file'), '')
  try {
    run(dir)
  } catch (error) {
    return error
  }
  throw new Error('nothing thrown')
}

describe('fileProblem', () => {
  it('says in plain words, without the path, why a file or folder could not be read or made', () => {
    expect(fileProblem(thrown((d) => readFileSync(join(d, 'missing'))))).toBe('no such file')
    expect(fileProblem(thrown((d) => readFileSync(d)))).toBe('a folder, not a file')
    expect(fileProblem(thrown((d) => mkdirSync(join(d, 'file', 'sub'), { recursive: true })))).toBe('a file on this path is not a folder')
    // A folder to make where a file stands: what mkdir says as "file already exists".
    expect(fileProblem(thrown((d) => mkdirSync(join(d, 'file'), { recursive: true })))).toBe('it is a file, not a folder')
    expect(fileProblem(new Error('EIO: i/o error, read'))).toBe('i/o error')
  })
})
