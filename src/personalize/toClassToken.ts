/**
 * A segment id as a class-name token. Pack ids are kebab-case already; this guards against a
 * corrupt stored id, since `classList.add` throws on whitespace.
 */
export function toClassToken(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')
}
