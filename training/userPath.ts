import { resolve } from 'node:path'

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
