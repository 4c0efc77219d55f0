/**
 * Calls `visit` with each record of a cursor `request` until the records end or `visit` returns `false`.
 * Raw callbacks, no promise per record: a prune walks thousands of them.
 *
 * @example
 * await walkCursor(store.index('ts').openCursor(range), (cursor) => void cursor.delete())
 */
export function walkCursor(request: IDBRequest<IDBCursorWithValue | null>, visit: (cursor: IDBCursorWithValue) => boolean | void): Promise<void> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => {
      const cursor = request.result
      if (cursor && visit(cursor) !== false) cursor.continue()
      else resolve()
    }
    request.onerror = () => reject(request.error)
  })
}
