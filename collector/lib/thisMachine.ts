import { readlinkSync } from 'node:fs'
import { hostname } from 'node:os'

/**
 * Where the process ids of this process are seen: the host name, and on Linux the process-id namespace, since two
 * containers on one volume can share a host name (host networking) but not see each other's processes. A lock
 * naming it may be judged by whether its process still runs.
 *
 * @example
 * writeFile(lock, `${process.pid} ${thisMachine()}\n`, { flag: 'wx' })
 */
export function thisMachine(): string {
  try {
    return `${hostname()}/${readlinkSync('/proc/self/ns/pid').replace(/\s/g, '')}`
  } catch {
    return hostname()
  }
}
