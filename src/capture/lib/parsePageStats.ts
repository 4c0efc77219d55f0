import { MAX_PRICE } from '../../events/limits'
import type { PageStats } from '../../events/types'

const KEYS: Record<string, keyof PageStats> = {
  bounce: 'bounceRate',
  bouncerate: 'bounceRate',
  exit: 'exitRate',
  exitrate: 'exitRate',
  value: 'pageValue',
  pagevalue: 'pageValue',
}

/**
 * Parses `bounce=0.02;exit=0.05;value=12.5` (the `content` of `<meta name="seglet:page-stats">`). Unknown keys
 * and out-of-range values are skipped; `undefined` when nothing usable is left.
 */
export function parsePageStats(content: string): PageStats | undefined {
  if (content.length > 512) return undefined
  const stats: PageStats = {}
  let found = false
  for (const part of content.split(/[;,]/)) {
    const [rawKey, rawValue] = part.split('=')
    const key = KEYS[(rawKey ?? '').trim().toLowerCase()]
    const value = rawValue === undefined || rawValue.trim() === '' ? NaN : Number(rawValue)
    if (!key || !(value >= 0)) continue
    if (key === 'pageValue' ? value > MAX_PRICE : value > 1) continue
    stats[key] = value
    found = true
  }
  return found ? stats : undefined
}
