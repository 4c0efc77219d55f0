/** The `content` of `<meta name="…">`, trimmed, or `undefined`. */
export function readMeta(doc: Document, name: string): string | undefined {
  const content = doc.querySelector(`meta[name="${name}"]`)?.getAttribute('content')
  return content ? content.trim() : undefined
}
