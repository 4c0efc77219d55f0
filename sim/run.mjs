// Launcher for `npm run simulate`. The simulation is TypeScript compiled by `tsc -p sim/tsconfig.json` into
// .build/ as CommonJS; the project itself is "type": "module", so this marks .build/ as CommonJS first.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const build = join(root, '.build')
mkdirSync(build, { recursive: true })
writeFileSync(join(build, 'package.json'), '{ "type": "commonjs" }\n')
const require = createRequire(import.meta.url)
const { main } = require(join(build, 'sim/main.js'))
main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (error) => {
    console.error(error instanceof Error ? error.stack : error)
    process.exit(1)
  },
)
