import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from './main'

afterEach(() => vi.restoreAllMocks())

describe('simulation options', () => {
  // A data directory that does not exist: a run that got past its options would say the data file is missing.
  const noData = ['--data', '/nonexistent-seglet-data']

  it.each([
    ['insights', ['--epsilon', '100']],
    ['insights', ['--epsilon', '1.234']],
    ['drift', ['--epsilon', '100']],
    ['drift', ['--epsilon', '0']],
    ['drift', ['--epsilon', '-1']],
    ['drift', ['--epsilon', '1.234']],
    ['funnel', ['--epsilon', '1.234', '--devices', '1000', '--test', '1000', '--no-central']],
  ])('%s refuses an ε no report can carry (%j) with its usage, before any work', async (scenario, args) => {
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    expect(await main(['--scenario', scenario, ...args, ...noData])).toBe(2)
    expect(errors.join('\n')).toMatch(/^usage: /)
  }, 120_000)
})
