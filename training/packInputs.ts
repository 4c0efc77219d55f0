import { LIFETIME_FEATURE_NAMES, LIFETIME_FEATURE_SPEC_VERSION, LIFETIME_FEATURE_TRANSFORMS, PUBLIC_SESSION_FEATURE_NAMES, SESSION_FEATURE_NAMES, SESSION_FEATURE_SPEC_VERSION, SESSION_FEATURE_TRANSFORMS } from '../src/features/featureNames'
import type { LifetimeAggregate, SessionAggregate } from '../src/features/types'
import { lifetimeVector, sessionVector } from '../src/features/vectors'
import type { ModelPack } from '../src/pack/types'
import type { PackInput } from './buildPack'
import { median } from './dataset'
import { depthWord, nameLifetimeSegment, nameSessionSegment, valueTier, type ClusterProfile } from './naming'
import { LIFETIME_CLUSTER_FEATURES, SESSION_CLUSTER_FEATURES, type PackConfig } from './packConfig'
import type { WardNode } from './ward'

export function sessionProfileValues(a: SessionAggregate): Record<string, number> {
  return {
    administrativePages: a.administrativePages, administrativeSeconds: a.administrativeSeconds,
    informationalPages: a.informationalPages, informationalSeconds: a.informationalSeconds,
    productPages: a.productPages, productSeconds: a.productSeconds,
  }
}

export function lifetimeProfileValues(a: LifetimeAggregate): Record<string, number> {
  return { recencyDays: a.recencyDays, orders: a.orders, monetary: a.monetary, averageBasket: a.averageBasket, tenureDays: a.tenureDays, returns: a.returns }
}

function weighted(node: WardNode, profiles: ClusterProfile[], key: string): number {
  let sum = 0
  for (const c of node.leaves) sum += profiles[c].medians[key] * profiles[c].size
  return sum / node.size
}

/** Session branches: `engaged` / `light` by browsing depth, then the depth word, then the focus. */
export function sessionBranchWords(node: WardNode, profiles: ClusterProfile[]): string[] {
  const depth = depthWord(weighted(node, profiles, 'productPages'))
  const broad = depth === 'brief' || depth === 'casual' ? 'light' : 'engaged'
  const account = weighted(node, profiles, 'administrativePages') >= 1 ? 'account' : 'shopping'
  return [broad, `${depth}-browsing`, `${broad}-${account}`]
}

/** Lifetime branches: `active` / `lapsing` by recency, then with the spend tier. */
export function lifetimeBranchWords(node: WardNode, profiles: ClusterProfile[], all: Record<string, number>): string[] {
  const broad = weighted(node, profiles, 'recencyDays') < all.recencyDays ? 'active' : 'lapsing'
  const tier = valueTier(weighted(node, profiles, 'monetary'), all.monetary)
  return [broad, `${broad}-${tier}-value`, `${tier}-value`]
}

/**
 * The session pack's training input. `features`: `public` reads the features the public data carries (UCI;
 * the shipped pack), `all` every session feature of the table (a shop's own events).
 */
export function sessionPackInput(
  train: SessionAggregate[], trainLabels: number[], test: SessionAggregate[], testLabels: number[],
  provenance: ModelPack['provenance'], config: PackConfig, features: 'public' | 'all',
): PackInput {
  const names = features === 'public' ? PUBLIC_SESSION_FEATURE_NAMES : SESSION_FEATURE_NAMES
  // Every training session appears twice: as recorded and with its page statistics removed, so one network
  // serves shops with and without statistics (has_stats tells it which case it is in).
  const masked = train.map((a) => ({ ...a, stats: null }))
  const baseRate = trainLabels.reduce((s, v) => s + v, 0) / Math.max(1, trainLabels.length)
  return {
    kind: 'session', binaryHead: 'intent', description: 'probability that this session ends in a purchase',
    config, specVersion: SESSION_FEATURE_SPEC_VERSION, tableNames: SESSION_FEATURE_NAMES, names,
    transforms: names.map((n) => SESSION_FEATURE_TRANSFORMS[SESSION_FEATURE_NAMES.indexOf(n)]),
    trainRaw: [...train, ...masked].map(sessionVector), trainLabels: [...trainLabels, ...trainLabels],
    // Masked copies share their row's fold; negative groups mark them for the threshold choice.
    trainGroup: [...train.map((_, i) => i), ...train.map((_, i) => -1 - i)],
    clusterRaw: train.map(sessionVector), clusterLabels: trainLabels, profileValues: train.map(sessionProfileValues),
    clusterFeatures: SESSION_CLUSTER_FEATURES,
    name: (p) => nameSessionSegment(p, baseRate),
    branchWords: sessionBranchWords,
    rootName: 'All sessions',
    testRaw: test.map(sessionVector), testLabels,
    testNoStatsRaw: test.map((a) => sessionVector({ ...a, stats: null })),
    provenance, seed: provenance.seed,
  }
}

/** The lifetime pack's training input: customers with their RFM aggregate, label and split. */
export function lifetimePackInput(
  customers: Array<{ aggregate: LifetimeAggregate; label: number; test: boolean }>,
  provenance: ModelPack['provenance'], config: PackConfig, seed: number,
): PackInput {
  const train = customers.filter((c) => !c.test)
  const test = customers.filter((c) => c.test)
  const profileValues = train.map((c) => lifetimeProfileValues(c.aggregate))
  const all: Record<string, number> = {}
  for (const key of Object.keys(profileValues[0])) all[key] = median(profileValues.map((v) => v[key]))
  return {
    kind: 'lifetime', binaryHead: 'repeat', description: 'probability of another order within 90 days',
    config, specVersion: LIFETIME_FEATURE_SPEC_VERSION, tableNames: LIFETIME_FEATURE_NAMES, names: LIFETIME_FEATURE_NAMES, transforms: [...LIFETIME_FEATURE_TRANSFORMS],
    trainRaw: train.map((c) => lifetimeVector(c.aggregate)), trainLabels: train.map((c) => c.label), trainGroup: train.map((_, i) => i),
    clusterRaw: train.map((c) => lifetimeVector(c.aggregate)), clusterLabels: train.map((c) => c.label), profileValues,
    clusterFeatures: LIFETIME_CLUSTER_FEATURES,
    name: (p) => nameLifetimeSegment(p, all),
    branchWords: (node, profiles) => lifetimeBranchWords(node, profiles, all),
    rootName: 'All customers',
    testRaw: test.map((c) => lifetimeVector(c.aggregate)), testLabels: test.map((c) => c.label),
    provenance, seed,
  }
}
