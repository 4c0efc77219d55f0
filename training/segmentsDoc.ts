import type { SegmentTreeNode } from '../src/pack/types'
import type { PackResult } from './buildPack'
import { segmentIdsMarkdown } from './segmentIds'

/** `docs/segments.md`: the segment ids table, the clusters of both packs and their trees. */
export function segmentsMarkdown(session: PackResult, lifetime: PackResult): string {
  const lines: string[] = [
    '<!-- GENERATED FILE, do not edit. Written by `npm run train` (training/train.ts); the segment ids table is also rewritten from the shipped packs by `npm run segment-ids` (training/segmentIds.ts). -->',
    '# Segments',
    '',
    'Seglet ships two segment trees, learned from public data by `npm run train`: k-means (k-means++, 8 restarts, k chosen by silhouette) on the training split, then Ward agglomerative clustering of the centroids into a tree. Names follow fixed rules from each cluster\'s profile (training/naming.ts), so they are regenerated, never hand-typed. A page can target a leaf (`data-seglet-show="<leaf>"`) or a branch.',
    '',
    '## Segment ids',
    '',
    'Every id a page can target: `data-seglet-show` / `data-seglet-hide` (a branch matches all the segments inside it), the classes on `<html>` (`.seglet-<id>`), `data-seglet-segment` and `segment.id` / `segment.path`. Value ids (the lifetime pack, from stored orders) go to `segment.valueSegment`, `data-seglet-value-segment` and `.seglet-value-<id>`, and `data-seglet-show` matches them too.',
    '',
    segmentIdsMarkdown(session.pack, lifetime.pack),
    '',
  ]
  for (const [title, r, cols] of [
    ['Session segments (UCI Online Shoppers)', session, ['administrativePages', 'administrativeSeconds', 'informationalPages', 'informationalSeconds', 'productPages', 'productSeconds']],
    ['Lifetime value segments (UCI Online Retail)', lifetime, ['recencyDays', 'orders', 'monetary', 'averageBasket', 'tenureDays', 'returns']],
  ] as const) {
    lines.push(`## ${title}`, '', `k = ${r.clusters.k}; silhouette by k: ${r.clusters.silhouettes.map((s) => `${s.k}: ${Number.isFinite(s.silhouette) ? s.silhouette : 'not measured'}`).join(', ')}.`, '')
    lines.push(`| segment | share | ${cols.join(' | ')} | ${r === session ? 'purchase rate' : 'repeat rate'} |`, `| --- | --- | ${cols.map(() => '---').join(' | ')} | --- |`)
    r.clusters.profiles.forEach((p, c) => {
      lines.push(`| \`${r.clusters.labels[c]}\` | ${(p.share * 100).toFixed(1)}% | ${cols.map((k) => String(Math.round(p.medians[k] * 10) / 10)).join(' | ')} | ${(p.positiveRate * 100).toFixed(1)}% |`)
    })
    lines.push('', 'Medians over the training rows of each cluster (seconds, days and GBP as in the data).', '', 'Tree:', '', '```')
    const walk = (node: SegmentTreeNode, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${node.id}${node.children ? '' : ` — ${node.description ?? ''}`}`)
      node.children?.forEach((c) => walk(c, depth + 1))
    }
    walk(r.clusters.segmentTree, 0)
    lines.push('```', '')
  }
  return lines.join('\n')
}
