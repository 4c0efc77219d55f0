import { h } from './h'

/** A `<dl>` of term / value rows. */
export function definitionList(doc: Document, rows: Array<[string | Node, string | Node]>): HTMLElement {
  const list = h(doc, 'dl')
  for (const [term, value] of rows) list.append(h(doc, 'dt', {}, [term]), h(doc, 'dd', {}, [value]))
  return list
}
