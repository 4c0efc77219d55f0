// The page keys the demo storefront's pages declare (`<meta name="seglet:page-key">`): the collector's candidates.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const STOREFRONT = fileURLToPath(new URL('../examples/storefront', import.meta.url))

/**
 * Every page key declared by an HTML page under `dir` (the demo storefront by default), in file order.
 * @param {string} [dir]
 * @returns {string[]}
 */
export function storefrontPageKeys(dir = STOREFRONT) {
  const keys = new Set()
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      const file = join(folder, name)
      if (statSync(file).isDirectory()) walk(file)
      else if (name.endsWith('.html')) {
        const match = /<meta\s+name="seglet:page-key"\s+content="([^"]+)"/.exec(readFileSync(file, 'utf8'))
        if (match) keys.add(match[1])
      }
    }
  }
  walk(dir)
  return [...keys]
}
