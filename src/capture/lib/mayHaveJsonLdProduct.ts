/**
 * Whether the page has a JSON-LD block that could describe a schema.org `Product`: a cheap text check, so
 * the script-tag build loads the JSON-LD reader (with the bridges' code) only on such pages.
 */
export function mayHaveJsonLdProduct(doc: Document): boolean {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    if (script.textContent?.includes('Product')) return true
  }
  return false
}
