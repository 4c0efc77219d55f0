// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generatePackKeys, PRIVATE_KEY_FILE, readPackSigningKey } from './signingKey'

let dir: string
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'seglet-signing-key-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The message `run` is refused with. */
const refusal = (run: Promise<unknown>) => run.then(() => '', (error: Error) => error.message)

describe('a signing key that cannot be read or written', () => {
  it('is said in one plain line that names its path once', async () => {
    const missing = join(dir, 'keys', PRIVATE_KEY_FILE)
    expect(await refusal(readPackSigningKey(missing))).toBe(`cannot read the signing key ${missing}: no such file (make one with: npm run collector -- keygen)`)
    const folder = join(dir, 'a-folder')
    mkdirSync(folder, { mode: 0o700 })
    expect(await refusal(readPackSigningKey(folder))).toBe(`cannot read the signing key ${folder}: a folder, not a file (make one with: npm run collector -- keygen)`)
    // keygen told to write under a file.
    writeFileSync(join(dir, 'taken'), 'a file\n')
    const under = join(dir, 'taken', 'keys')
    expect(await refusal(generatePackKeys(under))).toBe(`cannot write ${join(under, PRIVATE_KEY_FILE)}: a file on this path is not a folder`)
  })
})
