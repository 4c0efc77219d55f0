import { redactUserinfo } from './redactUserinfo'

/**
 * Error codes used by every `SegletError`. Stable strings: match on them, not on messages.
 */
export type SegletErrorCode =
  | 'invalid_event'
  | 'invalid_option'
  | 'invalid_command'
  | 'storage_unavailable'
  | 'storage_quota'
  | 'storage_corrupt_record'
  | 'storage_failed'
  | 'storage_blocked'
  | 'data_deleted'
  | 'events_dropped'
  | 'pack_invalid'
  | 'pack_spec_mismatch'
  | 'pack_integrity'
  | 'pack_origin'
  | 'pack_load_failed'
  | 'pack_too_large'
  | 'pack_key_invalid'
  | 'pack_signature_missing'
  | 'pack_signature_key'
  | 'pack_signature_invalid'
  | 'pack_signature_unsupported'
  | 'pack_manifest_invalid'
  | 'pack_manifest_expired'
  | 'pack_rollback'
  | 'model_failed'
  | 'bridge_invalid'
  | 'autocapture_failed'
  | 'hook_failed'
  | 'not_started'
  | 'already_started'
  | 'start_failed'
  | 'destroyed'
  | 'global_taken'
  | 'report_malformed'
  | 'report_out_of_range'
  | 'report_version'
  | 'report_mismatch'
  | 'report_origin'
  | 'report_failed'
  | 'report_unconfirmed'
  | 'report_random'
  | 'table_origin'
  | 'table_load_failed'
  | 'table_too_large'
  | 'table_integrity'
  | 'table_invalid'
  | 'collector_option'
  | 'collector_storage'
  | 'collector_pack'

/**
 * Base class of every error Seglet throws or reports.
 *
 * @example
 * try { seglet.track({ type: 'purchase' }) } catch (e) {
 *   if (isSegletError(e)) console.log(e.code, e.message)
 * }
 */
export class SegletError extends Error {
  /** Stable machine-readable code. */
  readonly code: SegletErrorCode
  /** The field that was wrong, when the error is about one field (`items[2].price`). */
  readonly field?: string

  constructor(code: SegletErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    // A URL's user name and password (`https://user:secret@shop.example/pack.json`) never reach a message.
    super(redactUserinfo(message))
    this.name = 'SegletError'
    this.code = code
    if (options.field !== undefined) this.field = options.field
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause
  }
}

/** Thrown by `track()` and the validators when an event is malformed. Code `invalid_event`. */
export class ValidationError extends SegletError {
  constructor(message: string, field?: string) {
    super('invalid_event', message, { field })
    this.name = 'ValidationError'
  }
}

/** Thrown for a bad option passed to `createSeglet()` or a setter. Code `invalid_option`. */
export class OptionsError extends SegletError {
  constructor(message: string, field?: string) {
    super('invalid_option', message, { field })
    this.name = 'OptionsError'
  }
}

/** Reported (never thrown into the page) when IndexedDB fails; Seglet carries on in memory. */
export class StorageError extends SegletError {
  constructor(code: Extract<SegletErrorCode, `storage_${string}`>, message: string, cause?: unknown) {
    super(code, message, { cause })
    this.name = 'StorageError'
  }
}

/** Thrown when a model pack is malformed, fails its integrity check, or does not match the SDK's features. */
export class ModelPackError extends SegletError {
  constructor(code: Extract<SegletErrorCode, `pack_${string}`> | 'model_failed', message: string, cause?: unknown) {
    super(code, message, { cause })
    this.name = 'ModelPackError'
  }
}

/** Reported when a GA4 `dataLayer` entry or a Shopify customer event cannot be mapped. Code `bridge_invalid`. */
export class BridgeError extends SegletError {
  constructor(message: string, cause?: unknown) {
    super('bridge_invalid', message, { cause })
    this.name = 'BridgeError'
  }
}

export { createReporter } from './createReporter'
export type { ErrorListener } from './createReporter'
export { redactUserinfo }

/**
 * Thrown by `parseReport()` for a body that is not a well-formed report (`report_malformed`), has a value
 * outside its domain (`report_out_of_range`) or another format version (`report_version`); by
 * `encodeReport()` for a truth outside its domain; by `addReport()` for a report of other sums
 * (`report_mismatch`).
 */
export class ReportError extends SegletError {
  constructor(code: Extract<SegletErrorCode, `report_${string}`>, message: string, field?: string) {
    super(code, message, { field })
    this.name = 'ReportError'
  }
}

/** Type guard for any Seglet error. */
export function isSegletError(value: unknown): value is SegletError {
  return value instanceof SegletError
}

/** Type guard for event validation errors. */
export function isValidationError(value: unknown): value is ValidationError {
  return value instanceof ValidationError
}

/**
 * The one place failures that must not reach the page go: autocapture, bridges, storage and hooks
 * report here. Receives a `SegletError`.
 */
export type ErrorReporter = (error: SegletError) => void
