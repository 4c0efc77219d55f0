import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The dashboard's files: its page, script and style, and the chart library's browser build from node_modules. */
const FILES: Readonly<Record<string, { file: () => string; type: string }>> = {
  'index.html': { file: () => join(staticFolder(), 'index.html'), type: 'text/html; charset=utf-8' },
  'dashboard.js': { file: () => join(staticFolder(), 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { file: () => join(staticFolder(), 'dashboard.css'), type: 'text/css; charset=utf-8' },
  'chart.umd.min.js': { file: () => join(dirname(createRequire(__filename).resolve('chart.js')), 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
}

/** A dashboard file: its bytes, content type and ETag (its SHA-256, quoted). */
export interface DashboardAsset {
  body: Uint8Array<ArrayBuffer>
  type: string
  etag: string
}

const cache = new Map<string, DashboardAsset>()

/** One dashboard file by name, or undefined for any other name (no path ever reaches the file system). */
export function dashboardAsset(name: string): DashboardAsset | undefined {
  const spec = Object.prototype.hasOwnProperty.call(FILES, name) ? FILES[name] : undefined
  if (!spec) return undefined
  let asset = cache.get(name)
  if (!asset) {
    const body = new Uint8Array(readFileSync(spec.file()))
    cache.set(name, (asset = { body, type: spec.type, etag: `"sha256-${createHash('sha256').update(body).digest('base64')}"` }))
  }
  return asset
}

/** collector/dashboard/static, found from the source folder or from the compiled one in .build/. */
function staticFolder(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'collector', 'dashboard', 'static')
    if (existsSync(join(candidate, 'index.html'))) return candidate
    if (dirname(dir) === dir) throw new Error('collector/dashboard/static not found')
  }
}
