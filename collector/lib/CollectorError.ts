import { SegletError } from '../../src/errors'

/**
 * Thrown by the collector for a bad command-line option (`collector_option`), a storage failure
 * (`collector_storage`) or a pack that cannot be signed or published (`collector_pack`). The message is one line, fit to print as it is.
 *
 * @example
 * throw new CollectorError('collector_option', '--port must be an integer from 0 to 65535', '--port')
 */
export class CollectorError extends SegletError {
  constructor(code: 'collector_option' | 'collector_storage' | 'collector_pack', message: string, field?: string, cause?: unknown) {
    super(code, message, { field, cause })
    this.name = 'CollectorError'
  }
}
