// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packLeafNames } from '../estimates/packLeafNames'
import { readPublishedPacks } from './readPublishedPacks'

describe('readPublishedPacks', () => {
  it('reads the packs of earlier publishes in the order they were published, then the ones the manifest lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-published-'))
    try {
      const pack = (version: string, name: string) => ({ kind: 'session', version, heads: { segment: { labels: ['a'], tree: { id: 'a', name } } } })
      // The same pack id published twice (a shop that retrained without a new version): the later one names it.
      writeFileSync(join(dir, 'session-v10.json'), JSON.stringify(pack('2.0.0', 'Later')))
      writeFileSync(join(dir, 'session-v2.json'), JSON.stringify(pack('2.0.0', 'Earlier')))
      writeFileSync(join(dir, 'session-v11.json'), JSON.stringify(pack('3.0.0', 'Now')))
      writeFileSync(join(dir, 'page-stats.json'), '{}')
      writeFileSync(join(dir, 'packs.manifest'), `signature\n${JSON.stringify({ format: 'seglet-pack-manifest', version: 11, packs: { session: { url: 'session-v11.json' } } })}`)
      const names = packLeafNames(await readPublishedPacks(dir))
      expect([...names]).toEqual([['session@2.0.0', ['Later']], ['session@3.0.0', ['Now']]])
      expect(await readPublishedPacks(join(dir, 'missing'))).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
