// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'

// Every file-system step of a publish, in order: what a power cut could leave on disk depends on it.
const steps: string[] = []
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>()
  const name = (path: unknown) => String(path).replace(/^.*[\\/]/, '').replace(/\.\d+-[0-9a-f]+\.tmp$/, '.TMP')
  const wrapped = {
    ...fs,
    open: async (path: string, ...rest: unknown[]) => {
      const handle = await (fs.open as (...args: unknown[]) => ReturnType<typeof fs.open>)(path, ...rest)
      const sync = handle.sync.bind(handle)
      handle.sync = async () => {
        await sync()
        steps.push(`sync ${name(path)}`)
      }
      return handle
    },
    rename: async (from: string, to: string) => {
      await fs.rename(from, to)
      steps.push(`rename ${name(from)} ${name(to)}`)
    },
  }
  return { ...wrapped, default: wrapped }
})

const { publishPacks } = await import('./publishPacks')
const { generatePackKeys } = await import('./signingKey')

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seglet-publish-'))
  steps.length = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it('puts each pack on disk, whole under its name, before the manifest that lists it: a power cut never leaves a signed manifest naming an empty pack', async () => {
  const keys = await generatePackKeys(join(dir, 'keys'))
  const site = join(dir, 'site')
  const session = JSON.parse(readFileSync(new URL('../../src/models/session.json', import.meta.url), 'utf8'))
  steps.length = 0
  const published = await publishPacks({ outDir: site, key: keys.privateKeyFile, packs: { session } })
  expect(JSON.parse(readFileSync(published.packFiles.session!, 'utf8'))).toEqual(session)
  const manifest = steps.indexOf('rename packs.manifest.TMP packs.manifest')
  expect(manifest, steps.join('; ')).toBeGreaterThanOrEqual(0)
  const synced = steps.indexOf('sync session-v1.json.TMP')
  const renamed = steps.indexOf('rename session-v1.json.TMP session-v1.json')
  expect(synced, steps.join('; ')).toBeGreaterThanOrEqual(0)
  expect(renamed, steps.join('; ')).toBeGreaterThan(synced)
  expect(manifest, steps.join('; ')).toBeGreaterThan(renamed)
  // And the folder's entry of the pack, synced with the manifest's rename or before.
  if (process.platform !== 'win32') expect(steps.slice(renamed + 1, manifest + 2), steps.join('; ')).toContain('sync site')
})
