// @vitest-environment node
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createReportEstimator } from '../collector/estimates/createReportEstimator'
import { packContexts } from '../collector/estimates/packLeafNames'
import { createIngest } from '../collector/ingest/createIngest'
import { networkVersion } from '../collector/learn/retrain'
import { migrate } from '../collector/storage/migrate'
import { openDatabase } from '../collector/storage/openDatabase'
import { readSums } from '../collector/storage/readSums'
import { randomTruth } from '../collector/testing/reports'
import { seededRandom } from '../sim/seededRandom'
import { expectedFeatures } from '../src/features/featureNames'
import { checkPack } from '../src/pack/checkPack'
import type { ModelPack } from '../src/pack/types'
import { encodeReport } from '../src/reports/encodeReport'
import { parseReport } from '../src/reports/parseReport'
import { packLabelsOf } from '../src/reports/recordDecision'
import { packContextOf } from '../src/reports/sessionRecord'
import { PROJECT_ROOT } from './data'
import { DEFAULT_SEED, LIFETIME_CONFIG, SESSION_CONFIG } from './packConfig'
import { publicPackVersion } from './packVersion'
import { createRng } from './rng'
import { main as train } from './train'
import { perTestFolders } from './testing/perTestFolders'

const fixtures = join(PROJECT_ROOT, 'training/fixtures')
const tempDir = perTestFolders()
afterEach(() => vi.restoreAllMocks())

/** `npm run train -- --quick …` into a new folder; gives its exit code, its packs and what it printed. */
async function trainFixtures(args: string[]): Promise<{ code: unknown; packs?: { session: ModelPack; lifetime: ModelPack }; errors: string[] }> {
  const dir = tempDir('seglet-pack-version-')
  const errors: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
  const code = await train(['--quick', '--time-zone', 'UTC', ...args, '--out', join(dir, 'models'), '--report', join(dir, 'report.html'), '--docs', join(dir, 'segments.md')]).catch((e: unknown) => e)
  if (code !== 0) return { code, errors }
  const read = (kind: string) => JSON.parse(readFileSync(join(dir, 'models', `${kind}.json`), 'utf8')) as ModelPack
  return { code, packs: { session: read('session'), lifetime: read('lifetime') }, errors }
}

const GA4 = ['--events', join(fixtures, 'ga4-events.ndjson'), '--lifetime-events', join(fixtures, 'shopify-orders.csv')]

