/**
 * The global `IDBFactory`, or `undefined` where there is none (Node, old WebViews) or where merely
 * reading it throws (Firefox with cookies blocked throws a `SecurityError`; where it was never declared,
 * reading it throws a `ReferenceError`).
 */
export function getIndexedDB(): IDBFactory | undefined {
  try {
    return indexedDB ?? undefined
  } catch {
    return undefined
  }
}
