// @vitest-environment node
// keygen --force over an existing key file: the new private key never sits in a file others can read, not
// even between the write and a later chmod, and a write that fails half-way leaves the old key whole.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'

/** Runs `body` with a new temporary folder, removed after whatever the outcome. */
async function inTempDir(prefix: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  try {
    await body(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// The mode of the file each time a private key is written into it; a full disk half-way when `full` is set.
// With `slowLock`, the first lock file written lands only after the next one (two runs of one process at once).
// With `publicFull`, the disk is full when the public key is written; with `publicHeld`, that write waits until it is resolved.
const state = vi.hoisted(() => ({
  writes: [] as number[], full: false, slowLock: false, secondLock: undefined as undefined | (() => void),
  publicFull: false, publicHeld: undefined as undefined | { reached: () => void; release: Promise<void> },
}))
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...fs,
    writeFile: async (path: string | FileHandle, data: string, options: Parameters<typeof fs.writeFile>[2]) => {
      if (String(data).includes('PRIVATE KEY')) {
        try {
          state.writes.push((typeof path === 'string' ? statSync(path) : await path.stat()).mode & 0o777)
        } catch {
          state.writes.push(-1) // a new file: created with the mode given
        }
        if (state.full) {
          await fs.writeFile(path, String(data).slice(0, String(data).length / 2), options)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
        }
      }
      if (String(data).startsWith('ed25519-') && state.publicFull) {
        await fs.writeFile(path, String(data).slice(0, 10), options)
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      }
      if (String(data).startsWith('ed25519-') && state.publicHeld) {
        state.publicHeld.reached()
        await state.publicHeld.release
      }
      if (String(path).endsWith('pack-signing.lock') && state.slowLock) {
        state.slowLock = false
        await new Promise<void>((resolve) => (state.secondLock = resolve))
      } else if (String(path).endsWith('pack-signing.lock') && state.secondLock) {
        const landed = state.secondLock
        state.secondLock = undefined
        return fs.writeFile(path, data, options).finally(landed)
      }
      return fs.writeFile(path, data, options)
    },
  }
})

afterEach(() => {
  state.writes.length = 0
  state.full = false
  state.publicFull = false
  state.publicHeld = undefined
  state.slowLock = false
  state.secondLock = undefined
})

it('keygen --force makes an existing key file owner-only before the new key is written into it', async () => {
  const { generatePackKeys, readPackSigningKey } = await import('./signingKey')
  await inTempDir('seglet-keys-', async (dir) => {
    const file = join(dir, 'pack-signing.key')
    writeFileSync(file, 'old')
    chmodSync(file, 0o644)
    await generatePackKeys(dir, { overwrite: true })
    expect(state.writes).toEqual([0o600])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain('PRIVATE KEY')
    await expect(readPackSigningKey(file)).resolves.toBeDefined()
  })
})

it('keygen --force that fails half-way (a full disk) leaves the old key and its public key as they were', async () => {
  const { generatePackKeys, readPackSigningKey } = await import('./signingKey')
  await inTempDir('seglet-keys-full-', async (dir) => {
    const old = await generatePackKeys(dir)
    const before = { key: readFileSync(old.privateKeyFile, 'utf8'), pub: readFileSync(old.publicKeyFile, 'utf8') }
    state.full = true
    await expect(generatePackKeys(dir, { overwrite: true })).rejects.toMatchObject({ code: 'collector_pack', message: expect.stringMatching(/cannot write [^ ]*pack-signing\.key: no space left on device$/) })
    expect(readFileSync(old.privateKeyFile, 'utf8')).toBe(before.key)
    expect(readFileSync(old.publicKeyFile, 'utf8')).toBe(before.pub)
    expect((await readPackSigningKey(old.privateKeyFile)).packKey).toBe(old.packKey)
    expect(readdirSync(dir).sort()).toEqual(['pack-signing.key', 'pack-signing.pub'])
    // Once the disk has room, the key is replaced.
    state.full = false
    const replaced = await generatePackKeys(dir, { overwrite: true })
    expect((await readPackSigningKey(replaced.privateKeyFile)).packKey).toBe(replaced.packKey)
    expect(replaced.packKey).not.toBe(old.packKey)
    expect(readdirSync(dir).sort()).toEqual(['pack-signing.key', 'pack-signing.pub'])
  })
})

