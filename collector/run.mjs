// Launcher for `npm run collector`. The collector is TypeScript compiled by `tsc -p collector/tsconfig.json` into
// .build/ as CommonJS; the project itself is "type": "module", so this marks .build/ as CommonJS before loading it.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const build = join(root, '.build')
const mark = join(build, 'package.json')
const commonjs = '{ "type": "commonjs" }\n'
mkdirSync(build, { recursive: true })
// Written whole under another name, then renamed, and only when missing or different: collectors started at once
// from one checkout (a serve and a scheduled retrain) would otherwise read it half-written and fail to start.
if (readOrNothing(mark) !== commonjs) {
  const temporary = `${mark}.${process.pid}.tmp`
  writeFileSync(temporary, commonjs)
  renameSync(temporary, mark)
}
const require = createRequire(import.meta.url)
const { main } = require(join(build, 'collector/main.js'))
main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (error) => {
    console.error(error instanceof Error ? error.stack : error)
    process.exit(1)
  },
)

function readOrNothing(path) {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
