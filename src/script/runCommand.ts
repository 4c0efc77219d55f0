import { SegletError } from '../errors'
import { describeValue } from '../events/lib/describeValue'

/** The queue's commands: the API's methods that act (a read such as `getSegment` has nobody to answer). */
const COMMANDS = ['init', 'track', 'setConsent', 'flush', 'onSegment', 'onError', 'forget', 'exportData', 'shopifyEvent', 'showPanel', 'hidePanel', 'destroy']

/**
 * Runs one queued command (`['track', event]`) with the method of that name in `api`. A malformed command,
 * or one whose call throws or rejects, is reported, never thrown: queued commands have no caller that could
 * catch.
 */
export function runCommand(command: unknown, api: Record<string, unknown>, report: (error: SegletError) => void): void {
  try {
    if (!Array.isArray(command) || !COMMANDS.includes(command[0])) {
      report(new SegletError('invalid_command', `Unknown Seglet command ${describeValue(Array.isArray(command) ? command[0] : command)}; expected [name, ...args] with name one of ${COMMANDS.join(', ')}`))
      return
    }
    const result = (api[command[0]] as (...args: unknown[]) => unknown)(...command.slice(1))
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      ;(result as Promise<unknown>).then(undefined, (error: unknown) => report(toSegletError(error)))
    }
  } catch (error) {
    report(toSegletError(error))
  }
}

const toSegletError = (error: unknown): SegletError =>
  error instanceof SegletError ? error : new SegletError('invalid_command', `Seglet command failed: ${String(error)}`, { cause: error })
