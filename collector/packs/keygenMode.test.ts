// @vitest-environment node
// keygen --force over an existing key file: the new private key never sits in a file others can read, not
// even between the write and a later chmod.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'

// The mode of the private key file each time a private key is written into it.
const writes: number[] = []
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...fs,
    writeFile: async (path: string, data: string, options: Parameters<typeof fs.writeFile>[2]) => {
      if (String(data).includes('PRIVATE KEY')) {
        try {
          writes.push(statSync(path).mode & 0o777)
        } catch {
          writes.push(-1) // a new file: created with the mode given
        }
      }
      return fs.writeFile(path, data, options)
    },
  }
})

it('keygen --force makes an existing key file owner-only before the new key is written into it', async () => {
  const { generatePackKeys, readPackSigningKey } = await import('./signingKey')
  const dir = mkdtempSync(join(tmpdir(), 'seglet-keys-'))
  try {
    const file = join(dir, 'pack-signing.key')
    writeFileSync(file, 'old')
    chmodSync(file, 0o644)
    await generatePackKeys(dir, { overwrite: true })
    expect(writes).toEqual([0o600])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain('PRIVATE KEY')
    await expect(readPackSigningKey(file)).resolves.toBeDefined()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
