import { hasOwn } from '../../lib/hasOwn'

/**
 * Replaces `target[name]` with a wrapper that calls the current method with the same `this` and arguments,
 * returns its result unchanged (exceptions included), then calls `after(args)`. Returns a restore function.
 *
 * Restoring puts the original back only if the wrapper is still installed; when another script (Google Tag
 * Manager, a router) wrapped it on top of ours, ours stays in the chain as a pass-through instead, so their
 * wrapper keeps working.
 */
export function wrapMethod(target: object, name: string, after: (args: IArguments) => void): () => void {
  const host = target as Record<string, unknown>
  const original = host[name] as (...args: unknown[]) => unknown
  if (typeof original !== 'function') throw new TypeError(`${name} is not a function`)
  const wasOwn = hasOwn(target, name)
  let active = true
  const wrapper = function (this: unknown) {
    // `arguments`, not rest parameters: passes exactly what the caller passed, and `after` sees the same list.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments
    const result = original.apply(this, args as unknown as unknown[])
    if (active) after(args)
    return result
  }
  host[name] = wrapper
  return () => {
    active = false
    if (host[name] !== wrapper) return
    if (wasOwn) host[name] = original
    else delete host[name]
  }
}
