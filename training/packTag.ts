import { createHash } from 'node:crypto'

/** The subresource-integrity hash the SDK checks a pack file against: `sha256-<base64>` of its exact bytes. */
export function packIntegrity(bytes: string | Uint8Array): string {
  return `sha256-${createHash('sha256').update(bytes).digest('base64')}`
}

/**
 * The script tag that loads retrained packs, for a shop that serves them from its own origin at `baseUrl`.
 *
 * @example
 * packTag({ session: '{…}', lifetime: '{…}' }, '/models/')
 * // <script src="/seglet.min.js" data-consent="granted" data-pack-url="/models/session.json" data-pack-integrity="sha256-…" … async></script>
 */
export function packTag(packs: { session?: string | Uint8Array; lifetime?: string | Uint8Array }, baseUrl = '/models/'): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`
  const attrs = ['src="/seglet.min.js"', 'data-consent="granted"']
  if (packs.session !== undefined) attrs.push(`data-pack-url="${base}session.json"`, `data-pack-integrity="${packIntegrity(packs.session)}"`)
  if (packs.lifetime !== undefined) attrs.push(`data-lifetime-pack-url="${base}lifetime.json"`, `data-lifetime-pack-integrity="${packIntegrity(packs.lifetime)}"`)
  return `<script ${attrs.join(' ')} async></script>`
}
