// @vitest-environment node
// The files a browser downloads are ASCII: Chromium holds a script's source text at one byte per character
// only while every character is Latin-1, so a single em dash in a message would double the memory the whole
// file takes in every page that loads it. `npm test` builds first, so dist/ is fresh.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const dist = new URL('../../dist/', import.meta.url)
const files = readdirSync(dist).filter((f) => f.endsWith('.min.js'))

describe('script-tag files', () => {
  it('are all there', () => {
    expect(files).toEqual(expect.arrayContaining(['seglet.min.js', 'seglet-model.min.js', 'seglet-bridges.min.js', 'seglet-blocks.min.js', 'seglet-prune.min.js', 'seglet-reports.min.js']))
  })

  it.each(files)('%s is ASCII', (file) => {
    const text = readFileSync(new URL(file, dist), 'latin1')
    const at = text.search(/[^\x00-\x7f]/)
    expect(at, at >= 0 ? `non-ASCII byte at ${at}: …${text.slice(Math.max(0, at - 30), at + 10)}…` : '').toBe(-1)
  })
})
