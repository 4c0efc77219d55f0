/**
 * The global `IDBFactory`, or `undefined` where there is none (Node, old WebViews) or where merely
 * reading it throws (Firefox with cookies blocked throws a `SecurityError`).
 */
export function getIndexedDB(): IDBFactory | undefined {
  try {
    return typeof indexedDB === 'undefined' || indexedDB === null ? undefined : indexedDB
  } catch {
    return undefined
  }
}
