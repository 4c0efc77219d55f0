// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from './main'

// A funnel run reads no data file: one that got past its options would start training.
vi.mock('./funnel', () => ({
  simulateFunnel: () => {
    throw new Error('the funnel simulation started')
  },
}))

afterEach(() => vi.restoreAllMocks())

describe('simulation options', () => {
  // A data directory that does not exist: a run that got past its options would say the data file is missing
  // (the funnel reads none, and takes no --data).
  const noData = (scenario: string) => (scenario === 'funnel' ? [] : ['--data', '/nonexistent-seglet-data'])

  it.each([
    ['insights', ['--epsilon', '100']],
    ['insights', ['--epsilon', '1.234']],
    ['drift', ['--epsilon', '100']],
    ['drift', ['--epsilon', '0']],
    ['drift', ['--epsilon', '-1']],
    ['drift', ['--epsilon', '1.234']],
    ['funnel', ['--epsilon', '1.234', '--devices', '1000', '--test', '1000', '--no-central']],
    ['dashboard', ['--epsilon', '100']],
  ])('%s refuses an ε no report can carry (%j) with its usage, before any work', async (scenario, args) => {
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    expect(await main(['--scenario', scenario, ...args, ...noData(scenario)])).toBe(2)
    expect(errors.join('\n')).toMatch(/^usage: /m)
    if (scenario === 'dashboard') expect(errors[0]).toBe('simulate: --epsilon takes an ε from 0.1 to 8, in hundredths (as reports.epsilonPerDay), not "100"')
  }, 120_000)

  it.each([
    ['insights', ['--devices'], /--devices/],
    ['insights', ['--devices', '--json'], /--devices/],
    ['drift', ['--scales'], /--scales/],
    ['funnel', ['--devices'], /--devices/],
    ['insights', ['--device', '5000'], /--device\b/],
    ['drift', ['--scale', '10'], /--scale\b/],
    ['funnel', ['--device', '5000', '--no-central'], /--device\b/],
    ['insights', ['stray'], /stray/],
    ['insights', ['--devices', '1000.5'], null],
    ['insights', ['--repetitions', '2.5'], null],
    ['bands', ['--runs', '0'], null],
    ['bands', ['--devices', '20000,x'], null],
    ['bands', ['--epsilon', '100'], null],
    ['dashboard', ['--port'], /--port/],
    ['dashboard', ['--json'], /--json/],
    ['dashboard', ['--port', '70000'], /^simulate: --port takes a port from 0 to 65535, not "70000"$/],
    ['dashboard', ['--devices', '0'], /^simulate: --devices takes a whole number from 1 to 1,000,000, not "0"$/],
    ['dashboard', ['--seed', 'x'], /^simulate: --seed takes a whole number, not "x"$/],
    ['dashboard', ['--learn-share', '0.3', '--min-answers', '0'], /^simulate: --min-answers takes a whole number from 1 \(as retrain --min-answers\), not "0"$/],
    ['dashboard', ['--learn-share', '0.3', '--retrain=yes'], /--retrain/],
    // Without training answers a retrain could only wait: said before 100,000 reports are made.
    ['dashboard', ['--retrain'], /^simulate: --retrain needs training answers: give --learn-share \(0\.3 puts in about 30,000 at --devices 100,000\)$/],
  ])('%s refuses %j with its usage, and says why, before any work', async (scenario, args, says) => {
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    expect(await main(['--scenario', scenario, ...args, ...noData(scenario)])).toBe(2)
    expect(errors.at(-1)).toMatch(/^usage: npm run simulate -- --scenario /)
    if (says) {
      expect(errors).toHaveLength(2)
      expect(errors[0]).toMatch(says)
    } else expect(errors).toHaveLength(1)
  }, 120_000)
})
