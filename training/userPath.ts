import { relative, resolve } from 'node:path'

/**
 * The folder the command was typed in: npm runs a package script (`npm run train`, `npm run evaluate`)
 * from the project root and gives the folder it was started in as `INIT_CWD`; run without npm, it is the current
 * folder.
 */
export function userFolder(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.INIT_CWD || process.cwd())
}

/**
 * A path typed on the command line, made absolute against the folder it was typed in ({@link userFolder}): a data
 * person in `training/` giving `--events ./export.ndjson` means the file beside them, not one at the project root.
 *
 * @example
 * userPath('./export.ndjson', { INIT_CWD: '/shop/seglet/training' }) // '/shop/seglet/training/export.ndjson'
 */
export function userPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(userFolder(env), path)
}

/**
 * `line` with each absolute path in it written relative to the folder the command was typed in ({@link userFolder}),
 * where that is shorter: the files are read by absolute path, but a message names them as the data person typed
 * them (`nope.csv`, `../README.md`), and one typed absolute, far from that folder, stays absolute.
 *
 * @example
 * shortenPaths('/shop/seglet/docs/x.csv: no such file', { INIT_CWD: '/shop/seglet/docs' }) // 'x.csv: no such file'
 */
export function shortenPaths(line: string, env: NodeJS.ProcessEnv = process.env): string {
  const folder = userFolder(env)
  // An absolute path starts a word (not the `//` of a URL) and ends before a space, quote, comma or colon.
  return line.replace(/(?<![\w.~:/-])\/[^\s'",;:()]+/g, (path) => {
    const shown = relative(folder, path) || '.'
    return shown.length < path.length ? shown : path
  })
}
