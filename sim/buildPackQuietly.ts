import type { ModelPack } from '../src/pack/types'
import { buildPack } from '../training/buildPack'

/**
 * Builds a pack as `npm run train` does, without the trainer's progress lines on standard output (a simulation
 * prints its own results there, and `--json` must stay one object).
 *
 * @example
 * const pack = buildPackQuietly(sessionPackInput(...))
 */
export function buildPackQuietly(input: Parameters<typeof buildPack>[0]): ModelPack {
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = (() => true) as typeof process.stdout.write
  try {
    return buildPack(input).pack
  } finally {
    process.stdout.write = write
  }
}
