// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from './openDatabase'
import type { Database } from './types'

const YEAR_MS = 365 * 86_400_000

describe('the embedded store under a clock set back', () => {
  let db: Database | undefined
  const overflows: string[] = []
  const onWarning = (warning: Error) => {
    if (warning.name === 'TimeoutOverflowWarning') overflows.push(warning.message)
  }
  afterEach(async () => {
    vi.restoreAllMocks()
    process.off('warning', onWarning)
    await db?.close()
  })

  it('does not arm a timer every millisecond once the clock is set back a year, and still answers', async () => {
    db = await openDatabase('memory:')
    process.on('warning', onWarning)
    // A write: PostgreSQL arms its 10 s timer (its statistics flush) by the wall clock, which is then set back a
    // year before the timer fires. It fired every millisecond until the clock caught up again.
    await db.query('CREATE TEMP TABLE t (a integer)')
    await db.query('INSERT INTO t VALUES (1)')
    const trueNow = Date.now.bind(Date)
    vi.spyOn(Date, 'now').mockImplementation(() => trueNow() - YEAR_MS)
    await new Promise((wake) => setTimeout(wake, 11_500))
    expect(overflows).toEqual([])
    expect(await db.query('SELECT a FROM t')).toEqual([{ a: 1 }])
  })
})
