import * as tf from '@tensorflow/tfjs'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SESSION_FEATURE_SPEC_VERSION } from '../src/features/featureNames'
import { PACK_FORMAT_VERSION } from '../src/pack/types'
import { PROJECT_ROOT } from '../training/data'
import type { ModelPack } from '../src/pack/types'
import { SESSION_CONFIG, type PackConfig } from '../training/packConfig'
import { sessionPackInput } from '../training/packInputs'
import type { ScoredSession } from './funnel'
import { buildPackQuietly } from './buildPackQuietly'
import { FUNNEL_POPULATION } from './funnelPopulation'

/**
 * The central model: the repo's own trainer (`buildPack`, every session feature, cart and checkout
 * included) on the devices' true sessions. Epochs are scaled down so that it takes as many steps as the
 * shipped pack's training (the data is larger). Cached in `.build/sim-cache/` by everything it depends on
 * (it takes many minutes on two cores).
 */
export function centralPack(devices: readonly ScoredSession[], test: readonly ScoredSession[], seed: number, config: Partial<PackConfig>, log: (line: string) => void = () => {}): ModelPack {
  const key = createHash('sha256')
    .update(JSON.stringify([devices.length, test.length, seed, config, SESSION_CONFIG, FUNNEL_POPULATION, PACK_FORMAT_VERSION, SESSION_FEATURE_SPEC_VERSION, readFileSync(join(PROJECT_ROOT, 'sim', 'funnelPopulation.ts'), 'utf8')]))
    .digest('hex')
    .slice(0, 16)
  const cacheDir = join(PROJECT_ROOT, '.build', 'sim-cache')
  const cached = join(cacheDir, `funnel-central-${key}.json`)
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as ModelPack
  log('  training the central network on the true sessions (cached afterwards)…')
  const train = devices.map((s) => s.aggregate)
  const labels = devices.map((s) => (s.ordered ? 1 : 0))
  const input = sessionPackInput(
    train, labels, test.map((s) => s.aggregate), test.map((s) => (s.ordered ? 1 : 0)),
    { dataset: 'synthetic funnel population (sim/funnelPopulation.ts)', sha256: '', rows: train.length, split: 'train = the reporting devices; test = held-out sessions', seed, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)` },
    { ...SESSION_CONFIG, ...config }, 'all',
  )
  const pack = buildPackQuietly(input)
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(cached, JSON.stringify(pack))
  return pack
}