it('keygen --force that fails on the public key (a full disk) leaves the old pair as it was, not the new private key beside the old public key', async () => {
  const { generatePackKeys, readPackSigningKey } = await import('./signingKey')
  await inTempDir('seglet-keys-public-full-', async (dir) => {
    const old = await generatePackKeys(dir)
    const before = { key: readFileSync(old.privateKeyFile, 'utf8'), pub: readFileSync(old.publicKeyFile, 'utf8') }
    state.publicFull = true
    await expect(generatePackKeys(dir, { overwrite: true })).rejects.toMatchObject({ code: 'collector_pack', message: expect.stringMatching(/^cannot write [^ ]*pack-signing\.pub: no space left on device$/) })
    expect(readFileSync(old.privateKeyFile, 'utf8')).toBe(before.key)
    expect(readFileSync(old.publicKeyFile, 'utf8')).toBe(before.pub)
    expect((await readPackSigningKey(old.privateKeyFile)).packKey).toBe(old.packKey)
    expect(readdirSync(dir).sort()).toEqual(['pack-signing.key', 'pack-signing.pub'])
  })
})

it('keygen killed while it writes the public key leaves the old pair (keygen --force) or no key at all (a first keygen)', async () => {
  const { generatePackKeys, readPackSigningKey } = await import('./signingKey')
  for (const first of [false, true]) {
    await inTempDir('seglet-keys-killed-', async (dir) => {
      const old = first ? undefined : await generatePackKeys(dir)
      const before = old && { key: readFileSync(old.privateKeyFile, 'utf8'), pub: readFileSync(old.publicKeyFile, 'utf8') }
      let release = () => {}
      const reached = new Promise<void>((resolve) => (state.publicHeld = { reached: resolve, release: new Promise<void>((done) => (release = done)) }))
      const run = generatePackKeys(dir, { overwrite: !first })
      await reached
      // What is on disk now is what a kill at this moment leaves.
      const names = readdirSync(dir).filter((name) => !name.endsWith('.tmp') && name !== 'pack-signing.lock').sort()
      if (before) {
        expect(names).toEqual(['pack-signing.key', 'pack-signing.pub'])
        expect(readFileSync(join(dir, 'pack-signing.key'), 'utf8')).toBe(before.key)
        expect(readFileSync(join(dir, 'pack-signing.pub'), 'utf8')).toBe(before.pub)
      } else expect(names).toEqual([])
      release()
      const written = await run
      expect((await readPackSigningKey(written.privateKeyFile)).packKey).toBe(written.packKey)
      expect(readFileSync(written.publicKeyFile, 'utf8')).toBe(`${written.packKey}\n`)
      expect(readdirSync(dir).sort()).toEqual(['pack-signing.key', 'pack-signing.pub'])
    })
  }
})

it('keygen --force removes the temporary key file a killed run left, once it is old, and nothing else', async () => {
  const { utimesSync } = await import('node:fs')
  const { generatePackKeys } = await import('./signingKey')
  await inTempDir('seglet-keys-left-', async (dir) => {
    await generatePackKeys(dir)
    const left = ['pack-signing.key.4242-0badf00d.tmp', 'pack-signing.key.4243-0badf00d.tmp', 'notes.txt.4244-0badf00d.tmp']
    for (const name of left) writeFileSync(join(dir, name), 'part of a key', { mode: 0o600 })
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000)
    for (const name of [left[0]!, left[2]!]) utimesSync(join(dir, name), hoursAgo, hoursAgo)
    await generatePackKeys(dir, { overwrite: true })
    expect(readdirSync(dir).sort()).toEqual([left[2], left[1], 'pack-signing.key', 'pack-signing.pub'].sort())
  })
})

it('keygen --force run twice at once: one writes the pair, the other is refused, so the public key is the private key\'s', async () => {
  const { generatePackKeys, readPackSigningKey } = await import('./signingKey')
  await inTempDir('seglet-keys-twice-', async (dir) => {
    await generatePackKeys(dir)
    const runs = await Promise.allSettled([generatePackKeys(dir, { overwrite: true }), generatePackKeys(dir, { overwrite: true })])
    const written = runs.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    const refused = runs.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code: string; message: string }] : []))
    expect(written).toHaveLength(1)
    expect(refused).toEqual([expect.objectContaining({ code: 'collector_pack', message: expect.stringMatching(/^another keygen is writing the keys in .* \(it holds .*pack-signing\.lock\)/) })])
    const key = await readPackSigningKey(written[0]!.privateKeyFile)
    expect(key.packKey).toBe(written[0]!.packKey)
    expect(readFileSync(written[0]!.publicKeyFile, 'utf8')).toBe(`${key.packKey}\n`)
    // The lock is gone with the run that held it: the next run writes.
    expect(readdirSync(dir).sort()).toEqual(['pack-signing.key', 'pack-signing.pub'])
    await expect(generatePackKeys(dir, { overwrite: true })).resolves.toBeDefined()
  })
})

