/**
 * Create an element with attributes and children, DOM APIs only: text goes in as text nodes, so
 * nothing from the data is ever parsed as HTML and a strict CSP is satisfied.
 */
export function h(
  doc: Document,
  tag: string,
  attributes: Record<string, string> = {},
  children: Array<Node | string | null | undefined> = [],
): HTMLElement {
  const element = doc.createElement(tag)
  for (const name of Object.keys(attributes)) element.setAttribute(name, attributes[name])
  for (const child of children) {
    if (child === null || child === undefined) continue
    element.append(typeof child === 'string' ? doc.createTextNode(child) : child)
  }
  return element
}
