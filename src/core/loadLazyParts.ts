import { SegletError } from '../errors'
import type { LazyParts } from './lazy'

let parts: Promise<LazyParts> | undefined

/**
 * Loads the lazy part (model runtime, features, decisions, panel) with a dynamic `import()` that bundlers
 * split into its own chunk, once. A failed load is retried on the next call.
 */
export function loadLazyParts(): Promise<LazyParts> {
  parts ??= import('./lazy').then(
    (module) => module.createLazyParts(),
    (error: unknown) => {
      parts = undefined
      throw new SegletError('model_failed', `The model runtime could not be loaded: ${String(error)}`, { cause: error })
    },
  )
  return parts
}
