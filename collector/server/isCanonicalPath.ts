const SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/

/**
 * True when a request target (as it came, before any decoding) spells its path the one way the collector's
 * routes do: a path from `/` (not the absolute form `http://host/…`), non-empty segments of unreserved
 * characters, no percent-escape, no `.` or `..` segment. The shop's sign-in in front of `/seglet/dashboard` and
 * `/seglet/insights.json` matches paths as they came; another spelling of the same route
 * (`/seglet/insights%2ejson`, `/seglet/reports/../insights.json`, `http://shop/seglet/insights.json`) would reach
 * it around the sign-in.
 *
 * @example
 * isCanonicalPath('/seglet/insights.json?x=1') // true
 * isCanonicalPath('/seglet/insights%2ejson') // false
 * isCanonicalPath('http://shop.example/seglet/insights.json') // false
 */
export function isCanonicalPath(target: string): boolean {
  const path = target.split('?')[0]!
  return path.startsWith('/') && path.slice(1).split('/').every((segment) => SEGMENT.test(segment))
}
