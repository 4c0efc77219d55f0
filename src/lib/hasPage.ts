import { SCRIPT_TAG } from './scriptTag'

/**
 * Whether this realm has a page, `window` and `document`: not under server rendering, in a worker or in Node.
 * Always in the script-tag core, which starts nothing without one (`bootScript()`): there the checks are gone
 * from the minified code.
 *
 * @example
 * if (!hasPage()) return () => {}
 */
export const hasPage = (): boolean => SCRIPT_TAG || (typeof window !== 'undefined' && typeof document !== 'undefined')
