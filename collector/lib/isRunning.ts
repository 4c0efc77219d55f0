/**
 * Whether a process `pid` runs on this machine (its own process-id namespace): a lock it holds is not left behind.
 *
 * @example
 * if (!isRunning(holder)) takeOver(lock)
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