describe('the version of a pack trained on a shop\'s own data', () => {
  it('is its own, never the shipped packs\' 1.0.0, and the same for the same data and settings', async () => {
    const shipped = JSON.parse(readFileSync(join(PROJECT_ROOT, 'src/models/session.json'), 'utf8')) as ModelPack
    expect(shipped.version).toBe('1.0.0')
    const first = await trainFixtures(GA4)
    expect(first.code).toBe(0)
    const { session, lifetime } = first.packs!
    expect(session.version).toMatch(/^1\.0\.0-[0-9a-f]{1,8}$/)
    expect(lifetime.version).toMatch(/^1\.0\.0-[0-9a-f]{1,8}$/)
    expect(session.version).not.toBe(lifetime.version)
    for (const pack of [session, lifetime]) expect(() => checkPack(pack, expectedFeatures(pack.kind))).not.toThrow()
    // A retrain refits its own network only: the version before "+" is not the shipped pack's.
    expect(networkVersion(session.version)).not.toBe(networkVersion(shipped.version))

    const again = await trainFixtures(GA4)
    expect(again.packs!.session.version).toBe(session.version)
    expect(again.packs!.lifetime.version).toBe(lifetime.version)
    // Other events, or another seed: another network, another version.
    const seglet = await trainFixtures(['--events', join(fixtures, 'seglet-events.ndjson'), '--lifetime-events', join(fixtures, 'shopify-orders.csv')])
    expect(seglet.packs!.session.version).not.toBe(session.version)
    expect(seglet.packs!.lifetime.version).toBe(lifetime.version)
    const seeded = await trainFixtures([...GA4, '--seed', '7'])
    expect(seeded.packs!.session.version).not.toBe(session.version)
  }, 120_000)

  it('reports under its own pack id, which the SDK encodes and the collector parses, stores and names', async () => {
    const { packs } = await trainFixtures(GA4)
    const { session, lifetime } = packs!
    const context = packContextOf(packLabelsOf(session), packLabelsOf(lifetime))
    expect(context.packId).toBe(`session@${session.version}+lifetime@${lifetime.version}`)
    // After a retrain, the session pack's version gains +rYYYYMMDD.
    const retrained = { ...context, packId: `session@${session.version}+r20261130+lifetime@${lifetime.version}` }
    const rng = createRng(3)
    const random = seededRandom(3)
    const db = await openDatabase('memory:')
    try {
      await migrate(db)
      const ingest = createIngest(db, createReportEstimator(), { now: () => Date.parse('2026-11-30T12:00:00Z') })
      for (const ctx of [context, retrained]) {
        const body = JSON.stringify(encodeReport(randomTruth(rng), ctx, { epsilon: 2, day: '2026-11-30', random }))
        expect(parseReport(body).packId).toBe(ctx.packId)
        expect(await ingest.submit('client', body)).toMatchObject({ status: 202 })
      }
      await ingest.flush()
      const ids = new Set((await readSums(db, '2026-11-30', '2026-11-30')).map((r) => r.packId))
      expect([...ids].sort()).toEqual([context.packId, retrained.packId].sort())
      await ingest.close()
    } finally {
      await db.close()
    }
    // The collector names the leaves of a published pack under the same id.
    expect(packContexts([session, lifetime]).map((c) => c.packId)).toEqual([context.packId])
  }, 120_000)

  // Reports name the pair (`session@…+lifetime@…`), and each half is keyed by its own id: a --config of one pack
  // gives that pack a new id, and leaves the other, the same network to the byte, under the id it had.
  it('changes with a --config of its own pack only: the other pack stays the same network under the same id', async () => {
    const base = (await trainFixtures(GA4)).packs!
    const lifetimeOnly = (await trainFixtures([...GA4, '--config', '{"lifetime":{"hidden":8}}'])).packs!
    expect(lifetimeOnly.session).toEqual(base.session)
    expect(lifetimeOnly.lifetime.version).not.toBe(base.lifetime.version)
    expect(lifetimeOnly.lifetime.model).not.toEqual(base.lifetime.model)
    const sessionOnly = (await trainFixtures([...GA4, '--config', '{"session":{"hidden":8}}'])).packs!
    expect(sessionOnly.lifetime).toEqual(base.lifetime)
    expect(sessionOnly.session.version).not.toBe(base.session.version)
    expect(sessionOnly.session.model).not.toEqual(base.session.model)
  }, 120_000)

  it('is the one --pack-version gives, and a version reports could not carry is refused in one line', async () => {
    const given = await trainFixtures([...GA4, '--pack-version', '2.1.0-acme.3'])
    expect(given.code).toBe(0)
    expect(given.packs!.session.version).toBe('2.1.0-acme.3')
    expect(given.packs!.lifetime.version).toBe('2.1.0-acme.3')
    // The longest accepted version still fits a retrained report's pack id.
    const longest = '1.0.0-abcdefghijkl'
    expect((await trainFixtures([...GA4, '--pack-version', longest])).code).toBe(0)
    expect(`session@${longest}+r20261130+lifetime@${longest}`.length).toBeLessThanOrEqual(64)
    for (const [bad, said] of [
      ['1.0.0-abcdefghijklm', /longer than 18 characters/],
      ['1.0.0+shop', /no "\+"/],
      ['v2', /not a version/],
      ['1.0.0-a_b', /not a version/],
      ['1.0.0-01', /not a version/],
      ['1.0.0', /shipped with Seglet/],
    ] as const) {
      const { code, errors } = await trainFixtures([...GA4, '--pack-version', bad])
      expect(code).toBe(2)
      expect(errors[0]).toMatch(said)
      expect(errors[0]).not.toContain('\n')
    }
  }, 120_000)
})

