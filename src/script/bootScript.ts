import { SegletError } from '../errors'
import { runCommand } from './runCommand'
import { bootLater, booted, configure, reportError } from './instance'
import { readScriptOptions } from './readScriptOptions'
import { captureScriptRuntimeUrl } from '../model/loadScriptRuntime'
import { findScriptTag } from './findScriptTag'

/** A queued command: `['track', event]`, `['setConsent', 'granted']`, `['init', options]`, … */
export type Command = [string, ...unknown[]]

/** The `window.seglet` object once Seglet runs: `push` executes commands at once. */
export interface CommandQueue {
  push(...commands: unknown[]): number
}

const isInit = (command: unknown) => Array.isArray(command) && command[0] === 'init'

/**
 * Starts the script-tag build: publishes `api` as `window.Seglet`, then, in a later task (or at the first API
 * call before it), reads the tag's `data-*` options, starts Seglet (unless `data-autostart="false"`), replays
 * `window.seglet` in order and replaces it with a live queue. Nothing here may throw into the page.
 */
export function bootScript(api: Record<string, unknown>): void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return
  try {
    const script = findScriptTag()
    // The runtime file sits beside this script; `document.currentScript` is only set while it runs.
    captureScriptRuntimeUrl(script)
    const w = window as unknown as { seglet?: unknown; Seglet?: unknown }
    try {
      w.Seglet = api
      if (w.Seglet !== api) throw 0
    } catch {
      reportError(new SegletError('global_taken', 'window.Seglet is taken: use window.seglet.push()'))
    }
    // The rest runs in a task of its own, so the script's evaluation stays short; the first API call (or
    // `window.seglet.push()`) before it runs it at once, so calls keep their order.
    bootLater(() => boot(api, script, w))
    // Anti-flicker hides the page from the start's task. A blocking tag (neither `async` nor `defer`) runs
    // before the browser can paint anything below it, and with `data-anti-flicker` it starts at once, so the
    // page is hidden before its first paint; an async tag may run after one anyway, and waits for its task.
    if (script?.hasAttribute('data-anti-flicker') && !script.async && !script.defer) booted()
  } catch (error) {
    reportError(startFailed(error))
  }
}

/** What a failed start threw, as the `SegletError` reported for it. */
const startFailed = (error: unknown): SegletError =>
  error instanceof SegletError ? error : new SegletError('start_failed', `Seglet could not start: ${String(error)}`, { cause: error })

/**
 * The start proper: reads the tag's options, starts Seglet (unless `data-autostart="false"`), replays
 * `window.seglet` in order and replaces it with a live queue.
 */
function boot(api: Record<string, unknown>, script: HTMLScriptElement | undefined, w: { seglet?: unknown }): void {
  try {
    const config = readScriptOptions(script, reportError)
    configure(config.options)
    const queued: unknown[] = Array.isArray(w.seglet) ? (w.seglet as unknown[]).slice() : []
    // The first queued ['init', options] starts Seglet with its options over the tag's attributes; until
    // Seglet starts (data-autostart="false"), other commands wait for it.
    let started = false
    const pending: unknown[] = []
    const exec = (command: unknown) => {
      if (started) runCommand(command, api, reportError)
      else if (isInit(command)) {
        started = true
        runCommand(command, api, reportError)
        for (const earlier of pending.splice(0)) runCommand(earlier, api, reportError)
      } else pending.push(command)
    }
    const first = queued.findIndex(isInit)
    if (first >= 0) exec(queued.splice(first, 1)[0])
    else if (config.autostart) exec(['init'])
    for (const command of queued) exec(command)

    const queue: CommandQueue = {
      push(...commands: unknown[]) {
        for (const command of commands) exec(command)
        return pending.length
      },
    }
    w.seglet = queue
  } catch (error) {
    reportError(startFailed(error))
  }
}
