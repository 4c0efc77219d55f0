// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { compareIds } from '../lib/compareIds'
import { retrainVersion } from './retrain'

describe('retrainVersion', () => {
  it('takes the day, then .2, .3 after the highest of that day taken, whatever other days and networks hold', () => {
    expect(retrainVersion('1.0.0', '2026-11-30', [])).toBe('1.0.0+r20261130')
    expect(retrainVersion('1.0.0', '2026-11-30', ['1.0.0+r20261130'])).toBe('1.0.0+r20261130.2')
    expect(retrainVersion('1.0.0', '2026-11-30', ['1.0.0+r20261130', '1.0.0+r20261130.3', '1.0.0+r20261129.7', '1.0.1+r20261130.9'])).toBe('1.0.0+r20261130.4')
  })

  it('is never written in exponent notation, nor the same as one taken, whatever number a report under a made-up pack id carries', () => {
    // Any browser may post a report under any well-formed pack id: its version is counted as taken, but a number
    // past exact integers would make the next one `1e+22`, a version with a `+` in it, taken again at every run.
    for (const forged of ['1.0.0+r20261130.99999999999999999999999', '1.0.0+r20261130.9007199254740993']) {
      const version = retrainVersion('1.0.0', '2026-11-30', ['1.0.0+r20261130', forged])
      expect(version).toMatch(/^1\.0\.0\+r20261130\.\d+$/)
      const next = retrainVersion('1.0.0', '2026-11-30', ['1.0.0+r20261130', forged, version])
      expect(next).toMatch(/^1\.0\.0\+r20261130\.\d+$/)
      expect(compareIds(`session@${next}+lifetime@1.0.0`, `session@${version}+lifetime@1.0.0`)).toBeGreaterThan(0)
    }
  })
})
