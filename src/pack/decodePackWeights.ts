import { ModelPackError } from '../errors'
import type { DenseWeights, ModelPack } from './types'
import { decodeWeights } from './weightCodec'

/**
 * The weights of a checked pack (`checkPack()`), decoded, refusing NaN or infinite ones: a pack that holds
 * them makes every prediction useless, so it is refused once, when it is read (`pack_invalid`).
 *
 * @example
 * const weights = decodePackWeights(checkPack(value, expected))
 */
export function decodePackWeights(pack: ModelPack): Map<string, DenseWeights> {
  let weights: Map<string, DenseWeights>
  try {
    weights = decodeWeights(pack.model.layers, pack.model.weightSpecs, pack.model.weightData)
  } catch (error) {
    if (error instanceof ModelPackError) throw error
    throw new ModelPackError('pack_invalid', `Invalid model pack: its weights could not be decoded (${String(error)}).`, error)
  }
  for (const [name, w] of weights) {
    if (!w.kernel.every(Number.isFinite)) throw new ModelPackError('pack_invalid', `Invalid model pack: weight "${name}/kernel" holds NaN or infinite values.`)
    if (!w.bias.every(Number.isFinite)) throw new ModelPackError('pack_invalid', `Invalid model pack: weight "${name}/bias" holds NaN or infinite values.`)
  }
  return weights
}
