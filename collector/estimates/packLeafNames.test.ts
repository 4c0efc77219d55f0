// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createReportEstimator } from './createReportEstimator'
import { SHIPPED_PACK_CONTEXT } from '../../src/reports/shippedPackContext'
import { packContexts, packLeafIds, packLeafNames } from './packLeafNames'
import { reportBodies } from '../testing/reports'
import { addUp } from '../ingest/createIngest'

const pack = (name: string) => JSON.parse(readFileSync(new URL(`../../src/models/${name}.json`, import.meta.url), 'utf8')) as unknown

describe('segment-leaf names', () => {
  it('reads each leaf name from the pack tree, in label order', () => {
    const names = packLeafNames([pack('session'), { kind: 'broken' }])
    const session = pack('session') as { version: string; heads: { segment: { labels: string[] } } }
    const leaves = names.get(`session@${session.version}`)!
    expect(leaves).toHaveLength(session.heads.segment.labels.length)
    expect(leaves[session.heads.segment.labels.indexOf('casual-browser')]).toBe('Casual browser')
    expect(names.size).toBe(1)
  })

  it('reads each leaf id, the one the shop\'s pages use, in the same order as the names', () => {
    const session = pack('session') as { version: string; heads: { segment: { labels: string[] } } }
    const ids = packLeafIds([pack('session'), { kind: 'broken' }]).get(`session@${session.version}`)!
    const names = packLeafNames([pack('session')]).get(`session@${session.version}`)!
    expect(ids).toEqual(session.heads.segment.labels)
    expect(names[ids.indexOf('high-intent-all-round-deep-browser')]).toBe('All round deep browser')
  })

  it('gives the pack id and leaf counts reports of each session pack with each lifetime pack carry', () => {
    expect(packContexts([pack('session'), pack('lifetime')])).toEqual([SHIPPED_PACK_CONTEXT])
    const retrained = { ...(pack('session') as object), version: '1.0.0-r2' }
    expect(packContexts([pack('session'), retrained, pack('lifetime'), { kind: 'broken' }]).map((c) => c.packId)).toEqual([
      SHIPPED_PACK_CONTEXT.packId,
      SHIPPED_PACK_CONTEXT.packId.replace('session@1.0.0', 'session@1.0.0-r2'),
    ])
  })

  it('puts the names in the insights when the reports name a known pack, and null otherwise', () => {
    const session = pack('session') as { version: string }
    const lifetime = pack('lifetime') as { version: string }
    const packId = `session@${session.version}+lifetime@${lifetime.version}`
    const day = '2026-11-29'
    const query = { from: day, to: day, epsilon: 2, pageKeyLists: {} }
    for (const [packs, expected] of [[[pack('session'), pack('lifetime')], 'Casual browser'], [[], null]] as const) {
      const estimator = createReportEstimator({ packs })
      const bodies = reportBodies(50, { day, context: { packId, segmentLeaves: 4, valueLeaves: 4 } })
      const rows = addUp(estimator, bodies.map((body) => {
        const report = estimator.parse(body)
        return { report, group: estimator.groupOf(report) }
      }))
      const doc = estimator.insights(rows, query) as unknown as Record<'segmentNames' | 'valueNames' | 'segmentIds' | 'valueIds', string[] | null>
      if (expected === null) expect(doc).toMatchObject({ segmentNames: null, valueNames: null, segmentIds: null, valueIds: null })
      else {
        expect(doc.segmentNames).toContain(expected)
        expect(doc.valueNames).toContain('Champions')
        // Each name's id beside it, leaf for leaf: the ids the README's segment table and onSegment use.
        expect(doc.segmentIds![doc.segmentNames!.indexOf(expected)]).toBe('casual-browser')
        expect(doc.valueIds![doc.valueNames!.indexOf('Champions')]).toBe('champions')
      }
    }
  })

  // A retrain appends +rYYYYMMDD to the session pack's version: the report's pack id then has three parts.
  it('names the leaves of reports from a retrained session pack beside its lifetime pack', () => {
    const day = '2026-11-29'
    const query = { from: day, to: day, epsilon: 2, pageKeyLists: {} }
    for (const network of ['1.0.0', '1.0.0-0a1b2c3d']) {
      const retrained = { ...(pack('session') as object), version: `${network}+r20261128` }
      const lifetime = { ...(pack('lifetime') as object), version: network }
      const packId = `session@${network}+r20261128+lifetime@${network}`
      // Published by a retrain (only the new pack in the manifest), or written with --out (only the network's).
      for (const packs of [[retrained, lifetime], [{ ...retrained, version: network }, lifetime]]) {
        const estimator = createReportEstimator({ packs })
        const bodies = reportBodies(50, { day, context: { packId, segmentLeaves: 4, valueLeaves: 4 } })
        const rows = addUp(estimator, bodies.map((body) => {
          const report = estimator.parse(body)
          return { report, group: estimator.groupOf(report) }
        }))
        const doc = estimator.insights(rows, query) as unknown as { segmentNames: string[] | null; valueNames: string[] | null }
        expect(doc.segmentNames).toContain('Casual browser')
        expect(doc.valueNames).toContain('Champions')
      }
    }
  })
})
