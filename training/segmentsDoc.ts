import type { SegmentTreeNode } from '../src/pack/types'
import type { PackResult } from './buildPack'
import { segmentIdsMarkdown, segmentIdsTable } from './segmentIds'
import { UCI_RETAIL, UCI_SHOPPERS, type TrainingData } from './trainingData'

/** How the document opens when both packs are trained on the public data sets, as the shipped ones are. */
const PUBLIC_HEAD = [
  '<!-- GENERATED FILE, do not edit. Written by `npm run train` (training/train.ts); the segment ids table is also rewritten from the shipped packs by `npm run segment-ids` (training/segmentIds.ts). -->',
  '# Segments',
  '',
  'Seglet ships two segment trees, learned from public data by `npm run train`: k-means (k-means++, 8 restarts, k chosen by silhouette) on the training split, then Ward agglomerative clustering of the centroids into a tree. Names follow fixed rules from each cluster\'s profile (training/naming.ts), so they are regenerated, never hand-typed. A page can target a leaf (`data-seglet-show="<leaf>"`) or a branch.',
]

/** `public data (UCI Online Shoppers)` or `the shop's own data (GA4 BigQuery export ga4-events.ndjson)`. */
function dataWords(data: TrainingData): string {
  return data.public ? `public data (${data.name})` : `the shop's own data (${data.name})`
}

/**
 * How the document opens when a pack is trained on a shop's own data: what each tree was learned from. The segment
 * ids table is the training run's own (`npm run segment-ids` rewrites only the project's files, from src/models).
 */
function shopHead(session: TrainingData, lifetime: TrainingData): string[] {
  return [
    '<!-- GENERATED FILE, do not edit. Written by `npm run train` (training/train.ts); rerun it to rebuild. -->',
    '# Segments',
    '',
    `Two segment trees, learned by \`npm run train\`, the session tree from ${dataWords(session)} and the value tree from ${dataWords(lifetime)}: k-means (k-means++, 8 restarts, k chosen by silhouette) on the training split, then Ward agglomerative clustering of the centroids into a tree. Names follow fixed rules from each cluster's profile (training/naming.ts), so they are regenerated, never hand-typed. A page can target a leaf (\`data-seglet-show="<leaf>"\`) or a branch.`,
  ]
}

/**
 * What the medians of a pack's clusters are counted in: the shipped document's words when both packs are trained on
 * the public data sets, else for each pack its own (a lifetime pack's amounts in the currency of its orders).
 */
function mediansUnits(kind: 'session' | 'lifetime', data: TrainingData, shipped: boolean): string {
  if (shipped) return 'seconds, days and GBP as in the data'
  if (kind === 'session') return 'page counts, and seconds as in the data'
  return data.currency === undefined ? 'days, and amounts as in the data' : `days, and amounts in ${data.currency} as in the data`
}

/**
 * `docs/segments.md`: the segment ids table, the clusters of both packs and their trees, each pack's section named
 * after the data it was trained on (`PackResult.data`; the public data sets when not said).
 *
 * @example
 * writeFileSync('docs/segments.md', segmentsMarkdown(session, lifetime))
 */
export function segmentsMarkdown(session: PackResult, lifetime: PackResult): string {
  const sessionData = session.data ?? UCI_SHOPPERS
  const lifetimeData = lifetime.data ?? UCI_RETAIL
  const shipped = sessionData.public && lifetimeData.public
  const lines: string[] = [
    ...(shipped ? PUBLIC_HEAD : shopHead(sessionData, lifetimeData)),
    '',
    '## Segment ids',
    '',
    'Every id a page can target: `data-seglet-show` / `data-seglet-hide` (a branch matches all the segments inside it), the classes on `<html>` (`.seglet-<id>`), `data-seglet-segment` and `segment.id` / `segment.path`. Value ids (the lifetime pack, from stored orders) go to `segment.valueSegment`, `data-seglet-value-segment` and `.seglet-value-<id>`, and `data-seglet-show` matches them too.',
    '',
    shipped ? segmentIdsMarkdown(session.pack, lifetime.pack) : segmentIdsTable(session.pack, lifetime.pack),
    '',
  ]
  for (const [kind, title, r, data, cols] of [
    ['session', 'Session segments', session, sessionData, ['administrativePages', 'administrativeSeconds', 'informationalPages', 'informationalSeconds', 'productPages', 'productSeconds']],
    ['lifetime', 'Lifetime value segments', lifetime, lifetimeData, ['recencyDays', 'orders', 'monetary', 'averageBasket', 'tenureDays', 'returns']],
  ] as const) {
    lines.push(`## ${title} (${data.name})`, '', `k = ${r.clusters.k}; silhouette by k: ${r.clusters.silhouettes.map((s) => `${s.k}: ${Number.isFinite(s.silhouette) ? s.silhouette : 'not measured'}`).join(', ')}.`, '')
    lines.push(`| segment | share | ${cols.join(' | ')} | ${r === session ? 'purchase rate' : 'repeat rate'} |`, `| --- | --- | ${cols.map(() => '---').join(' | ')} | --- |`)
    r.clusters.profiles.forEach((p, c) => {
      lines.push(`| \`${r.clusters.labels[c]}\` | ${(p.share * 100).toFixed(1)}% | ${cols.map((k) => String(Math.round(p.medians[k] * 10) / 10)).join(' | ')} | ${(p.positiveRate * 100).toFixed(1)}% |`)
    })
    lines.push('', `Medians over the training rows of each cluster (${mediansUnits(kind, data, shipped)}).`, '', 'Tree:', '', '```')
    const walk = (node: SegmentTreeNode, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${node.id}${node.children ? '' : ` — ${node.description ?? ''}`}`)
      node.children?.forEach((c) => walk(c, depth + 1))
    }
    walk(r.clusters.segmentTree, 0)
    lines.push('```', '')
  }
  return lines.join('\n')
}