describe('the version of a pack trained on the public data sets', () => {
  const shipped = (kind: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, `src/models/${kind}.json`), 'utf8')) as ModelPack
  const sessionSha = shipped('session').provenance.sha256
  const lifetimeSha = shipped('lifetime').provenance.sha256
  const quick = (config: typeof SESSION_CONFIG) => ({ ...config, members: 2, epochs: 3 })

  it('is never the shipped packs\' 1.0.0 by --pack-version for a --quick, --seed, --config or --inner-holdout run', async () => {
    const run = async (args: string[]) => {
      const errors: string[] = []
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
      vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
      // No data there: a run that gets past its options stops at the missing file, before training.
      const out = ['--out', join(tmpdir(), 'seglet-no-data-here', 'models'), '--docs', join(tmpdir(), 'seglet-no-data-here', 'segments.md')]
      const code = await train(['--data', join(tmpdir(), 'seglet-no-data-here'), ...args, ...out]).catch((e: unknown) => (/no such file/.test(String(e)) ? 'no data' : e))
      vi.restoreAllMocks()
      return { code, errors }
    }
    for (const experiment of [['--quick'], ['--seed', '7'], ['--config', '{"lifetime":{"epochs":40}}'], ['--only', 'session', '--inner-holdout', '0']]) {
      const { code, errors } = await run([...experiment, '--pack-version', '1.0.0'])
      expect(code).toBe(2)
      expect(errors[0]).toMatch(/shipped with Seglet/)
      expect(errors[0]).not.toContain('\n')
      // Another version, or none (one of its own), is taken.
      expect((await run([...experiment, '--pack-version', '1.0.1'])).code).toBe('no data')
      expect((await run(experiment)).code).toBe('no data')
    }
    // The run that reproduces the shipped packs may name their version; so may --config at the defaults.
    expect((await run(['--pack-version', '1.0.0'])).code).toBe('no data')
    expect((await run(['--config', `{"session":{"epochs":${SESSION_CONFIG.epochs}}}`, '--pack-version', '1.0.0'])).code).toBe('no data')
  })

  it('is the shipped packs\' 1.0.0 only when every setting the network depends on is at its default', () => {
    expect(publicPackVersion('session', sessionSha, { seed: DEFAULT_SEED, config: SESSION_CONFIG })).toBe('1.0.0')
    expect(publicPackVersion('lifetime', lifetimeSha, { seed: DEFAULT_SEED, config: LIFETIME_CONFIG })).toBe('1.0.0')
    // --config giving a hyper-parameter its default value builds the shipped network.
    expect(publicPackVersion('session', sessionSha, { seed: DEFAULT_SEED, config: { ...SESSION_CONFIG, epochs: SESSION_CONFIG.epochs } })).toBe('1.0.0')
  })

  it('is one of its own for a --quick, --seed, --config or --inner-holdout run: its reports never add up with the shipped packs\'', () => {
    const versions = [
      publicPackVersion('session', sessionSha, { seed: DEFAULT_SEED, config: quick(SESSION_CONFIG) }),
      publicPackVersion('session', sessionSha, { seed: 7, config: SESSION_CONFIG }),
      publicPackVersion('session', sessionSha, { seed: DEFAULT_SEED, config: { ...SESSION_CONFIG, epochs: 40 } }),
      publicPackVersion('session', sessionSha, { seed: DEFAULT_SEED, config: SESSION_CONFIG, innerHoldout: 0 }),
      publicPackVersion('session', sessionSha, { seed: DEFAULT_SEED, config: SESSION_CONFIG, innerHoldout: 1 }),
      publicPackVersion('lifetime', lifetimeSha, { seed: DEFAULT_SEED, config: quick(LIFETIME_CONFIG) }),
      publicPackVersion('lifetime', lifetimeSha, { seed: 7, config: LIFETIME_CONFIG }),
    ]
    for (const version of versions) expect(version).toMatch(/^1\.0\.0-[0-9a-f]{1,8}$/)
    expect(new Set(versions).size).toBe(versions.length)
    // The same run twice: the same version.
    expect(publicPackVersion('session', sessionSha, { seed: 7, config: SESSION_CONFIG })).toBe(versions[1])
  })
})
