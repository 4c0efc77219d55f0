// @vitest-environment node
// rollup.config.mjs starts a build from empty output folders (hashed chunk names change from build to build), but
// only when a build starts: a tool that loads the config, or a `rollup -c` that stops before building, leaves the
// last build's files in place. Checked on a copy of the config in a folder of its own, never on this dist/.
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
// Inside the repository, so the config's packages resolve from its node_modules.
const copy = join(root, '.build', `build-config-${process.pid}`)
const outputs = ['dist/seglet.js', 'dist/chunks/lazy-stale.cjs', 'examples/bundler/dist/app.js'].map((file) => join(copy, file))

type Hook = (this: unknown) => void
type Config = { plugins?: ({ name?: string; buildStart?: Hook } | false | null)[] }

afterAll(() => rmSync(copy, { recursive: true, force: true }))

describe('the build config', () => {
  it('empties dist/ and the example app\'s dist/ at the start of the first build, not when loaded', async () => {
    rmSync(copy, { recursive: true, force: true })
    mkdirSync(copy, { recursive: true })
    copyFileSync(join(root, 'rollup.config.mjs'), join(copy, 'rollup.config.mjs'))
    for (const link of ['scripts', 'package.json', 'tsconfig.json', 'src']) symlinkSync(join(root, link), join(copy, link))
    const write = () => {
      for (const file of outputs) {
        mkdirSync(join(file, '..'), { recursive: true })
        writeFileSync(file, '// a previous build\n')
      }
    }
    write()

    const configs: Config[] = (await import(pathToFileURL(join(copy, 'rollup.config.mjs')).href)).default
    expect(outputs.filter((file) => !existsSync(file))).toEqual([])

    // What `rollup -c` runs first: the first build's buildStart hooks (the builds run one after the other).
    const emptying = configs[0].plugins?.find((plugin) => plugin && plugin.name === 'seglet-empty-outputs')
    expect(emptying).toBeTruthy()
    ;(emptying as { buildStart: Hook }).buildStart.call({})
    expect(outputs.filter((file) => existsSync(file))).toEqual([])

    // A later build of the same run (or a rebuild in watch mode) keeps what the earlier ones wrote.
    write()
    for (const config of configs.slice(1)) for (const plugin of config.plugins ?? []) if (plugin && plugin.name === 'seglet-empty-outputs') plugin.buildStart?.call({})
    ;(emptying as { buildStart: Hook }).buildStart.call({})
    expect(outputs.filter((file) => !existsSync(file))).toEqual([])
  })
})
