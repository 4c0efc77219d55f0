import type { SegletOptions } from '../core/createSeglet'
import { SegletError } from '../errors'
import { runCommand } from './runCommand'
import { init, reportError } from './instance'
import { readScriptOptions } from './readScriptOptions'
import { captureScriptRuntimeUrl } from '../model/loadScriptRuntime'

/** A queued command: `['track', event]`, `['setConsent', 'granted']`, `['init', options]`, … */
export type Command = [string, ...unknown[]]

/** The `window.seglet` object once Seglet runs: `push` executes commands at once. */
export interface CommandQueue {
  push(...commands: unknown[]): number
}

const findScript = (): Element | null => {
  if (typeof document === 'undefined') return null
  return document.currentScript ?? document.querySelector('script[src*="seglet"][src$=".js"]')
}

/**
 * Starts the script-tag build: reads the tag's `data-*` options, starts Seglet (unless
 * `data-autostart="false"`), replays `window.seglet` in order and replaces it with a live queue.
 * Nothing here may throw into the page.
 */
export function bootScript(): void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return
  try {
    const script = findScript()
    // The runtime file sits beside this script; `document.currentScript` is only set while it runs.
    captureScriptRuntimeUrl(script as HTMLScriptElement | null)
    const config = readScriptOptions(script, reportError)
    const w = window as unknown as { seglet?: unknown }
    const queued: unknown[] = Array.isArray(w.seglet) ? (w.seglet as unknown[]).slice() : []
    // Options given with a queued ['init', options] go over the tag's attributes.
    let started = false
    const start = (extra: SegletOptions) => {
      if (started) return
      started = true
      const options: SegletOptions = { ...config.options }
      for (const key of Object.keys(extra) as (keyof SegletOptions)[]) {
        const value = extra[key]
        const base = options[key]
        ;(options as Record<string, unknown>)[key] =
          value && typeof value === 'object' && base && typeof base === 'object' ? { ...base, ...value } : value
      }
      init(options)
    }

    const pending: unknown[] = []
    const exec = (command: unknown) => {
      if (!started) {
        if (Array.isArray(command) && command[0] === 'init') {
          const extra = command[1]
          start(extra && typeof extra === 'object' ? (extra as SegletOptions) : {})
          for (const earlier of pending.splice(0)) runCommand(earlier, reportError)
        } else {
          pending.push(command)
        }
        return
      }
      runCommand(command, reportError)
    }

    const initCommand = queued.find((c) => Array.isArray(c) && c[0] === 'init')
    if (config.autostart || initCommand) start(Array.isArray(initCommand) && initCommand[1] && typeof initCommand[1] === 'object' ? (initCommand[1] as SegletOptions) : {})
    for (const command of queued) {
      if (started && Array.isArray(command) && command[0] === 'init') continue
      exec(command)
    }

    const queue: CommandQueue = {
      push(...commands: unknown[]) {
        for (const command of commands) {
          try {
            exec(command)
          } catch (error) {
            reportError(error instanceof SegletError ? error : new SegletError('invalid_command', String(error)))
          }
        }
        return pending.length
      },
    }
    w.seglet = queue
  } catch (error) {
    reportError(error instanceof SegletError ? error : new SegletError('invalid_command', `Seglet could not start: ${String(error)}`, { cause: error }))
  }
}
