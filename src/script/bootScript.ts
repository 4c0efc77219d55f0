import { SegletError } from '../errors'
import { runCommand } from './runCommand'
import { configure, FORWARDED, reportError } from './instance'
import { readScriptOptions } from './readScriptOptions'
import { captureScriptRuntimeUrl } from '../model/loadScriptRuntime'
import { findScriptTag } from './findScriptTag'
import { hasOwn } from '../lib/hasOwn'

/** A queued command: `['track', event]`, `['setConsent', 'granted']`, `['init', options]`, … */
export type Command = [string, ...unknown[]]

/** The `window.seglet` object once Seglet runs: `push` executes commands at once. */
export interface CommandQueue {
  push(...commands: unknown[]): number
  /** Marks the queue of a running copy of the tag, so a second copy stays idle. */
  seglet: 1
}

const is = (command: unknown, name: string) => Array.isArray(command) && command[0] === name

/**
 * Starts the script-tag build: reads the tag's `data-*` options, publishes `api` as `window.Seglet`, starts
 * Seglet (unless `data-autostart="false"`), replays `window.seglet` in order and replaces it with a live
 * queue. Nothing here may throw into the page.
 */
export function bootScript(api: Record<string, unknown>): void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return
  const w = window as unknown as { seglet?: { seglet?: unknown }; Seglet?: unknown }
  // A second copy of the tag on the page (a theme's and an app's): the first one runs, alone, or every event
  // would be captured twice. The first one's queue tells, also on a page that took `window.Seglet`. By its mark
  // itself: markup in the page's content can make `window.seglet.seglet` an element (`<form id="seglet"><input
  // name="seglet">`), which must not switch Seglet off.
  if (w.seglet?.seglet === 1) return
  try {
    const script = findScriptTag()
    // The runtime file sits beside this script; `document.currentScript` is only set while it runs.
    captureScriptRuntimeUrl(script)
    const queued: unknown[] = Array.isArray(w.seglet) ? (w.seglet as unknown[]).slice() : []
    // Queued listeners first: what the start reports (a bad attribute, a broken platform) is theirs, not the console's.
    for (const command of queued) if (is(command, 'onError')) runCommand(command, api, reportError)
    const config = readScriptOptions(script, reportError)
    configure(config.options)
    // A `window.Seglet` of the page's own is left as it is, as is one the page made read-only. Not an element the
    // page's content names `Seglet` (a review's `<img name="Seglet">`): the window's named access is no property of
    // its own, and the shop's `Seglet.*` calls (its consent manager's) must reach Seglet.
    try {
      if ((hasOwn(w, 'Seglet') && w.Seglet) || ((w.Seglet = api), w.Seglet !== api)) throw 0
    } catch {
      reportError(new SegletError('global_taken', 'window.Seglet is taken'))
    }
    // The first queued ['init', options] starts Seglet with its options over the tag's attributes; until
    // Seglet starts (data-autostart="false"), the commands of the running Seglet wait for it. Those that work in
    // every state run at once, as their Seglet.* methods do: `setConsent` (Seglet starts with it, also over the
    // consent of an `init` queued after it: a tag's "denied" must not delete what a granted consent keeps),
    // `onError`, `forget` (a shopper's request to be forgotten does not wait for a start that may never come).
    let started = false
    const pending: unknown[] = []
    const exec = (command: unknown) => {
      if (started || !Array.isArray(command) || !(FORWARDED as readonly unknown[]).includes(command[0])) runCommand(command, api, reportError)
      else pending.push(command)
    }
    // Held back until `init` starts Seglet, queued or called by the page, then run in order.
    const start = api.init as (options: unknown) => unknown
    api.init = (options: unknown) => {
      options = start(options)
      started = true
      for (const earlier of pending.splice(0)) runCommand(earlier, api, reportError)
      return options
    }
    for (const command of queued) if (!is(command, 'onError')) exec(command)
    if (!started && config.autostart) exec(['init'])

    const queue: CommandQueue = {
      seglet: 1,
      push(...commands: unknown[]) {
        for (const command of commands) exec(command)
        return pending.length
      },
    }
    // `window.seglet` is Seglet's queue (its snippet makes it an array), whatever the page had put there.
    w.seglet = queue
  } catch (error) {
    reportError(error instanceof SegletError ? error : new SegletError('start_failed', `Seglet could not start: ${String(error)}`, { cause: error }))
  }
}
