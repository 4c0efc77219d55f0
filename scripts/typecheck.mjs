// `npm run typecheck`: type-checks every TypeScript project of the repository, as `tsc --noEmit -p <project>` does
// for each, in one process. The declaration files the projects share (TypeScript's own libraries, @types/node,
// the packages' types) are parsed once, not once per project; the checking itself is done for each project.
//
//   node scripts/typecheck.mjs                 every project below
//   node scripts/typecheck.mjs collector/tsconfig.json ...   only those
//
// The tests use `typeErrors()` to check a consumer's files as the `tsc` command line would, in their own process.
import { readdirSync } from 'node:fs'
import { join, relative, resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** The projects `npm run typecheck` checks: each build's sources, then the same with their tests. */
export const PROJECTS = [
  'tsconfig.json',
  'tsconfig.test.json',
  'test/browser/tsconfig.json',
  'test/firefox/tsconfig.json',
  'test/webkit/tsconfig.json',
  'test/unit/tsconfig.json',
  'collector/tsconfig.json',
  'collector/tsconfig.test.json',
  'training/tsconfig.json',
  'training/tsconfig.test.json',
  'sim/tsconfig.json',
  'sim/tsconfig.test.json',
]

/**
 * Parsed declaration files from node_modules, by path and by the settings that change how a file is parsed. Such a
 * file reads the same in every program; it is bound once, as an editor's language service shares it between projects.
 */
const shared = new Map()

/** A compiler host for `options` whose working folder is `cwd`, sharing node_modules' declaration files with every other. */
function createHost(options, cwd) {
  const host = ts.createCompilerHost(options, true)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getCurrentDirectory = () => cwd
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (shouldCreateNewSourceFile || !/[\\/]node_modules[\\/].*\.d\.[mc]?ts$/.test(fileName)) {
      return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile)
    }
    const settings = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions }
    const key = `${fileName}\0${settings.languageVersion}\0${settings.impliedNodeFormat}\0${settings.jsDocParsingMode}`
    let file = shared.get(key)
    if (file === undefined) {
      file = getSourceFile(fileName, languageVersionOrOptions, onError, false)
      if (file) shared.set(key, file)
    }
    return file
  }
  return host
}

/** Diagnostics in the order and groups `tsc` reports them: later groups only when the earlier ones are empty. */
function diagnosticsOf(program) {
  const groups = [
    () => [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics()],
    () => [...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics()],
    // With --noEmit, tsc still reports what declaration emit cannot write (an inferred type it cannot name).
    () => (program.getCompilerOptions().declaration || program.getCompilerOptions().composite ? program.getDeclarationDiagnostics() : []),
  ]
  for (const group of groups) {
    const found = group()
    if (found.length > 0) return ts.sortAndDeduplicateDiagnostics(found)
  }
  return []
}

/** How diagnostics name files: relative to `cwd`, as tsc run there names them. */
export const formatHost = (cwd = process.cwd()) => ({ getCanonicalFileName: (name) => name, getCurrentDirectory: () => cwd, getNewLine: () => '\n' })

/**
 * Reads a tsconfig file as `tsc -p` does (its `extends`, its file list); the errors it can go on with are in the
 * result's `errors`. Throws, saying why, when it cannot be read at all (missing, not JSON).
 */
export function readProject(tsconfig, existingOptions = {}) {
  let unrecoverable
  const parsed = ts.getParsedCommandLineOfConfigFile(resolvePath(tsconfig), existingOptions, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => (unrecoverable = d) })
  if (!parsed) throw new Error(unrecoverable ? ts.formatDiagnostics([unrecoverable], formatHost()).trim() : `${tsconfig} cannot be read`)
  return parsed
}

/**
 * What `tsc <args>` run in `cwd` prints: '' when the files type-check, else its error lines. `args` are the command
 * line's (`--strict`, `--lib es2022,dom`, file names; no `-p`).
 */
export function typeErrors(args, cwd = process.cwd()) {
  const line = ts.parseCommandLine(args)
  if (line.errors.length > 0) return ts.formatDiagnostics(line.errors, formatHost(cwd))
  const options = { ...line.options, noEmit: true }
  const program = ts.createProgram({ rootNames: line.fileNames.map((file) => resolvePath(cwd, file)), options, host: createHost(options, cwd) })
  return ts.formatDiagnostics(diagnosticsOf(program), formatHost(cwd))
}

/** Checks one project (a tsconfig file's path) as `tsc --noEmit -p` does; returns its error lines, '' when none. */
export function projectErrors(project) {
  let parsed
  try {
    parsed = readProject(project, { noEmit: true })
  } catch (error) {
    return `${error.message}\n`
  }
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
    host: createHost(parsed.options, process.cwd()),
  })
  return ts.formatDiagnosticsWithColorAndContext(diagnosticsOf(program), formatHost(process.cwd()))
}

/** Every tsconfig*.json of the repository outside node_modules, dist and hidden folders, relative to `root`. */
function projectFiles(root, dir = root) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return /^(\.|node_modules$|dist$|tmp$)/.test(entry.name) ? [] : projectFiles(root, join(dir, entry.name))
    return /^tsconfig.*\.json$/.test(entry.name) ? [relative(root, join(dir, entry.name))] : []
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const projects = process.argv.length > 2 ? process.argv.slice(2) : PROJECTS
  let failed = 0
  // A project added to the repository is checked only once it is listed above.
  const unlisted = projectFiles(process.cwd()).filter((file) => !PROJECTS.includes(file))
  if (process.argv.length === 2 && unlisted.length > 0) {
    process.exitCode = 1
    process.stdout.write(`not type-checked: ${unlisted.join(', ')}; add ${unlisted.length === 1 ? 'it' : 'them'} to PROJECTS in scripts/typecheck.mjs\n`)
  }
  for (const project of projects) {
    const started = performance.now()
    const errors = projectErrors(project)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    if (errors) {
      failed++
      process.stdout.write(`${project}: type errors (${seconds} s)\n${errors}\n`)
    } else {
      process.stdout.write(`${project}: no type errors (${seconds} s)\n`)
    }
  }
  if (failed > 0) {
    process.stdout.write(`${failed} of ${projects.length} projects have type errors\n`)
    process.exitCode = 1
  }
}
