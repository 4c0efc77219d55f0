import { SegletError } from '../errors'

/**
 * A loader of one of the npm build's lazily imported parts: `load` (a dynamic `import()` that bundlers split
 * into its own chunk) runs once; a failed load rejects with `model_failed` and is retried on the next call,
 * as the script-tag build's parts are.
 *
 * @example
 * const loadBridges = loadPart('bridges', () => import('../capture/bridges').then((m) => m.createBridges()))
 */
export function loadPart<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined
      throw new SegletError('model_failed', `Seglet's ${name} part could not be loaded: ${String(error)}`, { cause: error })
    }))
}
