/**
 * Resolves in a later task, so the page can handle input and render in between long pieces of work
 * (`scheduler.yield()` where the browser has it, else a zero-delay timeout).
 */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  if (typeof scheduler?.yield === 'function') return scheduler.yield()
  return new Promise((resolve) => setTimeout(resolve, 0))
}
