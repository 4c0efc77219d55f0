// @vitest-environment node
// What a shop reads in `onError` when its signed manifest or a pack it lists cannot be fetched.
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import { publishPacks } from '../../collector/packs/publishPacks'
import { generatePackKeys, readPackSigningKey } from '../../collector/packs/signingKey'
import { EXPECTED_SPECS } from './expectedSpecs'
import { loadSignedPacks } from './loadSignedPacks'
import type { ModelPack } from './types'

const ORIGIN = 'https://shop.example'
let dir: string
let reported: SegletError[]

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seglet-signed-load-'))
  reported = []
  vi.stubGlobal('location', new URL(`${ORIGIN}/products/boots`))
  // The shop's static files: /seglet/* from the published folder, 404 for what is not there.
  vi.stubGlobal('fetch', async (url: string) => {
    try {
      return new Response(readFileSync(join(dir, 'site', new URL(url).pathname.replace(/^\/seglet\//, ''))), { status: 200 })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  rmSync(dir, { recursive: true, force: true })
})

const load = async (packKey: string) => {
  const entries = new Map<string, unknown>()
  const cache = { getMeta: async (k: string) => entries.get(k), setMeta: async (k: string, v: unknown) => void entries.set(k, v) }
  return loadSignedPacks({ packKey, expected: EXPECTED_SPECS, cache, report: (e) => reported.push(e), now: Date.parse('2026-12-01T08:00:00Z') })
}

it('names the manifest that could not be fetched once, with why', async () => {
  const { packKey } = await generatePackKeys(join(dir, 'keys'))
  expect(await load(packKey)).toBeUndefined()
  expect(reported.map((e) => [e.code, e.message])).toEqual([
    ['pack_load_failed', `The pack manifest ${ORIGIN}/seglet/packs.manifest could not be loaded: HTTP 404.`],
  ])
})

it('names a listed pack that could not be fetched once, with why', async () => {
  const keys = await generatePackKeys(join(dir, 'keys'))
  const session = JSON.parse(readFileSync(new URL('../models/session.json', import.meta.url), 'utf8')) as ModelPack
  await publishPacks({ outDir: join(dir, 'site'), key: await readPackSigningKey(keys.privateKeyFile), packs: { session }, now: new Date('2026-11-30T08:00:00Z') })
  // Uploaded in the wrong order: the manifest is there, its pack not yet.
  unlinkSync(join(dir, 'site', 'session-v1.json'))
  expect(await load(keys.packKey)).toBeUndefined()
  expect(reported.map((e) => [e.code, e.message])).toEqual([
    ['pack_load_failed', `The session pack ${ORIGIN}/seglet/session-v1.json could not be loaded: HTTP 404.`],
  ])
})
