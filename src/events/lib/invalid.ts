import { ValidationError } from '../../errors/index'
import { describeValue } from './describeValue'

/**
 * Builds the error for one bad field. `at` is the path so far (`purchase.items[2].`); the message keeps it
 * whole, the `field` drops the leading event type (`items[2].price`).
 */
export function invalid(
  at: string,
  key: string,
  expectation: string,
  value: unknown,
  described = describeValue(value),
): ValidationError {
  const path = at + key
  return new ValidationError(`${path} ${expectation}, got ${described}`, path.slice(path.indexOf('.') + 1))
}
