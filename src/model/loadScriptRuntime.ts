import { OptionsError, SegletError } from '../errors'
import type { SegletErrorCode } from '../errors'

/** File name of the model runtime (an ES module) published next to the script-tag build `seglet.min.js`. */
export const SCRIPT_RUNTIME_FILE = 'seglet-model.min.js'

let capturedSrc: string | undefined

/**
 * URL of the model runtime next to a script tag (`…/seglet.min.js` → `…/seglet-model.min.js`), or
 * `undefined` when the tag has no `src`.
 *
 * @example
 * getScriptRuntimeUrl({ src: 'https://shop.example/js/seglet.min.js' }) // 'https://shop.example/js/seglet-model.min.js'
 */
export function getScriptRuntimeUrl(script: { src?: string } | null | undefined, file = SCRIPT_RUNTIME_FILE): string | undefined {
  // Without a base (no tag, or one without `src`), `new URL()` throws on the relative file name.
  try {
    return new URL(file, script?.src).href
  } catch {
    return undefined
  }
}

/**
 * Remembers where the runtime file is, from the script tag that is running now (found safely: see
 * `findScriptTag()`; never looked up in the DOM by name). The script-tag build calls it first thing,
 * synchronously: `document.currentScript` is `null` once the script has run.
 *
 * @example
 * captureScriptRuntimeUrl(findScriptTag()) // top of bootScript()
 */
export function captureScriptRuntimeUrl(script: { src?: string } | null | undefined): void {
  capturedSrc = script?.src
}

/**
 * A memoised loader of the ES module at `url` (the runtime file beside `seglet.min.js`), with a dynamic
 * `import()`: the IIFE cannot code-split, so the runtime is a sibling file. A same-origin module passes a
 * `script-src 'self'` CSP; from another origin (a CDN) the CSP must list it. `create` makes what the loader
 * resolves to from the module, once. A failed load rejects with `model_failed` and is retried on the next
 * call. The runtime file carries its own copy of Seglet's error classes: rebuild its errors with
 * {@link rebrand}.
 *
 * @example
 * const load = createScriptModuleLoader(getScriptRuntimeUrl(script), (m: { createLazyParts(): LazyParts }) => m.createLazyParts())
 */
export function createScriptModuleLoader<M, T = M>(url: string | undefined, create: (module: M) => T = (module) => module as unknown as T): () => Promise<T> {
  let module: Promise<T> | undefined
  return () => {
    if (!url) return Promise.reject(new SegletError('model_failed', 'Load seglet.min.js by <script src>, its files beside it'))
    // The import starts in a task of its own: starting a fetch costs the main thread about 5 ms in Chromium
    // (measured on a 2-core machine), which stays out of the task that asked for the part (on a product
    // page, the core's own evaluation).
    module ??= new Promise((start) => setTimeout(start))
      .then(() => import(/* webpackIgnore: true */ /* @vite-ignore */ url) as Promise<M>)
      .then(create)
      .catch((error: unknown) => {
        module = undefined
        throw new SegletError('model_failed', `${url} could not be loaded: ${String(error)}`, { cause: error })
      })
    return module
  }
}

/**
 * The URL of a file beside the script tag that {@link captureScriptRuntimeUrl} found when it ran: the model
 * runtime by default, or another lazily loaded part.
 */
export function getRuntimeUrl(file = SCRIPT_RUNTIME_FILE): string | undefined {
  return getScriptRuntimeUrl({ src: capturedSrc }, file)
}

/**
 * A Seglet error from another bundle's copy of the classes, rebuilt with this bundle's classes: a
 * `SegletError` (an `OptionsError` stays one, as `window.Seglet` exposes that class) with the original's
 * name, code, field and message, and the original as `cause`.
 */
export function rebrand(error: unknown): unknown {
  if (error instanceof SegletError || !(error instanceof Error) || typeof (error as { code?: unknown }).code !== 'string') return error
  const { code, field } = error as Error & { code: SegletErrorCode; field?: string }
  const copy = error.name === 'OptionsError' ? new OptionsError(error.message, field) : new SegletError(code, error.message, { field, cause: error })
  copy.name = error.name
  return copy
}
