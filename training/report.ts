import type { SegmentTreeNode } from '../src/pack/types'
import type { PackResult } from './buildPack'
import type { WardNode } from './ward'

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : 'not measured')
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf']

function axes(w: number, h: number, pad: number, xLabel: string, yLabel: string): string {
  let s = `<line x1="${pad}" y1="${h - pad}" x2="${w - 10}" y2="${h - pad}" stroke="#333"/><line x1="${pad}" y1="10" x2="${pad}" y2="${h - pad}" stroke="#333"/>`
  for (let t = 0; t <= 1.0001; t += 0.25) {
    const x = pad + t * (w - pad - 10)
    const y = h - pad - t * (h - pad - 10)
    s += `<text x="${x}" y="${h - pad + 14}" font-size="10" text-anchor="middle">${t.toFixed(2)}</text>`
    s += `<text x="${pad - 4}" y="${y + 3}" font-size="10" text-anchor="end">${t.toFixed(2)}</text>`
    s += `<line x1="${pad}" y1="${y}" x2="${w - 10}" y2="${y}" stroke="#eee"/>`
  }
  s += `<text x="${(w + pad) / 2}" y="${h - 4}" font-size="11" text-anchor="middle">${xLabel}</text>`
  s += `<text x="12" y="${(h - pad) / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${(h - pad) / 2})">${yLabel}</text>`
  return s
}

function linePlot(title: string, series: Array<{ name: string; points: Array<[number, number]>; dots?: boolean }>, xLabel: string, yLabel: string, diagonal = true): string {
  const w = 360, h = 300, pad = 42
  const X = (v: number) => pad + v * (w - pad - 10)
  const Y = (v: number) => h - pad - v * (h - pad - 10)
  let s = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + 20}"><text x="${w / 2}" y="14" font-size="13" text-anchor="middle" font-weight="bold">${esc(title)}</text><g transform="translate(0,18)">`
  s += axes(w, h, pad, xLabel, yLabel)
  if (diagonal) s += `<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="#aaa" stroke-dasharray="4 3"/>`
  series.forEach((ser, i) => {
    const c = COLORS[i % COLORS.length]
    s += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${ser.points.map(([a, b]) => `${X(a).toFixed(1)},${Y(b).toFixed(1)}`).join(' ')}"/>`
    if (ser.dots) for (const [a, b] of ser.points) s += `<circle cx="${X(a).toFixed(1)}" cy="${Y(b).toFixed(1)}" r="3" fill="${c}"/>`
    s += `<rect x="${pad + 10}" y="${20 + i * 16}" width="10" height="10" fill="${c}"/><text x="${pad + 24}" y="${29 + i * 16}" font-size="11">${esc(ser.name)}</text>`
  })
  return s + '</g></svg>'
}

function matrix(title: string, rows: string[], cols: string[], values: number[][]): string {
  const cell = 54, left = 230, top = 130
  const w = left + cols.length * cell + 10, h = top + rows.length * cell + 10
  const max = Math.max(1, ...values.flat())
  let s = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><text x="${w / 2}" y="14" font-size="13" text-anchor="middle" font-weight="bold">${esc(title)}</text>`
  cols.forEach((c, j) => { s += `<text font-size="10" transform="translate(${left + j * cell + cell / 2},${top - 6}) rotate(-40)">${esc(c)}</text>` })
  rows.forEach((r, i) => {
    s += `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" font-size="10" text-anchor="end">${esc(r)}</text>`
    cols.forEach((_, j) => {
      const v = values[i][j]
      const a = v / max
      s += `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="rgba(31,119,180,${(0.08 + 0.9 * a).toFixed(3)})"/>`
      s += `<text x="${left + j * cell + cell / 2 - 1}" y="${top + i * cell + cell / 2 + 4}" font-size="11" text-anchor="middle" fill="${a > 0.5 ? '#fff' : '#000'}">${v}</text>`
    })
  })
  s += `<text x="4" y="${top - 60}" font-size="10">rows: truth · columns: predicted</text>`
  return s + '</svg>'
}

