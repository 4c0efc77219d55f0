// @vitest-environment node
// The `npm run train` commands the READMEs give whole are taken as given: none is refused as a bad option.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PROJECT_ROOT } from './data'
import { describeFailure } from './dataError'
import { main as train } from './train'
import { perTestFolders } from './testing/perTestFolders'

const tempDir = perTestFolders()
afterEach(() => vi.restoreAllMocks())

/** Every `npm run train -- …` of a shop's own data the file shows whole (one ending in `…` stands for more). */
const commands = (file: string) =>
  [...readFileSync(join(PROJECT_ROOT, file), 'utf8').matchAll(/npm run train -- ([^`\n]*)/g)]
    .map((m) => m[1]!.trim())
    .filter((command) => !command.includes('…') && /--(lifetime-)?events\b/.test(command))

const EXAMPLES = ['README.md', 'training/README.md'].flatMap((file) => commands(file).map((command) => [file, command] as const))

describe('the README examples of training on a shop\'s own data', () => {
  it('are there to check', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(2)
  })

  it.each(EXAMPLES)('%s: npm run train -- %s goes on to read its files, not refused as a bad option', async (_, command) => {
    const dir = tempDir('seglet-readme-train-')
    // Placeholders filled in, every path in a new folder: the data files are not there, so the run stops reading them.
    const tokens = command.replace(/<shop zone>/g, 'Europe/Berlin').replace(/<[^>]*>/g, 'PLACEHOLDER').split(/\s+/)
    const paths: Record<string, string> = { '--out': join(dir, 'models'), '--docs': join(dir, 'segments.md'), '--report': join(dir, 'report.html') }
    const argv = tokens.map((token, i) => {
      const option = tokens[i - 1] ?? ''
      if (option === '--events' || option === '--lifetime-events') return join(dir, `missing-${i}`)
      return paths[option] ?? token
    })
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const outcome = await train(argv).catch((error: unknown) => error)
    expect(errors[0]).toBeUndefined()
    expect(describeFailure(outcome)).toMatch(/missing-\d+: no such file\b/)
  })
})
