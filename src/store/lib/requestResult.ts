/**
 * The result of an IndexedDB request, as a promise; rejects with the request's error. The handlers are set
 * at once, so call this in the task that made the request.
 *
 * @example
 * const count = await requestResult(store.count())
 */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}
