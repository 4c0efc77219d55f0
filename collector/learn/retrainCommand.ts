import { existsSync, readFileSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { checkPack as validatePack } from '../../src/pack/checkPack'
import { decodePackWeights } from '../../src/pack/decodePackWeights'
import { EXPECTED_SPECS } from '../../src/pack/expectedSpecs'
import { isSegletError } from '../../src/errors'
import { COLLECTOR_DEFAULTS } from '../cli/parseCollectorArgs'
import { migrate } from '../storage/migrate'
import { openDatabase } from '../storage/openDatabase'
import type { Database } from '../storage/types'
import { CollectorError } from '../lib/CollectorError'
import { optionProblem } from '../lib/optionProblem'
import { databaseLocation } from '../lib/databaseLocation'
import { withNegativeValues } from '../lib/withNegativeValues'
import { DEFAULT_KEY_DIR, PRIVATE_KEY_FILE, readPackSigningKey, type PackSigningKey } from '../packs/signingKey'
import { readPublishedManifest, RENEW_MANIFEST_DAYS, renewManifest, renewWithinMs } from '../packs/publishPacks'
import { readPublishedPacks } from '../packs/readPublishedPacks'
import type { ModelPack } from '../../src/pack/types'
import { parseLearnTables } from '../../src/reports/learn/parseLearnTables'
import { LEARN_FEATURES } from '../../src/reports/learn/schema'
import { isReportEpsilon } from '../../src/reports/lib/isReportEpsilon'
import { MIN_TRAINING_ANSWERS, outcomeWords, retrain } from './retrain'
import { publishedSessionPack, retrainedPackWriter } from './retrainedPackWriter'
import { fileProblem } from '../lib/fileProblem'
import { packIntegrity } from '../../training/packTag'

/**
 * Where an accepted pack is written without a signing key: outside the publish folder, whose files the collector
 * serves at /seglet/ (only those publish-pack writes) and a shop uploads, since the pages load an unsigned pack from
 * wherever the shop hosts it, pinned by its hash.
 */
export const DEFAULT_RETRAIN_OUT = '.seglet-collector/retrained/session.json'

export const RETRAIN_HELP = `Usage: npm run collector -- retrain [options]

Refits the session pack's intent from the private training answers, checks it on held-out days and writes a
new pack only if it is not worse. Run it on demand or from a daily schedule (cron).

With a signing key (--key, or ${join(DEFAULT_KEY_DIR, PRIVATE_KEY_FILE)} once \`keygen\` made it) an accepted
pack is signed and published with a new signed manifest in --publish-dir, which the shop serves at /seglet/:
pages that pin the key (data-pack-key) pick it up at their next daily check, with no change to the page.
A run that publishes no pack renews a manifest that expires within ${RENEW_MANIFEST_DAYS} days, or within a third of its
lifetime when that is shorter, but at least a day and a half (the same packs, signed again).
Without a key it is written to --out, and the page's data-pack-integrity must be updated by hand (the run
prints it).

Options:
  --database LOCATION   the collector's store (default ${COLLECTOR_DEFAULTS.database}), or postgres://…
  --pack FILE           the session pack the shop serves now (default: the last one published in
                        --publish-dir when signing, else src/models/session.json)
  --key FILE            the pack-signing key (default ${join(DEFAULT_KEY_DIR, PRIVATE_KEY_FILE)} when it exists)
  --publish-dir DIR     where signed packs and the manifest go (default ${COLLECTOR_DEFAULTS.pageStatsDir})
  --out FILE            without a key: where an accepted pack is written (default ${DEFAULT_RETRAIN_OUT}), for
                        you to copy to where your pages load the session pack from: the collector does not serve it
  --epsilon E           the ε reports carry (default ${COLLECTOR_DEFAULTS.epsilon})
  --window-days N       days of answers to fit from (default ${COLLECTOR_DEFAULTS.windowDays})
  --min-answers N       fewest answers to fit from (default ${MIN_TRAINING_ANSWERS})
  --min-version N       when signing: the new manifest's version is at least N, as with publish-pack. After
                        --publish-dir was lost, give one above any version published before, or returning
                        browsers refuse the retrain's manifest as a rollback and keep their packs. Without
                        a key the run says so on stderr, and goes on as without it
  --dry-run             fit and check as a run does and say what it would do, writing nothing: no pack, no
                        manifest, no renewal. A signing key given or found is still read: with it, the run
                        starts from the last published pack, as a run with the key would
  --learn-tables LIST   the training tables browsers answer, listed in the published pack: "all", or
                        features (${LEARN_FEATURES.map((f) => f.name).join(', ')}) and table ids
                        (withStats.month), comma-separated. A shop without cart events drops the funnel
                        tables: --learn-tables product_pages,month (default: the list of the pack in use)
  --help                print this help
`

/** The retrain command's options, as `parseArgs()` reads them: also the names a misspelt option is matched against. */
const RETRAIN_OPTIONS = {
  help: { type: 'boolean' }, database: { type: 'string' }, pack: { type: 'string' }, out: { type: 'string' },
  key: { type: 'string' }, 'publish-dir': { type: 'string' },
  epsilon: { type: 'string' }, 'window-days': { type: 'string' }, 'min-answers': { type: 'string' }, 'learn-tables': { type: 'string' },
  'min-version': { type: 'string' }, 'dry-run': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options']

/** `npm run collector -- retrain`: returns the exit code (0 also when it keeps the pack or waits for answers). */
export async function retrainCommand(argv: readonly string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: withNegativeValues(argv, RETRAIN_OPTIONS), strict: true, allowPositionals: false,
      options: RETRAIN_OPTIONS,
    }))
  } catch (error) {
    console.error(`seglet collector retrain: ${optionProblem(error, Object.keys(RETRAIN_OPTIONS))} (see --help)`)
    return 2
  }
  if (values.help) {
    process.stdout.write(RETRAIN_HELP)
    return 0
  }
  let database: string
  try {
    database = databaseLocation(values.database as string | undefined, COLLECTOR_DEFAULTS.database)
  } catch (error) {
    console.error(`seglet collector retrain: ${(error as Error).message}`)
    return 2
  }
  const number = (name: string, fallback: number, ok: (v: number) => boolean): number | undefined => {
    const raw = values[name] as string | undefined
    if (raw === undefined) return fallback
    const v = Number(raw)
    return ok(v) ? v : undefined
  }
  // The pages' own rule: the sums hold no answers at any other ε.
  const epsilonText = values.epsilon as string | undefined
  const epsilon = epsilonText !== undefined && !/^\d+(\.\d+)?$/.test(epsilonText) ? undefined : number('epsilon', COLLECTOR_DEFAULTS.epsilon, isReportEpsilon)
  const windowDays = number('window-days', COLLECTOR_DEFAULTS.windowDays, (v) => Number.isInteger(v) && v >= 2 && v <= 366)
  const minAnswers = number('min-answers', MIN_TRAINING_ANSWERS, (v) => Number.isInteger(v) && v >= 1)
  if (epsilon === undefined || windowDays === undefined || minAnswers === undefined) {
    // The first value out of its range, named as typed, as --min-version below.
    const [, name, rule] = (
      [
        [epsilon, 'epsilon', '0.1–8 in hundredths'],
        [windowDays, 'window-days', 'a whole number from 2 to 366'],
        [minAnswers, 'min-answers', 'a whole number from 1'],
      ] as const
    ).find(([value]) => value === undefined)!
    console.error(`seglet collector retrain: --${name} must be ${rule}, not "${String(values[name])}"`)
    return 2
  }
  const minVersionText = values['min-version'] as string | undefined
  const minVersion = minVersionText === undefined ? undefined : Number(minVersionText)
  if (minVersion !== undefined && !(/^[0-9]+$/.test(minVersionText!) && Number.isSafeInteger(minVersion) && minVersion >= 1)) {
    console.error(`seglet collector retrain: --min-version must be a whole number from 1, not "${minVersionText}"`)
    return 2
  }
  const listed = values['learn-tables'] === undefined ? undefined : parseLearnTables(String(values['learn-tables']))
  if (listed === null) {
    console.error(`seglet collector retrain: --learn-tables must be "all" or a comma-separated list of ${LEARN_FEATURES.map((f) => f.name).join(', ')} and table ids like withStats.month`)
    return 2
  }
  const learnTables = values['learn-tables'] === undefined ? undefined : (listed ?? 'all')
  // Fits and checks, and writes nothing: what a run would do, said before it is done for real.
  const dryRun = values['dry-run'] === true
  // Paths are named in messages as typed (read from the project root, as the running collector reads them).
  const typedOut = String(values.out ?? DEFAULT_RETRAIN_OUT)
  const out = resolve(typedOut)
  const publishDir = resolve(String(values['publish-dir'] ?? COLLECTOR_DEFAULTS.pageStatsDir))
  const defaultKey = join(DEFAULT_KEY_DIR, PRIVATE_KEY_FILE)
  // As typed: a key that cannot be read is said by this name.
  const key = values.key !== undefined ? String(values.key) : existsSync(defaultKey) ? defaultKey : undefined
  if (key === undefined && !dryRun) {
    // Pages that pin the shop's key take only what is signed: a run without the key (one started from another
    // folder, where the default key path is not found) would leave their manifest to expire, saying nothing.
    const signed = await readPublishedManifest(publishDir).catch(() => undefined)
    if (signed) {
      console.error(
        `seglet collector retrain: no signing key (--key, or ${defaultKey} from ${process.cwd()}), but ${publishDir} holds a signed manifest (version ${signed.version}, valid until ${signed.expires ?? 'no end'}): ` +
          `this run neither publishes to it nor renews it, and writes an accepted pack unsigned to ${out}. Give --key to publish signed`,
      )
    }
    // Given after the publish folder was lost, where no manifest is left to warn of: the run would publish nothing
    // above the versions browsers stored, saying nothing.
    if (minVersion !== undefined) {
      console.error(
        `seglet collector retrain: --min-version ${minVersion} holds only when signing, and this run has no signing key (--key, or ${defaultKey} from ${process.cwd()}): ` +
          `it publishes no manifest and writes an accepted pack unsigned to ${out}. Give --key to publish signed`,
      )
    }
  }
  // A folder given as --out would be found only when the accepted pack is written, after the whole fit.
  if (key === undefined && !dryRun) {
    let isFolder
    try {
      isFolder = statSync(out, { throwIfNoEntry: false })?.isDirectory()
    } catch (error) {
      // A file where a folder of the path should be (ENOTDIR), or a folder it may not read.
      console.error(`seglet collector retrain: --out ${typedOut} cannot be written: ${fileProblem(error)}`)
      return 2
    }
    if (isFolder) {
      console.error(`seglet collector retrain: --out ${typedOut} is a folder; give the file an accepted pack is written to (such as ${join(typedOut, 'session.json')})`)
      return 2
    }
  }
  // A key that cannot be read would be found only once an accepted pack is signed, after the whole fit, or once the
  // manifest is due for renewal: a daily run waiting for answers would say nothing of it for weeks.
  let signingKey: PackSigningKey | undefined
  if (key !== undefined) {
    try {
      signingKey = await readPackSigningKey(key)
    } catch (error) {
      if (!(error instanceof CollectorError)) throw error
      console.error(`seglet collector retrain: ${error.message}`)
      return 1
    }
  }
  let packPath = String(values.pack ?? 'src/models/session.json')
  let pack
  let fromPublished = false
  try {
    // Signing: the pack in use is the one browsers got from the last publication.
    const published = values.pack === undefined && signingKey !== undefined ? await publishedSessionPack(publishDir) : undefined
    if (published) {
      packPath = published.file
      fromPublished = true
    }
    pack = validatePack(JSON.parse(published?.text ?? readFileSync(resolve(packPath), 'utf8')))
  } catch (error) {
    // One line: JSON.parse quotes the file's start, line breaks and all (a Markdown file given by mistake).
    console.error(`seglet collector retrain: ${packPath}: ${fileProblem(error)}`)
    return 1
  }
  if (pack.kind !== 'session') {
    console.error(`seglet collector retrain: ${packPath} is a ${pack.kind} pack; retraining refits the session pack's intent`)
    return 1
  }
  try {
    // As publish-pack checks it: a pack of another feature set (from before an SDK upgrade) or with weights that
    // do not decode stays so once retrained, and every browser would refuse it and keep the pack it has.
    decodePackWeights(validatePack(pack, EXPECTED_SPECS.session))
  } catch (error) {
    if (!isSegletError(error)) throw error
    console.error(`seglet collector retrain: ${packPath}: browsers would refuse this session pack (${error.code}): ${error.message.split('\n').join(' ')}${error.code === 'pack_spec_mismatch' ? ` ${specMismatchStep(fromPublished, values, key)}` : ''}`)
    return 1
  }
  // Told to stop (SIGINT/SIGTERM, a scheduler's timeout): the step under way finishes (each is whole or not at
  // all), none begins after it, nothing is published, and the database is closed.
  let stopping = false
  const stop = () => void (stopping = true)
  const listen = (on: boolean) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) on ? process.once(signal, stop) : process.off(signal, stop)
  }
  listen(true)
  let open: Database
  try {
    open = await openDatabase(database, { onLockWait: (message) => console.error(`seglet collector retrain: ${message}`) })
  } catch (error) {
    listen(false)
    // The collector running on the same embedded store, or a database out of reach: one line, not a stack.
    if (!(error instanceof CollectorError)) throw error
    console.error(`seglet collector retrain: ${error.message}`)
    return 1
  }
  const stopped = () => Promise.reject(new Error('stopping'))
  const db: Database = {
    kind: open.kind,
    query: (text, params) => (stopping ? stopped() : open.query(text, params)),
    transaction: (work) => (stopping ? stopped() : open.transaction(work)),
    close: () => open.close(),
  }
  const writePack = dryRun ? async () => 'nothing (--dry-run)' : retrainedPackWriter({ publishDir, key: signingKey, out, minVersion })
  // What an earlier run wrote or published: a second accepted retrain of the day takes a version of its own.
  const takenVersions = [...(await readPublishedPacks(publishDir)), await readFile(out, 'utf8').then((text) => JSON.parse(text) as unknown, () => undefined)]
    .flatMap((p) => (p && typeof p === 'object' && typeof (p as ModelPack).version === 'string' ? [(p as ModelPack).version] : []))
  try {
    await migrate(db)
    const result = await retrain(db, {
      pack, epsilon, windowDays, minAnswers, learnTables, takenVersions,
      writePack: (text) => (stopping ? stopped() : writePack(text)),
    })
    // Without a key nothing is published: the pack is written to --out, and the page pins it by its hash.
    if (dryRun) {
      await sayDryRun(result, { signed: signingKey !== undefined, publishDir, out: typedOut, learnTables })
      return 0
    }
    console.log(`seglet collector retrain: ${outcomeWords(result, signingKey !== undefined)}: ${result.reason}${result.written ? `; ${signingKey ? 'published' : 'wrote'} ${result.written} (version ${result.pack.version}, training tables: ${result.pack.learnTables?.join(', ') ?? 'all'})` : ''}`)
    if (result.written && signingKey === undefined)
      console.log(
        `seglet collector retrain: the collector does not serve ${typedOut}: copy it to where your pages load the session pack from (their data-pack-url), and set their data-pack-integrity="${packIntegrity(await readFile(out))}"; then restart the collector with --known-pack naming that copy, or its figures stay on the pack before while that one has reports in the window, and its dashboard cannot say what this retrain found (or make a signing key with keygen, and retrain publishes by itself)`,
      )
    if (result.idleTables?.length)
      console.log(`seglet collector retrain: ${result.idleTables.join(', ')} (tables this run lists for its pack) got answers whose feature showed one value only, within the noise of the window's answers: so do the funnel tables of a shop that sends no cart events, but with a few thousand answers a table whose feature does vary can too (a value of one session in five can be lost in the noise). Leave a table out (--learn-tables without it, giving the others its answers) only when you know its feature cannot vary on your pages`)
    if (learnTables !== undefined && result.status !== 'published') console.log('seglet collector retrain: the training-table list is published with the next accepted pack')
    // No new pack: the packs in use are signed again before their manifest expires, or first visits would go without them.
    const renewed = signingKey !== undefined && result.status !== 'published' && !stopping ? await renewManifest({ outDir: publishDir, key: signingKey, minVersion }) : undefined
    if (renewed) console.log(`seglet collector retrain: renewed the signed manifest, which was to expire within ${RENEW_MANIFEST_DAYS} days (or a third of its lifetime, at least a day and a half): version ${renewed.version}, valid until ${renewed.manifest.expires}`)
    return 0
  } catch (error) {
    if (stopping) {
      console.error('seglet collector retrain: stopped before it finished; nothing was published')
      return 1
    }
    // The collector's own errors say what failed; anything else came from the database (PostgreSQL gone away).
    console.error(`seglet collector retrain: ${error instanceof CollectorError ? error.message : `database: ${(error as Error)?.message ?? String(error)}`}`)
    return 1
  } finally {
    listen(false)
    await db.close().catch(() => {})
  }
}

