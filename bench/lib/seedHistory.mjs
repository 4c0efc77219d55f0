/**
 * Writes a returning shopper's history into the Seglet database of `origin`, through the real store (the
 * bench's internals build), from a blank page of that origin in `context`.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} origin e.g. `http://127.0.0.1:4310`
 * @param {object[]} events
 */
export async function seedHistory(context, origin, events) {
  const seed = await context.newPage()
  await seed.goto(origin + '/bench/pages/blank.html')
  await seed.evaluate(async (history) => {
    const { createStore } = await import('/.build/bench/internals.mjs')
    const store = createStore({ persist: true, maxEventsPerSecond: Infinity })
    for (const e of history) store.enqueue(e)
    await store.flush()
    await store.close()
  }, events)
  await seed.close()
}
