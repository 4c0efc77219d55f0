import { createElement, useEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { OptionsError } from 'seglet'
import type { Seglet, SegletOptions, SegmentHint } from 'seglet'
import { onDecided } from '../personalize/onDecided'
import { startSeglet, tell } from '../personalize/startSeglet'
import { SegletContext } from './SegletContext'

const noop = () => {}

/**
 * The options a provider starts Seglet with. It starts in an effect, after React's first paint, where anti-flicker
 * would hide the painted page for a moment (the flicker it exists to prevent): started without it, and said once.
 */
function afterPaint(options: SegletOptions | undefined): SegletOptions | undefined {
  try {
    if (options?.personalize?.antiFlicker !== true) return options
    tell(
      options,
      new OptionsError(
        'personalize.antiFlicker needs Seglet to start before the first paint, and a provider with options starts it after React painted: started without it. Create Seglet with createSeglet() before rendering and pass it as seglet.',
        'personalize.antiFlicker',
      ),
    )
    return { ...options, personalize: { ...options.personalize, antiFlicker: false } }
  } catch {
    // Options that throw as they are read: startSeglet() reports them.
    return options
  }
}

/** Props of `<SegletProvider>`. Give either `seglet` or `options`. */
export interface SegletProviderProps {
  /**
   * A Seglet the app created itself with `createSeglet()` (it stays running when the provider unmounts).
   * @default undefined
   */
  seglet?: Seglet | null
  /**
   * Options to start Seglet with in the browser, once the provider has mounted (never during server
   * rendering); it is destroyed when the provider unmounts (not by StrictMode's development remount, which keeps
   * it). Read once: later changes are ignored, but taking them away (or giving a `seglet`) destroys it. `<Activity mode="hidden">` cleans up effects as an unmount does: it
   * is destroyed then, and a new one started from `options` when shown (recording the page view again); pass a
   * `seglet` to keep one through hiding.
   * A bad option, or a start the browser fails, is reported through `onError` (without one, as one
   * `console.warn` line, `Seglet invalid_option: …`, as `seglet/vue` does), not thrown: the children render
   * without Seglet. `personalize.antiFlicker` is left out (and reported once): started after React's first paint,
   * it would hide the painted page; create Seglet before rendering for it. Ignored when `seglet` is given.
   * @default undefined
   */
  options?: SegletOptions
  /**
   * The segment hint the server read with `readSegmentHint()` from `seglet/server` (and rendered with).
   * `useSegmentHint()` returns it on the server and during hydration, so the first client render matches
   * the server's HTML, and the live segment afterwards. Compared by its content, so an object written inline
   * (`hint={{ … }}`) re-renders nothing while its fields stay the same.
   * @default null
   */
  hint?: SegmentHint | null
  children?: ReactNode
}

/**
 * Makes a Seglet available to `useSegment()`, `useSegmentHint()` and `useSeglet()` below it. Safe to render
 * on the server: it renders its children, and Seglet starts only in the browser.
 *
 * @example
 * import { SegletProvider } from 'seglet/react'
 * <SegletProvider options={{ consent: 'granted' }}><App /></SegletProvider>
 * // or with an instance the app created and may use outside React:
 * const seglet = createSeglet({ consent: 'granted' })
 * <SegletProvider seglet={seglet}><App /></SegletProvider>
 */
export function SegletProvider({ seglet, options, hint = null, children }: SegletProviderProps): ReturnType<typeof createElement> {
  const [own, setOwn] = useState<Seglet | null>(null)
  // The Seglet started from options (`null`: it could not start), kept across StrictMode's development remount,
  // which keeps refs: a second one would capture the page view again, a second failure be reported again.
  const started = useRef<{ seglet: Seglet; stopped?: boolean } | null>(undefined)
  const startOwn = !seglet && options !== undefined
  useEffect(() => {
    if (!startOwn || started.current === null) return
    if (!started.current) {
      // Created in an effect, so server rendering never starts it. Thrown from an effect, a bad option would take
      // the shop's whole React tree down: reported (startSeglet), and the page renders without Seglet.
      const created = startSeglet(afterPaint(options))
      if (!created) {
        started.current = null
        return
      }
      started.current = { seglet: created }
    }
    const entry = started.current
    entry.stopped = false
    setOwn(entry.seglet)
    return () => {
      entry.stopped = true
      // StrictMode runs the effect again at once, in the same task: only a real unmount destroys the Seglet.
      // Hiding in <Activity> cleans up too, and is destroyed: a provider removed while hidden runs no clean-up,
      // so a Seglet kept through hiding could never be stopped.
      queueMicrotask(() => {
        if (!entry.stopped) return
        started.current = undefined
        setOwn(null)
        void entry.seglet.destroy()
      })
    }
    // Options are read once at mount, as documented.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [startOwn])
  const current = seglet ?? own
  // `hint={{ … }}` written inline is a new object at every render: kept while its content is the same, so the
  // context value holds and no consumer re-renders, nor restarts its check for the first decision.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const sameHint = useMemo(() => hint, [hint?.segmentId, hint?.intentBand])
  // Notes the page's first decision while the server's hint stands in, so that a component mounted after a
  // forget() (on the next client-side route, say) does not bring the hint back.
  useEffect(() => (current && sameHint ? onDecided(current, noop) : undefined), [current, sameHint])
  const value = useMemo(() => ({ seglet: current, hint: sameHint }), [current, sameHint])
  return createElement(SegletContext.Provider, { value }, children)
}
