import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ModelPack, SegmentHead, SegmentTreeNode } from '../src/pack/types'
import { packLabelsOf } from '../src/reports/recordDecision'
import { packContextOf } from '../src/reports/sessionRecord'
import { DEFAULT_MIN_PAGE_VIEWS, DEFAULT_SEGMENT_ID } from '../src/segments/constants'
import { PROJECT_ROOT } from './data'
import { checkOptions, readOptions } from './options'
import { writeFilesWhole } from './outputFiles'
import { log } from './progress'

/** Marks the generated ids table in README.md and docs/segments.md. */
export const IDS_START = '<!-- segment-ids: generated from src/models/*.json by `npm run segment-ids`, do not edit -->'
export const IDS_END = '<!-- /segment-ids -->'

/** The files that carry the ids table. */
export const IDS_FILES = ['README.md', 'docs/segments.md']

/**
 * The table of every id a page can target (`data-seglet-show`, `.seglet-<id>`), from the packs' segment
 * trees, between the markers `npm run segment-ids` rewrites it between (README.md and docs/segments.md).
 *
 * @example
 * const { session, lifetime } = readShippedPacks()
 * replaceIdsTable(readFileSync('README.md', 'utf8'), segmentIdsMarkdown(session, lifetime))
 */
export function segmentIdsMarkdown(session: ModelPack, lifetime: ModelPack): string {
  return [IDS_START, segmentIdsTable(session, lifetime), IDS_END].join('\n')
}

/**
 * The table of every id a page can target, without markers (the segments document of a shop's own packs, which
 * `npm run segment-ids` does not rewrite): leaves and branches of the session tree, the cold-start default, and
 * the lifetime value tree.
 *
 * @example
 * segmentIdsTable(session, lifetime) // '| id | kind | inside | what it means |\n| --- | …'
 */
export function segmentIdsTable(session: ModelPack, lifetime: ModelPack): string {
  const rows: string[] = []
  const walk = (node: SegmentTreeNode, kind: string, parents: string[]) => {
    if (parents.length > 0) {
      const what = node.children
        ? `branch: any of ${leaves(node).map((id) => `\`${id}\``).join(', ')}`
        : node.description ?? node.name
      rows.push(`| \`${node.id}\` | ${kind} | ${parents.length > 1 ? parents.slice(1).map((p) => `\`${p}\``).join(' › ') : '—'} | ${what} |`)
    }
    for (const child of node.children ?? []) walk(child, kind, [...parents, node.id])
  }
  const tree = (pack: ModelPack) => (pack.heads.segment as SegmentHead).tree
  rows.push(`| \`${DEFAULT_SEGMENT_ID}\` | session | — | cold start: fewer than ${DEFAULT_MIN_PAGE_VIEWS} page views in this session and no stored order (\`coldStart: true\`) |`)
  walk(tree(session), 'session', [])
  walk(tree(lifetime), 'value', [])
  return ['| id | kind | inside | what it means |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

function leaves(node: SegmentTreeNode): string[] {
  return node.children ? node.children.flatMap(leaves) : [node.id]
}

/** Replaces the marked table in `text` (which must have the markers) with `table`. */
export function replaceIdsTable(text: string, table: string): string {
  const start = text.indexOf(IDS_START)
  const end = text.indexOf(IDS_END)
  if (start < 0 || end < start) throw new Error(`no ${IDS_START} … ${IDS_END} block to replace`)
  return text.slice(0, start) + table + text.slice(end + IDS_END.length)
}

/** Reads the shipped packs. */
export function readShippedPacks(root = PROJECT_ROOT): { session: ModelPack; lifetime: ModelPack } {
  const read = (name: string) => JSON.parse(readFileSync(join(root, 'src/models', name), 'utf8')) as ModelPack
  return { session: read('session.json'), lifetime: read('lifetime.json') }
}

/** Where the report context of the shipped packs is written. */
export const CONTEXT_FILE = 'src/reports/shippedPackContext.ts'

/** The text of {@link CONTEXT_FILE}: the report context of the shipped packs, for sessions without a recorded decision. */
export function shippedContextModule(session: ModelPack, lifetime: ModelPack): string {
  const context = packContextOf(packLabelsOf(session), packLabelsOf(lifetime))
  return [
    '// Generated from src/models/*.json by `npm run segment-ids` (training/segmentIds.ts): do not edit.',
    "import type { ReportContext } from './types'",
    '',
    '/**',
    ' * The report context of the packs shipped with this version: what a session that no decision was recorded',
    ' * for is reported against, when the browser has never decided (a first visit of one page).',
    ' */',
    `export const SHIPPED_PACK_CONTEXT: ReportContext = ${JSON.stringify(context)}`,
    '',
  ].join('\n')
}

/**
 * `npm run segment-ids`: rewrites the ids table in README.md and docs/segments.md, and the shipped packs' report
 * context, from the shipped packs.
 */
export async function main(argv: readonly string[] = []): Promise<number> {
  // It takes no options: anything given (a hoped-for --check, a typo) is refused before a file is rewritten.
  const checked = checkOptions('segment-ids', 'usage: npm run segment-ids (rewrites the segment ids from the packs in src/models; no options)', argv, () => readOptions(argv, {}))
  if (typeof checked === 'number') return checked
  const { session, lifetime } = readShippedPacks()
  const table = segmentIdsMarkdown(session, lifetime)
  // Every file rewritten whole, together: a stopped run leaves each as it was, or all updated.
  const files = IDS_FILES.map((file) => [join(PROJECT_ROOT, file), replaceIdsTable(readFileSync(join(PROJECT_ROOT, file), 'utf8'), table)] as const)
  writeFilesWhole([...files, [join(PROJECT_ROOT, CONTEXT_FILE), shippedContextModule(session, lifetime)]])
  log(...IDS_FILES.map((file) => `updated the segment ids in ${join(PROJECT_ROOT, file)}`), `updated ${join(PROJECT_ROOT, CONTEXT_FILE)}`)
  return 0
}
