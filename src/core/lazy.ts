/**
 * The lazily loaded part of Seglet: the model runtime (TensorFlow.js core, the CPU kernels the packs need,
 * the shipped packs), the feature computation, segment decisions, explanations and the transparency
 * panel. None of it is needed before the page's own work is done, so it stays out of the core bundle:
 * bundlers split it into a chunk, and the script-tag build loads it as `seglet-model.min.js`.
 */
import { createModelRuntime } from '../model/runtime'
import type { Decider, DeciderContext } from './createDecider'
import { createDecider } from './createDecider'

export { createModelRuntime }
export type { Decider, DeciderContext }

/** What the core gets from the lazily loaded part. */
export interface LazyParts {
  /** Creates the decider of one running Seglet (the runtime is shared). */
  createDecider(ctx: Omit<DeciderContext, 'runtime'>): Decider
}

/**
 * The lazily loaded part's entry point.
 * @example
 * const parts = (await import('./lazy')).createLazyParts()
 */
export function createLazyParts(): LazyParts {
  const runtime = createModelRuntime()
  return { createDecider: (ctx) => createDecider({ ...ctx, runtime }) }
}
