import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

/**
 * For a test file that runs training (which sets `process.env.TZ`) into temporary folders: after each test the
 * machine's time zone is put back (unset when it was unset, not the string "undefined") and every folder made with
 * the returned function is removed. Call once, at the top of the file.
 *
 * @example
 * const tempDir = perTestFolders()
 * const dir = tempDir('seglet-retrain-')
 */
export function perTestFolders(): (prefix: string) => string {
  const savedTz = process.env.TZ
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    if (savedTz === undefined) delete process.env.TZ
    else process.env.TZ = savedTz
  })
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    dirs.push(dir)
    return dir
  }
}
