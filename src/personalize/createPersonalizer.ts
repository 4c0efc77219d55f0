import type { ErrorReporter } from '../errors'
import { createBlocks } from './createBlocks'
import { createPersonalizerWith } from './createPersonalizerWith'
import type { PersonalizeOptions, Personalizer } from './types'

/**
 * Create the bridge from segments to the page. Nothing touches the DOM before `start()`.
 *
 * @example
 * const personalizer = createPersonalizer({ antiFlicker: true }, (error) => report(error))
 * personalizer.start()
 * personalizer.onSegment((segment) => analytics.set({ segment: segment.id }))
 * personalizer.apply(segment)   // <html class="seglet-engaged seglet-account-engaged-browser" data-seglet-segment="account-engaged-browser">
 */
export function createPersonalizer(options: PersonalizeOptions = {}, onError: ErrorReporter = () => {}): Personalizer {
  return createPersonalizerWith(options, onError, { createBlocks })
}
