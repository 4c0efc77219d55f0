/**
 * Headers on every collector response. The dashboard loads only its own scripts and styles (no inline code),
 * so the policy can be strict; nothing may frame it. The collector never sets a cookie.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
}

/** The same headers as a flat [name, value, …] list, as Node.js `writeHead` takes them. */
export const SECURITY_HEADER_LIST: readonly string[] = Object.entries(SECURITY_HEADERS).flat()
