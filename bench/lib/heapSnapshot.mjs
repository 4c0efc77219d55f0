// Heap snapshots over CDP, grouped into what a script costs a page: its compiled code, its strings, the
// Web API bindings it made Blink create, object shapes, its own objects, and what lives outside the JS heap.
// Used by `npm run bench:peers` to say what holds the heap an SDK adds.

/** Takes a heap snapshot of the page behind `cdp` (after a garbage collection) and parses it. */
export async function takeHeapSnapshot(cdp) {
  const chunks = []
  const onChunk = (e) => chunks.push(e.chunk)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
  return JSON.parse(chunks.join(''))
}

const TEMPLATE = /^system \/ (FunctionTemplateInfo|ObjectTemplateInfo|FunctionTemplateRareData|AccessorPair|InterceptorInfo|AccessorInfo)$/

/**
 * The group of one snapshot node:
 * - `code`: bytecode, shared function infos, scope infos, feedback, constant pools — V8's cost of compiling
 *   and running the functions that ran;
 * - `strings`: identifiers, property names and string values;
 * - `bindings`: the templates Blink instantiates the first time a script touches a Web API interface;
 * - `shapes`: hidden classes (maps) and their descriptors;
 * - `objects`: the script's own objects, arrays, closures, contexts;
 * - `outside`: Blink's own objects and external string data (the script's source text) — not in
 *   `JSHeapUsedSize`.
 */
export function groupOf(type, name) {
  if (type === 'code') return 'code'
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return 'strings'
  if (type === 'object shape') return 'shapes'
  if (type === 'native' || type === 'synthetic') {
    if (TEMPLATE.test(name)) return 'bindings'
    if (name.startsWith('system / ')) return name === 'system / ExternalStringData' ? 'outside' : 'objects'
    return 'outside'
  }
  return 'objects'
}

/** Self sizes by group and by (type, constructor/name), from a parsed snapshot. */
export function summarizeSnapshot(snapshot) {
  const meta = snapshot.snapshot.meta
  const fields = meta.node_fields
  const width = fields.length
  const types = meta.node_types[0]
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f))
  const { nodes, strings } = snapshot
  const groups = {}
  const names = new Map()
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + iType]]
    let name = strings[nodes[i + iName]]
    const size = nodes[i + iSize]
    const group = groupOf(type, name)
    groups[group] = (groups[group] ?? 0) + size
    if (group === 'strings') name = '(string)'
    else if (type === 'number') name = '(number)'
    else if (type === 'closure') name = '(closure)'
    else name = name.replace(/ @\d+$/, '').slice(0, 70)
    const key = `${type}: ${name}`
    const entry = names.get(key) ?? { count: 0, bytes: 0 }
    entry.count++
    entry.bytes += size
    names.set(key, entry)
  }
  return { groups, names }
}

/** What `b` holds more than `a`: by group, and the `top` entries by (type, name). */
export function diffSnapshots(a, b, top = 15) {
  const groups = {}
  for (const g of new Set([...Object.keys(a.groups), ...Object.keys(b.groups)])) groups[g] = (b.groups[g] ?? 0) - (a.groups[g] ?? 0)
  const entries = []
  for (const [key, v] of b.names) {
    const o = a.names.get(key) ?? { count: 0, bytes: 0 }
    if (v.bytes !== o.bytes) entries.push({ what: key, bytes: v.bytes - o.bytes, count: v.count - o.count })
  }
  entries.sort((x, y) => y.bytes - x.bytes)
  const inHeap = Object.entries(groups).reduce((s, [g, v]) => (g === 'outside' ? s : s + v), 0)
  return { inJsHeap: inHeap, groups, top: entries.slice(0, top) }
}