it('keygen run twice at once in one process: the run whose lock lands second is refused, not told the first run\'s lock is stale', async () => {
  const { generatePackKeys, readPackSigningKey } = await import('./signingKey')
  await inTempDir('seglet-keys-one-process-', async (dir) => {
    await generatePackKeys(dir)
    state.slowLock = true
    const said: string[] = []
    const runs = await Promise.allSettled([1, 2].map(() => generatePackKeys(dir, { overwrite: true, onStaleLock: (line) => said.push(line) })))
    const written = runs.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    expect(said).toEqual([])
    expect(written).toHaveLength(1)
    // Either run may reach the lock first (each awaits its own file system calls before it): the refused one is
    // whichever was slowed, the other.
    expect(runs.filter((r) => r.status === 'rejected')).toMatchObject([{ status: 'rejected', reason: { code: 'collector_pack', message: expect.stringMatching(/^another keygen is writing the keys in /) } }])
    expect((await readPackSigningKey(written[0]!.privateKeyFile)).packKey).toBe(written[0]!.packKey)
    expect(readFileSync(written[0]!.publicKeyFile, 'utf8')).toBe(`${written[0]!.packKey}\n`)
    expect(readdirSync(dir).sort()).toEqual(['pack-signing.key', 'pack-signing.pub'])
  })
})

it('keygen takes over the lock a killed keygen of this machine left, and says so; a lock of a live process, of another machine or with no machine written is refused', async () => {
  const { spawnSync } = await import('node:child_process')
  const { runPackCommand } = await import('./packCommands')
  const { thisMachine } = await import('../lib/thisMachine')
  await inTempDir('seglet-keys-stale-', async (dir) => {
    const lock = join(dir, 'pack-signing.lock')
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!
    const keygen = async () => {
      const out: string[] = []
      const err: string[] = []
      const code = await runPackCommand(['keygen', '--dir', dir, '--force'], (l) => out.push(l), (l) => err.push(l))
      return { code, out, err }
    }
    writeFileSync(join(dir, 'pack-signing.key'), 'old', { mode: 0o600 })
    // Held by a live process of this machine (this one's parent), by a process of another machine, or written by an
    // earlier version (a process id and no machine), or by nothing at all: refused, the lock and the key left as they were.
    for (const held of [`${process.ppid} ${thisMachine()}\n`, `${gone} another-host/pid:[4026531836]\n`, `${gone}\n`, '']) {
      writeFileSync(lock, held)
      const run = await keygen()
      expect(run, JSON.stringify(held)).toMatchObject({ code: 1, err: [expect.stringMatching(/^seglet collector keygen: another keygen is writing the keys in .* \(it holds .*pack-signing\.lock\): run again once it is done, or remove that file/)] })
      expect(readFileSync(lock, 'utf8')).toBe(held)
      expect(readFileSync(join(dir, 'pack-signing.key'), 'utf8')).toBe('old')
    }
    // Left by a keygen of this machine that was killed: its process is gone.
    writeFileSync(lock, `${gone} ${thisMachine()}\n`)
    const run = await keygen()
    expect(run.code).toBe(0)
    expect(run.err).toEqual([`seglet collector keygen: took over ${lock}, left by a keygen that no longer runs (process ${gone})`])
    expect(run.out[0]).toMatch(/^Wrote .*pack-signing\.key/)
    expect(readFileSync(join(dir, 'pack-signing.key'), 'utf8')).toContain('PRIVATE KEY')
    expect(readdirSync(dir).sort()).toEqual(['pack-signing.key', 'pack-signing.pub'])
  })
})

it('keygen started again in a container under its old process id takes over the lock its killed run left', async () => {
  const { generatePackKeys } = await import('./signingKey')
  const { thisMachine } = await import('../lib/thisMachine')
  await inTempDir('seglet-keys-reused-', async (dir) => {
    writeFileSync(join(dir, 'pack-signing.lock'), `${process.pid} ${thisMachine()}\n`)
    const said: string[] = []
    await expect(generatePackKeys(dir, { onStaleLock: (line) => said.push(line) })).resolves.toBeDefined()
    expect(said).toEqual([expect.stringMatching(new RegExp(`^took over .*pack-signing\\.lock, left by a keygen that no longer runs \\(process ${process.pid}\\)$`))])
    expect(readdirSync(dir).sort()).toEqual(['pack-signing.key', 'pack-signing.pub'])
  })
})