/**
 * What a `--dry-run` found, in the words of a run's own lines: the outcome, what an accepted pack would be and where it
 * would go (nothing was written), the idle tables, and whether a run would renew the signed manifest.
 */
async function sayDryRun(
  result: Awaited<ReturnType<typeof retrain>>,
  target: { signed: boolean; publishDir: string; out: string; learnTables: readonly string[] | 'all' | undefined },
): Promise<void> {
  const accepted = result.status === 'published'
  const would = accepted
    ? `; a run would ${target.signed ? `publish it signed to ${target.publishDir}` : `write it to ${target.out}`} as version ${result.pack.version} (training tables: ${result.pack.learnTables?.join(', ') ?? 'all'})`
    : ''
  console.log(`seglet collector retrain --dry-run: ${outcomeWords(result, false)}: ${result.reason}${would}; nothing was written`)
  if (result.idleTables?.length)
    console.log(`seglet collector retrain --dry-run: ${result.idleTables.join(', ')} (tables a run would list for its pack) got answers whose feature showed one value only, within the noise of the window's answers`)
  if (target.learnTables !== undefined && !accepted) console.log('seglet collector retrain --dry-run: the training-table list is published with the next accepted pack')
  if (!target.signed || accepted) return
  // As renewManifest decides it, without signing anything.
  const last = await readPublishedManifest(target.publishDir).catch(() => undefined)
  if (last?.expires !== undefined && Date.parse(last.expires) - Date.now() <= renewWithinMs(last))
    console.log(`seglet collector retrain --dry-run: a run would renew the signed manifest (version ${last.version}), which expires ${last.expires}`)
}

/**
 * What to do about a pack in use of another feature set than this SDK's (one from before an SDK upgrade): the pages
 * refuse it too, so they need a pack of this SDK's features, and the retrain starts from that one. `published`: it
 * is the pack last published in --publish-dir, taken as the pack in use when signing.
 */
function specMismatchStep(published: boolean, values: Record<string, string | boolean | undefined>, key: string | undefined): string {
  const pack = "a session pack of this SDK's features (the shipped src/models/session.json, or one npm run train made)"
  if (!published) return `Pages of this SDK refuse it too: serve them ${pack}, and give that pack as --pack`
  const out = values['publish-dir'] === undefined ? '' : ` --out ${String(values['publish-dir'])}`
  return `Publish ${pack} in its place (npm run collector -- publish-pack --session src/models/session.json${out}${values.key === undefined ? '' : ` --key ${key}`}), then run retrain again: it starts from the published pack`
}
