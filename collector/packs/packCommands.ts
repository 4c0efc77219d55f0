import { parseArgs, type ParseArgsConfig } from 'node:util'
import { join } from 'node:path'
import { COLLECTOR_DEFAULTS } from '../cli/parseCollectorArgs'
import { CollectorError } from '../lib/CollectorError'
import { optionProblem } from '../lib/optionProblem'
import { withNegativeValues } from '../lib/withNegativeValues'
import { DEFAULT_MANIFEST_DAYS, MANIFEST_FILE, publishPacks } from './publishPacks'
import { DEFAULT_KEY_DIR, generatePackKeys, PRIVATE_KEY_FILE } from './signingKey'

/** The commands of this file: `npm run collector -- <command> …`. */
export const PACK_COMMANDS = ['keygen', 'publish-pack'] as const

export const PACK_COMMANDS_HELP = `Usage:
  npm run collector -- keygen [--dir DIR] [--force]
      Makes the key pair that signs model packs: DIR/${PRIVATE_KEY_FILE} (private, mode 0600; keep it secret
      and backed up) and DIR/pack-signing.pub. Prints the data-pack-key attribute to paste into the script tag.
      DIR defaults to ${DEFAULT_KEY_DIR}. --force replaces an existing key, whole or not at all: a run that
      fails (a full disk) leaves the old one (pages must then pin the new one, and the next publish-pack needs
      --rotate-key).

  npm run collector -- publish-pack [--session FILE] [--lifetime FILE] [--key FILE] [--out DIR] [--expires-days N] [--rotate-key]
      [--min-version N]
      Checks and signs the given pack files and writes them with a signed manifest (${MANIFEST_FILE}, version one
      more than the last) to DIR (default ${COLLECTOR_DEFAULTS.pageStatsDir}), which the shop serves at /seglet/.
      A kind not given keeps its last published pack. Rolling back is publishing an earlier file again.
      --key defaults to ${join(DEFAULT_KEY_DIR, PRIVATE_KEY_FILE)}. --expires-days defaults to the lifetime of
      the last manifest in DIR (${DEFAULT_MANIFEST_DAYS} for the first): the days chosen once hold for every later
      publish, and for a retrain's, until given again. A key other than the one that signed the last manifest
      in DIR is refused unless --rotate-key says the key changes on purpose (pages pin both keys by then).
      --min-version N: the new manifest's version is at least N. After DIR was lost, give one above any version
      published before, or returning browsers refuse the new manifest as a rollback and keep their packs.
`

/**
 * Runs `keygen` or `publish-pack` (`argv` starts with the command) and returns the exit code: 0, 2 for a bad
 * option, 1 when the key or a pack cannot be used. Prints what it did, and what to paste into the page.
 *
 * @example
 * await runPackCommand(['publish-pack', '--session', 'session.json'])
 */
export async function runPackCommand(argv: readonly string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const [command, ...rest] = argv
  const options: ParseArgsConfig['options'] =
    command === 'keygen'
      ? { dir: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } }
      : { session: { type: 'string' }, lifetime: { type: 'string' }, key: { type: 'string' }, out: { type: 'string' }, 'expires-days': { type: 'string' }, 'rotate-key': { type: 'boolean' }, 'min-version': { type: 'string' }, help: { type: 'boolean' } }
  let values: Record<string, unknown>
  try {
    ;({ values } = parseArgs({
      args: withNegativeValues(rest, options),
      strict: true,
      allowPositionals: false,
      options,
    }))
  } catch (error) {
    err(`seglet collector ${command}: ${optionProblem(error, Object.keys(options))} (see --help)`)
    return 2
  }
  if (values.help) {
    out(PACK_COMMANDS_HELP)
    return 0
  }
  try {
    if (command === 'keygen') {
      const keys = await generatePackKeys((values.dir as string | undefined) ?? DEFAULT_KEY_DIR, {
        overwrite: values.force === true,
        onStaleLock: (message) => err(`seglet collector keygen: ${message}`),
      })
      out(`Wrote ${keys.privateKeyFile} (private, mode 0600: keep it secret, back it up) and ${keys.publicKeyFile}.`)
      out(`Key id ${keys.keyId}. Paste this into the Seglet script tag, once:`)
      out(``)
      out(`  data-pack-key="${keys.packKey}"`)
      out(``)
      out(`or, with npm: createSeglet({ model: { packKey: '${keys.packKey}' } })`)
      return 0
    }
    const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days'])
    if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 3650)) {
      err(`seglet collector publish-pack: --expires-days must be a whole number from 1 to 3650, not "${String(values['expires-days'])}"`)
      return 2
    }
    const minVersion = values['min-version'] === undefined ? undefined : Number(values['min-version'])
    if (minVersion !== undefined && !(/^[0-9]+$/.test(String(values['min-version'])) && Number.isSafeInteger(minVersion) && minVersion >= 1)) {
      err(`seglet collector publish-pack: --min-version must be a whole number from 1, not "${String(values['min-version'])}"`)
      return 2
    }
    const published = await publishPacks({
      outDir: (values.out as string | undefined) ?? COLLECTOR_DEFAULTS.pageStatsDir,
      key: values.key as string | undefined,
      packs: { session: values.session as string | undefined, lifetime: values.lifetime as string | undefined },
      expiresInDays: days,
      rotateKey: values['rotate-key'] === true,
      minVersion,
    })
    out(`Published version ${published.version} (key ${published.keyId}, valid until ${published.manifest.expires}): ${published.manifestFile}`)
    for (const [kind, file] of Object.entries(published.packFiles)) out(`  ${kind} pack ${file}`)
    out(`Browsers that pin the key pick it up at their next daily check.`)
    return 0
  } catch (error) {
    if (!(error instanceof CollectorError)) throw error
    err(`seglet collector ${command}: ${error.message}`)
    return 1
  }
}
