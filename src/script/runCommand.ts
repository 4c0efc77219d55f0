import { SegletError } from '../errors'
import * as api from './instance'

const COMMANDS: Record<string, (...args: never[]) => unknown> = {
  init: api.init,
  track: api.track,
  setConsent: api.setConsent,
  flush: api.flush,
  onSegment: api.onSegment,
  onError: api.onError,
  forget: api.forget,
  exportData: api.exportData,
  shopifyEvent: api.shopifyEvent,
  showPanel: api.showPanel,
  hidePanel: api.hidePanel,
  destroy: api.destroy,
}

/**
 * Runs one queued command (`['track', event]`). A malformed command, or one whose call throws or rejects,
 * is reported, never thrown: queued commands have no caller that could catch.
 */
export function runCommand(command: unknown, report: (error: SegletError) => void): void {
  try {
    if (!Array.isArray(command) || typeof command[0] !== 'string' || !Object.prototype.hasOwnProperty.call(COMMANDS, command[0])) {
      report(new SegletError('invalid_command', `Unknown Seglet command ${describe(command)}; expected [name, ...args] with name one of ${Object.keys(COMMANDS).join(', ')}`))
      return
    }
    const fn = COMMANDS[command[0]] as (...args: unknown[]) => unknown
    const result = fn(...command.slice(1))
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      ;(result as Promise<unknown>).then(undefined, (error: unknown) => report(toSegletError(error)))
    }
  } catch (error) {
    report(toSegletError(error))
  }
}

const toSegletError = (error: unknown): SegletError =>
  error instanceof SegletError ? error : new SegletError('invalid_command', `Seglet command failed: ${String(error)}`, { cause: error })

const describe = (value: unknown): string => {
  try {
    return Array.isArray(value) ? `[${typeof value[0] === 'string' ? JSON.stringify(value[0].slice(0, 40)) : typeof value[0]}, …]` : typeof value
  } catch {
    return 'value'
  }
}
