const indexes = new WeakMap<readonly string[], Map<string, number>>()

/**
 * The values of the features a pack reads (`names`, in the pack's order) from a full table vector
 * (`sessionVector()` / `lifetimeVector()`, in the order of `tableNames`). A name the table lacks reads NaN,
 * which `applyFeatureSpec()` turns into 0; `checkPack()` refuses such packs before they get here.
 *
 * @example
 * const raw = selectFeatures(features.sessionRaw, SESSION_FEATURE_NAMES, pack.featureSpec.names)
 */
export function selectFeatures(raw: readonly number[], tableNames: readonly string[], names: readonly string[]): number[] {
  let index = indexes.get(tableNames)
  if (!index) {
    index = new Map(tableNames.map((name, i) => [name, i]))
    indexes.set(tableNames, index)
  }
  return names.map((name) => {
    const at = index!.get(name)
    return at === undefined ? NaN : raw[at]
  })
}
