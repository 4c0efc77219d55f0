/**
 * Reduces a URL to its path and query: the origin and the fragment are removed (`https://shop.example/a?b#c`
 * → `/a?b`). Returns `undefined` when what is left is not a path (a relative or `javascript:` URL).
 */
export function normalizeUrl(url: string): string | undefined {
  let rest = url
  const hash = rest.indexOf('#')
  if (hash >= 0) rest = rest.slice(0, hash)
  const origin = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?\/\/[^/?]*/.exec(rest)
  if (origin) rest = rest.slice(origin[0].length)
  if (rest === '' && origin) return '/'
  if (rest.charCodeAt(0) === 63 /* ? */ && origin) return '/' + rest
  return rest.charCodeAt(0) === 47 /* / */ ? rest : undefined
}
