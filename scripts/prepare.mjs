// `npm run prepare`, which npm runs after `npm install` in a clone, when it installs Seglet from git
// (`npm install github:…/seglet`: npm clones, installs the dev dependencies and runs `prepare` there), and
// before `npm pack` / `npm publish`. It builds dist/ when it is needed and only then (a build takes about a
// minute of CPU):
//   - `npm pack` / `npm publish`: always, so a tarball never carries a stale build;
//   - `npm ci`: never, since it is how CI installs (and CI runs `npm test`, which builds) — otherwise every
//     CI run would build twice;
//   - otherwise (`npm install`, a git dependency): when dist/ lacks a file the package points to.
// SEGLET_SKIP_BUILD=1 skips it in every case.
import { existsSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The files of dist/ that package.json points to (main, module, types, exports) and the script-tag files. */
export function requiredDistFiles(pkg) {
  const paths = new Set(['dist/seglet.min.js', 'dist/seglet-model.min.js'])
  const walk = (value) => {
    if (typeof value === 'string' && value.startsWith('./dist/')) paths.add(value.slice(2))
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  walk([pkg.main, pkg.module, pkg.types, pkg.exports].map((p) => (typeof p === 'string' && !p.startsWith('./') ? `./${p}` : p)))
  return [...paths].sort()
}

/**
 * Whether to build, and why (printed).
 * @param {{ command?: string, skip?: boolean, missing: string[] }} state
 * @returns {{ build: boolean, reason: string }}
 */
export function decideBuild({ command, skip, missing }) {
  if (skip) return { build: false, reason: 'SEGLET_SKIP_BUILD is set' }
  if (command === 'pack' || command === 'publish') return { build: true, reason: `npm ${command}: building a fresh dist/` }
  if (command === 'ci') return { build: false, reason: 'npm ci: not building (npm test and npm start build)' }
  if (missing.length > 0) return { build: true, reason: `dist/ lacks ${missing.join(', ')}: building` }
  return { build: false, reason: 'dist/ is complete (npm run build rebuilds it)' }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const missing = requiredDistFiles(pkg).filter((file) => !existsSync(new URL(`../${file}`, import.meta.url)))
  const { build, reason } = decideBuild({ command: process.env.npm_command, skip: process.env.SEGLET_SKIP_BUILD === '1', missing })
  console.log(`seglet prepare: ${reason}`)
  if (build) {
    const npm = process.env.npm_execpath
    const result = npm
      ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: ROOT, stdio: 'inherit' })
      : spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' })
    process.exit(result.status ?? 1)
  }
}