function profileHeatmap(title: string, r: PackResult, keys: string[]): string {
  const { profiles, labels } = r.clusters
  const cellW = 96, cellH = 26, left = 300, top = 60
  const w = left + keys.length * cellW + 10, h = top + profiles.length * cellH + 10
  let s = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><text x="${w / 2}" y="14" font-size="13" text-anchor="middle" font-weight="bold">${esc(title)}</text>`
  keys.forEach((k, j) => { s += `<text x="${left + j * cellW + cellW / 2}" y="${top - 8}" font-size="10" text-anchor="middle">${esc(k)}</text>` })
  const maxes = keys.map((k) => Math.max(1e-9, ...profiles.map((p) => Math.log1p(Math.max(0, p.medians[k] ?? (k === 'rate' ? p.positiveRate : 0))))))
  profiles.forEach((p, i) => {
    s += `<text x="${left - 6}" y="${top + i * cellH + 17}" font-size="11" text-anchor="end">${esc(labels[i])} (${(p.share * 100).toFixed(0)}%)</text>`
    keys.forEach((k, j) => {
      const v = k === 'rate' ? p.positiveRate : p.medians[k]
      const a = Math.log1p(Math.max(0, v)) / maxes[j]
      s += `<rect x="${left + j * cellW}" y="${top + i * cellH}" width="${cellW - 2}" height="${cellH - 2}" fill="rgba(214,39,40,${(0.06 + 0.85 * a).toFixed(3)})"/>`
      s += `<text x="${left + j * cellW + cellW / 2}" y="${top + i * cellH + 17}" font-size="11" text-anchor="middle">${k === 'rate' ? (v * 100).toFixed(1) + '%' : v >= 100 ? Math.round(v) : (Math.round(v * 10) / 10)}</text>`
    })
  })
  return s + '</svg>'
}

function dendrogram(title: string, root: WardNode, tree: SegmentTreeNode, labels: string[]): string {
  const leaves = root.leaves
  const w = 620, h = 60 + leaves.length * 34, left = 20, right = 290
  const maxH = Math.max(1e-9, root.height)
  const X = (height: number) => left + (1 - height / maxH) * (w - left - right)
  const ids = new Map<WardNode, string>()
  const walkIds = (n: WardNode, t: SegmentTreeNode) => { ids.set(n, t.id); n.children?.forEach((c, i) => walkIds(c, t.children![i])) }
  walkIds(root, tree)
  let s = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><text x="${w / 2}" y="14" font-size="13" text-anchor="middle" font-weight="bold">${esc(title)}</text>`
  const place = (n: WardNode): { x: number; y: number } => {
    if (n.cluster !== undefined) {
      const y = 40 + leaves.indexOf(n.cluster) * 34
      s += `<text x="${w - right + 8}" y="${y + 4}" font-size="11">${esc(labels[n.cluster])} (${n.size})</text>`
      return { x: w - right, y }
    }
    const [a, b] = n.children!.map(place)
    const x = X(n.height)
    s += `<path d="M${a.x},${a.y} H${x} V${b.y} H${b.x}" fill="none" stroke="#1f77b4" stroke-width="2"/>`
    s += `<text x="${x + 4}" y="${(a.y + b.y) / 2 - 3}" font-size="10" fill="#555">${esc(ids.get(n) ?? '')} · ${n.height.toFixed(1)}</text>`
    return { x, y: (a.y + b.y) / 2 }
  }
  place(root)
  s += `<text x="${left}" y="${h - 6}" font-size="10" fill="#555">Ward merge height (left = higher)</text>`
  return s + '</svg>'
}

function table(rows: Array<[string, string, string, string]>): string {
  return `<table><tr><th>metric</th><th>measured</th><th>target</th><th></th></tr>${rows.map(([a, b, c, d]) => `<tr><td>${a}</td><td>${b}</td><td>${c}</td><td>${d}</td></tr>`).join('')}</table>`
}

