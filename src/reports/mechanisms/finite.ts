import { krrParams, krrVariance, type KrrParams } from './krr'
import { oueParams, oueVariance, type OueParams } from './oue'

/** The mechanism a finite question uses at a given ε: whichever has the smaller variance. */
export type FiniteMechanism = ({ kind: 'krr' } & KrrParams) | ({ kind: 'oue' } & OueParams)

/**
 * k-RR when its variance is not larger than OUE's (k < 3e^ε + 2 for rare values), OUE otherwise.
 * Both sides compute the same choice from (k, ε), so the body need not say which.
 *
 * @example
 * finiteMechanism(5, 2).kind // 'krr'
 * finiteMechanism(35, 2).kind // 'oue'
 */
export function finiteMechanism(k: number, epsilon: number): FiniteMechanism {
  const krr = krrParams(k, epsilon)
  const oue = oueParams(k, epsilon)
  return krrVariance(krr) <= oueVariance(oue) ? { kind: 'krr', ...krr } : { kind: 'oue', ...oue }
}
