/**
 * Resolves when `tx` commits; rejects with what it aborted with (a quota error, an abort). Call it in the
 * task that created the transaction, before it can finish.
 */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onabort = tx.onerror = () => reject(tx.error ?? new DOMException('The transaction was aborted', 'AbortError'))
  })
}
