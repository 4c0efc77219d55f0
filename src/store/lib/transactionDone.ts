/**
 * Resolves when `tx` commits; rejects with what it aborted with (a quota error; `null` after a call of
 * `abort()`). A failed request whose error event is not cancelled aborts the transaction, so it rejects
 * then too. Call it in the task that created the transaction, before it can finish.
 */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onabort = () => reject(tx.error)
  })
}
