// Launcher for `npm run train` / `npm run evaluate`. The training code is TypeScript compiled by
// `tsc -p training/tsconfig.json` into .build/ as CommonJS; the project itself is "type": "module", so this marks
// .build/ as CommonJS before loading it.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const build = join(root, '.build')
mkdirSync(build, { recursive: true })
writeFileSync(join(build, 'package.json'), '{ "type": "commonjs" }\n')
const [command, ...args] = process.argv.slice(2)
const entry = { train: 'training/train.js', evaluate: 'training/evaluate.js', 'segment-ids': 'training/segmentIds.js' }[command]
if (!entry) {
  console.error('usage: node training/run.mjs train|evaluate|segment-ids [options]')
  process.exit(2)
}
const require = createRequire(import.meta.url)
const { main } = require(join(build, entry))
const { describeFailure } = require(join(build, 'training/dataError.js'))
main(args).then(
  (code) => process.exit(code ?? 0),
  (error) => {
    // A problem the user can fix (missing data, a wrong format) is one line; anything else is a bug: its stack.
    const line = describeFailure(error)
    console.error(line ? `seglet ${command}: ${line}` : error instanceof Error ? error.stack : error)
    process.exit(1)
  },
)