/** Hanley & McNeil (1982) standard error of a ROC AUC. */
export function hanleyMcNeil(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc)
  const q2 = (2 * auc * auc) / (1 + auc)
  return Math.sqrt((auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives))
}

/** The start of each hash of `sha256` (one per data file, separated by spaces, when several were read). */
const hashes = (sha256: string) => sha256.split(' ').map((h) => `${h.slice(0, 16)}…`).join(' ')

export function writeReport(input: { session: PackResult; lifetime: PackResult; seconds: number; configs: Record<string, unknown> }): string {
  const { session, lifetime } = input
  const ok = (v: number, t: number) => (v >= t ? '<b style="color:#2ca02c">met</b>' : '<b style="color:#d62728">missed</b>')
  const sb = session.test.binary, nb = session.testNoStats!.binary, lb = lifetime.test.binary
  const total = session.bytes + lifetime.bytes
  const metrics = table([
    ['session intent ROC AUC (page statistics present)', f(sb.auc, 4), '≥ 0.935', ok(sb.auc, 0.935)],
    ['session intent ROC AUC (page statistics absent)', f(nb.auc, 4), '≥ 0.75', ok(nb.auc, 0.75)],
    [`session intent accuracy at the pack threshold ${f(sb.threshold, 3)}`, f(sb.accuracy, 4), '≥ 0.905', ok(sb.accuracy, 0.905)],
    ['session intent average precision / F1 at threshold / best F1', `${f(sb.averagePrecision)} / ${f(sb.f1)} / ${f(sb.bestF1)}`, '', ''],
    ['repeat purchase ROC AUC', f(lb.auc, 4), '≥ 0.73', ok(lb.auc, 0.73)],
    ['repeat purchase average precision / accuracy / F1', `${f(lb.averagePrecision)} / ${f(lb.accuracy)} / ${f(lb.f1)}`, '', ''],
    ['session segment agreement with k-means (stats present / absent)', `${f(session.test.segmentAgreement, 4)} / ${f(session.testNoStats!.segmentAgreement, 4)}`, '≥ 0.97', ok(Math.min(session.test.segmentAgreement, session.testNoStats!.segmentAgreement), 0.97)],
    ['lifetime segment agreement with k-means', f(lifetime.test.segmentAgreement, 4), '≥ 0.97', ok(lifetime.test.segmentAgreement, 0.97)],
    ['both packs as JSON', `${total} B (${session.bytes} + ${lifetime.bytes})`, '≤ 30,720 B', total <= 30720 ? '<b style="color:#2ca02c">met</b>' : '<b style="color:#d62728">missed</b>'],
    ['training wall time', `${input.seconds.toFixed(0)} s`, '≤ 300 s', input.seconds <= 300 ? '<b style="color:#2ca02c">met</b>' : '<b style="color:#d62728">missed</b>'],
  ])
  const conf = (c: { tp: number; fp: number; tn: number; fn: number }) => [[c.tn, c.fp], [c.fn, c.tp]]
  const calib = (r: PackResult['test']) => r.calibration.filter((b) => b.count > 0).map((b) => [b.predicted, b.observed] as [number, number])
  const sil = (r: PackResult, name: string) => `<p>${name}: silhouette by k — ${r.clusters.silhouettes.map((s) => `k=${s.k}: <b>${Number.isFinite(s.silhouette) ? s.silhouette : 'not measured'}</b>`).join(', ')}; chosen k = ${r.clusters.k}.</p>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Seglet training report</title>
<!-- GENERATED FILE, written by npm run train (training/report.ts). -->
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1150px;color:#222}h1{margin:0 0 4px}h2{margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}code{background:#f4f4f4;padding:1px 4px;overflow-wrap:anywhere}</style></head>
<body><h1>Seglet training report</h1>
<p>Generated by <code>npm run train</code>. All numbers are measured on the fixed held-out test splits with the packs as shipped (weights quantized, decoded with <code>tf.io.decodeWeights</code>, run as plain dense layers).
Session data: ${esc(session.pack.provenance.dataset)}, sha256 <code>${hashes(session.pack.provenance.sha256)}</code>; split: ${esc(session.pack.provenance.split)}.
Lifetime data: ${esc(lifetime.pack.provenance.dataset)}, sha256 <code>${hashes(lifetime.pack.provenance.sha256)}</code>; split: ${esc(lifetime.pack.provenance.split)}.</p>
<h2>Targets</h2>${metrics}
<p>Thresholds were chosen on out-of-fold scores of the training split (best accuracy); out-of-fold ROC AUC: session ${f(session.oofAuc, 4)}, lifetime ${f(lifetime.oofAuc, 4)}.
Configuration: <code>${esc(JSON.stringify(input.configs))}</code></p>
<p>Hyper-parameters were fixed from out-of-fold training scores, never from this test split. References on the same split (scikit-learn, from issue 3): session intent with page statistics — random forest 0.930, gradient boosting 0.928, 32-16 MLP 0.927, logistic regression 0.908; without page statistics gradient boosting 0.749; repeat purchase random forest 0.722, logistic regression 0.720. Standard error of the test ROC AUC (Hanley–McNeil): session ${f(hanleyMcNeil(sb.auc, sb.positives, sb.rows - sb.positives), 4)}, lifetime ${f(hanleyMcNeil(lb.auc, lb.positives, lb.rows - lb.positives), 4)}.</p>
<h2>Clusters</h2>${sil(session, 'Sessions')}${sil(lifetime, 'Customers')}
<div class="row">${profileHeatmap('Session cluster profiles (training medians)', session, ['administrativePages', 'informationalPages', 'productPages', 'productSeconds', 'rate'])}</div>
<div class="row">${profileHeatmap('Lifetime cluster profiles (training medians)', lifetime, ['recencyDays', 'orders', 'monetary', 'tenureDays', 'rate'])}</div>
<div class="row">${dendrogram('Session segment tree (Ward)', session.clusters.tree, session.clusters.segmentTree, session.clusters.labels)}${dendrogram('Lifetime segment tree (Ward)', lifetime.clusters.tree, lifetime.clusters.segmentTree, lifetime.clusters.labels)}</div>
<h2>ROC curves (test split)</h2>
<div class="row">${linePlot('Purchase intent', [{ name: `stats present AUC ${f(sb.auc)}`, points: session.test.roc }, { name: `stats absent AUC ${f(nb.auc)}`, points: session.testNoStats!.roc }], 'false-positive rate', 'true-positive rate')}
${linePlot('Repeat purchase in 90 days', [{ name: `AUC ${f(lb.auc)}`, points: lifetime.test.roc }], 'false-positive rate', 'true-positive rate')}</div>
<h2>Calibration (test split, 10 bins)</h2>
<div class="row">${linePlot('Purchase intent', [{ name: 'stats present', points: calib(session.test), dots: true }, { name: 'stats absent', points: calib(session.testNoStats!), dots: true }], 'mean predicted probability', 'observed rate')}
${linePlot('Repeat purchase', [{ name: 'customers', points: calib(lifetime.test), dots: true }], 'mean predicted probability', 'observed rate')}</div>
<h2>Confusion matrices (test split)</h2>
<div class="row">${matrix(`Intent at threshold ${f(sb.threshold)}`, ['no purchase', 'purchase'], ['no purchase', 'purchase'], conf(sb.confusion))}
${matrix(`Intent, stats absent, at ${f(nb.threshold)}`, ['no purchase', 'purchase'], ['no purchase', 'purchase'], conf(nb.confusion))}
${matrix(`Repeat at threshold ${f(lb.threshold)}`, ['no repeat', 'repeat'], ['no repeat', 'repeat'], conf(lb.confusion))}</div>
<div class="row">${matrix('Session segment head vs k-means', session.clusters.labels, session.clusters.labels, session.test.segmentConfusion)}
${matrix('Lifetime segment head vs k-means', lifetime.clusters.labels, lifetime.clusters.labels, lifetime.test.segmentConfusion)}</div>
</body></html>
`
}
