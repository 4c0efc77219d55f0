import * as tf from '@tensorflow/tfjs'
import { join, resolve } from 'node:path'
import type { LifetimeAggregate } from '../src/features/types'
import type { ModelPack } from '../src/pack/types'
import { buildPack, figure, stringifyPack, type PackInput, type PackResult } from './buildPack'
import { plural } from '../src/lib/plural'
import { DEFAULT_DATA_DIR, PROJECT_ROOT, RETAIL_FILE, SHOPPERS_FILE, readDataFile } from './data'
import { DataError } from './dataError'
import { describeFeatureOptions, featureOptions } from './featureOptions'
import { describeRetention, retentionOptions } from './retentionOptions'
import { useTimeZone } from './timeZone'
import { userPath } from './userPath'
import { eventCustomers, eventSessions } from './loadEvents'
import { retailCustomers, retailEvents } from './loadRetail'
import { parseShoppers, rowToAggregate } from './loadShoppers'
import { EVENTS_FORMATS, loadTrainingEventsFiles } from './loadTrainingEvents'
import { noCustomersMessage, skippedNote } from './loadedEvents'
import { checkOutputPath, writeFilesWhole } from './outputFiles'
import { checkOptions, dateOption, dayStart, localDate, oneOfOption, readOptions, wholeNumberOption } from './options'
import { DEFAULT_SEED, LIFETIME_CONFIG, SESSION_CONFIG, type PackConfig } from './packConfig'
import { lifetimePackInput, sessionPackInput } from './packInputs'
import { packTag } from './packTag'
import { log } from './progress'
import { dataPackVersion, isShippedNetwork, packVersionOption, publicPackVersion } from './packVersion'
import { writeReport } from './report'
import { segmentsMarkdown } from './segmentsDoc'
import { smallDataWarnings } from './smallData'
import { FORMAT_NAMES, shopData, UCI_RETAIL, UCI_SHOPPERS, type TrainingData } from './trainingData'

const USAGE = `usage: npm run train -- [--data <dir>] [--out <dir>] [--report <file>] [--docs <file>] [--seed <n>] [--quick]
         [--only session|lifetime [--inner-holdout 0-4]] [--config '{"session":{…},"lifetime":{…}}'] [--pack-base-url <path>] [--pack-version <semver>]
         [--events <file> [--events <file> …] [--format ga4|shopify|seglet] [--time-zone <IANA name>] [--session-gap-ms <ms>] [--special-days <JSON>]
                          [--retention-days <days>] [--max-events <n>]]
         [--lifetime-events <file> [--lifetime-events <file> …] [--lifetime-format ga4|shopify|seglet] [--cutoff YYYY-MM-DD]] [--purchase-retention-days <days>]
(see training/README.md)`

const text = { type: 'string' } as const
const OPTIONS = {
  data: text, out: text, report: text, docs: text, seed: text, quick: { type: 'boolean' }, only: text, config: text,
  // --events once per file: BigQuery writes a large export as several files.
  events: { type: 'string', multiple: true }, format: text, 'time-zone': text, 'session-gap-ms': text, 'special-days': text,
  'retention-days': text, 'purchase-retention-days': text, 'max-events': text,
  'lifetime-events': { type: 'string', multiple: true }, 'lifetime-format': text, cutoff: text, 'pack-base-url': text, 'inner-holdout': text, 'pack-version': text,
} as const

type ConfigOverrides = Partial<Record<'session' | 'lifetime', Partial<PackConfig>>>

/** `--config`: a JSON object of `session` / `lifetime` hyper-parameters, each a key of `PackConfig` with a value of its type. */
function configOverrides(json: string | undefined): ConfigOverrides {
  if (json === undefined) return {}
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    throw new DataError(`--config: not JSON (${(error as Error).message})`)
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
  if (!isObject(value)) throw new DataError('--config must be a JSON object like {"session":{"members":6},"lifetime":{"epochs":40}}')
  const known = { ...SESSION_CONFIG, maskWeight: 1 } as Record<string, unknown>
  const counts = ['members', 'hidden', 'hidden2', 'epochs', 'batchSize']
  for (const [kind, config] of Object.entries(value)) {
    if (kind !== 'session' && kind !== 'lifetime') throw new DataError(`--config: unknown pack ${JSON.stringify(kind)} (session or lifetime)`)
    if (!isObject(config)) throw new DataError(`--config: ${kind} must be an object of hyper-parameters`)
    for (const [key, v] of Object.entries(config)) {
      if (!(key in known)) throw new DataError(`--config: unknown ${kind} hyper-parameter ${JSON.stringify(key)} (${Object.keys(known).join(', ')})`)
      const ok = key === 'encoding' ? v === 'float32' || v === 'float16' || v === 'uint8'
        : typeof known[key] === 'number' ? typeof v === 'number' && Number.isFinite(v) && v >= 0 && (!counts.includes(key) || (Number.isInteger(v) && (key === 'hidden2' || v >= 1)))
        : typeof v === typeof known[key]
      if (!ok) throw new DataError(`--config: ${kind}.${key} cannot be ${JSON.stringify(v)}`)
    }
  }
  return value as ConfigOverrides
}

/** A pack's hyper-parameters with the `--config` overrides of its kind, and `--quick`'s 2 members × 3 epochs. */
function scaleConfig(c: PackConfig, overrides: Partial<PackConfig> | undefined, quick: boolean): PackConfig {
  const merged = { ...c, ...(overrides ?? {}) }
  return quick ? { ...merged, members: 2, epochs: 3 } : merged
}

/** Lifetime labels need 90 days after the cutoff: by default the cutoff is 90 days before the newest event. */
function defaultCutoff(byShopper: Map<string, Array<{ ts: number }>>): number {
  let last = -Infinity
  for (const list of byShopper.values()) for (const e of list) if (e.ts > last) last = e.ts
  return last - 90 * 86_400_000
}

const SPLIT_WORDS = {
  session: { row: 'session', positive: 'ends in a purchase', positives: 'end in a purchase', learns: 'a session pack learns purchase intent from sessions with and without one' },
  lifetime: { row: 'customer', positive: 'ordered again', positives: 'ordered again', learns: 'a lifetime pack learns repeat orders from customers who did and customers who did not' },
} as const

/** `3 of the 33 sessions to train on end in a purchase, 0 of the 9 held out for testing`: the labels of each split. */
function splitCounts(kind: 'session' | 'lifetime', train: readonly number[], test: readonly number[]): string {
  const w = SPLIT_WORDS[kind]
  const of = (labels: readonly number[]) => `${labels.filter((v) => v === 1).length} of the ${plural(labels.length, w.row)}`
  const verb = train.filter((v) => v === 1).length === 1 ? w.positive : w.positives
  return `${of(train)} to train on ${verb}, ${of(test)} held out for testing (every 5th)`
}

/**
 * A training split whose rows are all of one kind (every purchase, or none, among the held-out fifth) leaves
 * the pack's second head nothing to learn from: refused in one line with each split's counts.
 */
function checkSplits(kind: 'session' | 'lifetime', source: string, train: readonly number[], test: readonly number[]): void {
  if (train.includes(1) && train.includes(0)) return
  throw new DataError(`${source}: ${splitCounts(kind, train, test)}; ${SPLIT_WORDS[kind].learns} in the rows it trains on: export more days of data`)
}

/** ` (not measured: …)` after a pack's figures when its held-out split has rows of one kind only, else nothing. */
function unmeasured(kind: 'session' | 'lifetime', test: readonly number[]): string {
  if (test.includes(1) && test.includes(0)) return ''
  const w = SPLIT_WORDS[kind]
  const positives = test.filter((v) => v === 1).length
  return ` (ROC AUC not measured: ${positives} of the ${plural(test.length, w.row)} held out for testing ${positives === 1 ? w.positive : w.positives}; export more days of data to measure it)`
}

/** A public data file of the default training run; missing, it is a one-line error saying what to do. */
function readPublicData(dir: string, name: string, ownDataFlag: string) {
  const path = join(dir, name)
  try {
    return readDataFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    throw new DataError(`${path}: no such file; download the public data sets (training/README.md) or pass --data <dir>, or train on your own data with ${ownDataFlag} <file>`)
  }
}

/** `npm run train`: reads the command line, builds both packs, writes them with the report and the segment docs. */
export async function main(argv: string[]): Promise<number> {
  // Every option is checked before any data is read: a typo or a bad value stops the run, never gives a default pack.
  const checked = checkOptions('train', USAGE, argv, () => {
    const values = readOptions(argv, OPTIONS)
    const str = (name: string) => values[name] as string | undefined
    const events = values.events as string[] | undefined
    // UCI rows come as sessions, with their special-day closeness: there are no events to apply the options to.
    if (events === undefined && (values['session-gap-ms'] !== undefined || values['special-days'] !== undefined)) throw new DataError('--session-gap-ms and --special-days apply to sessions from a shop\'s events: give them with --events <file>')
    // UCI rows come as sessions and UCI orders within two years of their cutoff: no history to keep or drop.
    if (events === undefined && (values['retention-days'] !== undefined || values['max-events'] !== undefined)) throw new DataError('--retention-days and --max-events apply to sessions from a shop\'s events: give them with --events <file>')
    if (events === undefined && values['lifetime-events'] === undefined && values['purchase-retention-days'] !== undefined) throw new DataError('--purchase-retention-days applies to a shop\'s events or orders: give it with --events or --lifetime-events <file>')
    // Options of a file that is not given would be ignored without a word: refused instead.
    if (events === undefined && values.format !== undefined) throw new DataError('--format is the format of a shop\'s events: give it with --events <file> (a file of orders given with --lifetime-events takes --lifetime-format)')
    if (values['lifetime-events'] === undefined && (values['lifetime-format'] !== undefined || values.cutoff !== undefined)) throw new DataError('--lifetime-format and --cutoff apply to a shop\'s orders: give them with --lifetime-events <file> (the public data set has its own cutoff, 2011-09-01)')
    const only = oneOfOption(values, 'only', ['session', 'lifetime'] as const)
    const innerHoldout = wholeNumberOption(values, 'inner-holdout', 0, 4)
    // Experiments: evaluate on an inner holdout of the training split; it writes nothing.
    if (innerHoldout !== undefined && only !== 'session') throw new DataError('--inner-holdout is for experiments: use it with --only session (it writes nothing)')
    if (innerHoldout !== undefined && events !== undefined) throw new DataError('--inner-holdout splits the public data set\'s training rows: it cannot be used with --events')
    // A pack --only leaves out is never built: its data and options would be ignored without a word.
    if (only === 'session' && (values['lifetime-events'] !== undefined || values['lifetime-format'] !== undefined || values.cutoff !== undefined)) throw new DataError('--only session builds no lifetime pack: --lifetime-events, --lifetime-format and --cutoff cannot be used with it')
    if (only === 'lifetime' && events !== undefined) throw new DataError('--only lifetime builds no session pack: --events and its options cannot be used with it')
    const seed = wholeNumberOption(values, 'seed', 0, 0xffffffff) ?? DEFAULT_SEED
    const overrides = configOverrides(str('config'))
    // Nor does a network of the public data sets other than the shipped one (--quick, --seed, --config, --inner-holdout).
    const experimental = (['session', 'lifetime'] as const).some((kind) => only !== (kind === 'session' ? 'lifetime' : 'session') &&
      !isShippedNetwork(kind, { seed, innerHoldout, config: scaleConfig(kind === 'session' ? SESSION_CONFIG : LIFETIME_CONFIG, overrides[kind], values.quick === true) }))
    const checked = {
      values, only, innerHoldout, seed, overrides,
      // A pack trained on a shop's data never takes the shipped packs' version: their reports would add up.
      packVersion: packVersionOption(values, events !== undefined || values['lifetime-events'] !== undefined, experimental),
      format: oneOfOption(values, 'format', EVENTS_FORMATS),
      lifetimeFormat: oneOfOption(values, 'lifetime-format', EVENTS_FORMATS),
      cutoff: dateOption(values, 'cutoff'),
      // Sessions split, and close to special days, as the shop's browsers compute them (its `features` options).
      features: events === undefined ? {} : featureOptions(values),
      // Each session and customer from the history its browser still holds (the shop's `storage` options).
      retention: retentionOptions(values),
    }
    // A shop's time zone applies to its orders too (a lifetime pack's active days are local dates), not only to
    // --events, which cannot do without one: that is said now, not after the events file is read.
    const timeZone = useTimeZone(str('time-zone'), events !== undefined || (values['lifetime-events'] !== undefined && '--lifetime-events'))
    // The defaults are the shipped packs' own files: a smoke run's or a shop's packs written there would replace them.
    if (only === undefined && (experimental || events !== undefined || values['lifetime-events'] !== undefined) && (values.out === undefined || values.docs === undefined)) {
      throw new DataError(`${events !== undefined || values['lifetime-events'] !== undefined ? 'packs of a shop\'s own data' : 'packs other than the shipped ones (--quick, --seed, --config)'} are not written over the shipped packs: give --out <dir> and --docs <file> (the defaults, src/models and docs/segments.md, are the shipped packs' own)`)
    }
    // The cutoff day starts at midnight in the shop's time zone, the one its orders' local dates are in.
    return { ...checked, timeZone, cutoff: checked.cutoff === undefined ? undefined : dayStart(String(values.cutoff), timeZone) }
  })
  if (typeof checked === 'number') return checked
  const { values: args, only, innerHoldout, seed: SEED, packVersion, overrides, format, lifetimeFormat, cutoff: cutoffOption, features, retention, timeZone: shopTimeZone } = checked
  const started = Date.now()
  // Production mode before the backend starts: skips debug checks and the "install tfjs-node" banner.
  tf.enableProdMode()
  await tf.setBackend('cpu')
  // A path typed is read from the folder it was typed in (npm runs the script from the project root); the
  // defaults are the project's own.
  const given = (name: string, fallback: string) => (typeof args[name] === 'string' ? userPath(args[name] as string) : resolve(PROJECT_ROOT, fallback))
  const dataDir = given('data', DEFAULT_DATA_DIR)
  const outDir = given('out', 'src/models')
  const reportPath = given('report', 'reports/training-report.html')
  const docsPath = given('docs', 'docs/segments.md')
  const eventFiles = Array.isArray(args.events) ? args.events.map((path) => userPath(path)) : undefined
  const lifetimeEventFiles = Array.isArray(args['lifetime-events']) ? args['lifetime-events'].map((path) => userPath(path)) : undefined
  // Where the packs, report and docs go is checked before the data is read: a run never ends unable to write them.
  if (only === undefined) {
    checkOutputPath('--out', outDir, 'folder')
    checkOutputPath('--report', reportPath, 'file')
    checkOutputPath('--docs', docsPath, 'file')
  }
  const quick = args.quick === true
  // --config '{"session":{...},"lifetime":{...}}' overrides hyper-parameters (for experiments; recorded in the report).
  const scale = (c: PackConfig, kind: 'session' | 'lifetime') => scaleConfig(c, overrides[kind], quick)
  log(`seglet train: data ${dataDir}${quick ? ' (quick smoke run)' : ''}`)

  // ---- Session pack -------------------------------------------------------------------------------------
  let sessionInput: PackInput | undefined
  if (only === 'lifetime') log('  --only lifetime: session pack not built')
  else if (eventFiles !== undefined) {
    const loaded = loadTrainingEventsFiles(eventFiles, format)
    const named = eventFiles.join(', ')
    if (loaded.format === 'shopify') throw new DataError(`${named}: a Shopify orders export has orders but no browsing sessions; use it for the lifetime pack (--lifetime-events)`)
    // Before any session is built: its local-time features are computed in the shop's time zone, as the browser does.
    const timeZone = useTimeZone(typeof args['time-zone'] === 'string' ? args['time-zone'] : undefined, true)
    log(`  session features in local time of ${timeZone}`)
    const settings = [describeFeatureOptions(features), describeRetention(retention)].filter(Boolean).join('; ')
    log(`  ${settings}`)
    const sessions = eventSessions(loaded.byShopper, features, retention)
    if (sessions.length === 0) throw new DataError(`${named}: no sessions in ${eventFiles.length === 1 ? 'this' : 'these'} ${loaded.format} file${eventFiles.length === 1 ? '' : 's'}`)
    log(`  ${named}: ${loaded.format} format, ${plural(loaded.rows, 'row')}, ${plural(loaded.byShopper.size, 'shopper')}, ${plural(sessions.length, 'session')}${skippedNote(loaded.skipped)}`)
    const train = sessions.filter((_, i) => i % 5 !== 0)
    const test = sessions.filter((_, i) => i % 5 === 0)
    // One session in five is held out: a session pack needs at least one left to train on.
    if (train.length === 0) throw new DataError(`${named}: ${sessions.length} session${sessions.length === 1 ? '' : 's'}, all held out for testing; a session pack needs more sessions to train on`)
    if (!sessions.some((s) => s.label === 1)) throw new DataError(`${named}: none of the ${sessions.length} sessions ends in a purchase; a session pack learns purchase intent from sessions that do: export a period with orders`)
    // Nor from sessions that all do (a file of buyers only): its head would have nothing to tell apart either.
    if (!sessions.some((s) => s.label === 0)) throw new DataError(`${named}: every one of the ${sessions.length} session${sessions.length === 1 ? '' : 's'} ends in a purchase; a session pack learns purchase intent from sessions with and without one: export every session of the period, not only those with orders`)
    checkSplits('session', named, train.map((s) => s.label), test.map((s) => s.label))
    // A shop's own events carry cart, search and scroll behaviour: the pack reads every session feature.
    const config = scale(SESSION_CONFIG, 'session')
    // The files by format and base names: a pack records no folder of this machine (same data, same bytes anywhere).
    const data = shopData(loaded, eventFiles)
    sessionInput = sessionPackInput(train.map((s) => s.aggregate), train.map((s) => s.label), test.map((s) => s.aggregate), test.map((s) => s.label), {
      dataset: data.name, sha256: loaded.files.map((f) => f.sha256).join(' '), rows: sessions.length,
      split: `test = sessions whose 0-based index % 5 == 0; ${settings}`, seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu)`,
    }, config, 'all')
    sessionInput.data = data
    // A version of its own, from the files' content and every setting the network depends on.
    sessionInput.version = packVersion ?? dataPackVersion(['session', loaded.format, ...loaded.files.map((f) => f.sha256), JSON.stringify({ seed: SEED, config, timeZone, features, retention })])
  } else {
    const file = readPublicData(dataDir, SHOPPERS_FILE, '--events')
    if (file.verified === false) throw new DataError(`${file.path}: sha256 ${file.sha256} differs from the published one; refusing to train`)
    const rows = parseShoppers(file.text)
    let train = rows.filter((r) => r.index % 5 !== 0)
    let test = rows.filter((r) => r.index % 5 === 0)
    if (innerHoldout !== undefined) {
      // Experiments: evaluate on an inner holdout of the training split (every 5th training row from offset h);
      // the test split is not used at all.
      const h = innerHoldout
      test = train.filter((_, i) => i % 5 === h)
      train = train.filter((_, i) => i % 5 !== h)
      log(`  --inner-holdout ${h}: the "test" figures below are on ${test.length} held-out TRAINING rows`)
    }
    log(`  ${SHOPPERS_FILE}: ${rows.length} rows, sha256 verified; train ${train.length}, test ${test.length}`)
    const config = scale(SESSION_CONFIG, 'session')
    sessionInput = sessionPackInput(
      train.map((r) => rowToAggregate(r)), train.map((r) => (r.revenue ? 1 : 0)),
      test.map((r) => rowToAggregate(r)), test.map((r) => (r.revenue ? 1 : 0)),
      {
        dataset: 'UCI Online Shoppers Purchasing Intention (id 468, CC BY 4.0)', sha256: file.sha256, rows: rows.length,
        split: 'test = data rows whose 0-based index % 5 == 0; train = the rest (each train row twice: with and without page statistics)',
        seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)`,
      },
      config,
      'public',
    )
    sessionInput.data = UCI_SHOPPERS
    // 1.0.0 only for the shipped network: --quick, --seed, --config and --inner-holdout give another.
    sessionInput.version = packVersion ?? publicPackVersion('session', file.sha256, { seed: SEED, config, innerHoldout })
  }
  // The session training labels list every row twice (with and without page statistics): count each once.
  if (sessionInput) for (const warning of smallDataWarnings('session', sessionInput.trainLabels.slice(0, sessionInput.trainLabels.length / 2), sessionInput.testLabels)) log(warning)
  const session = sessionInput ? buildPack(sessionInput) : (undefined as unknown as PackResult)
  if (session) log(`  session: AUC ${figure(session.test.binary.auc)}${session.testNoStats ? ` (no stats ${figure(session.testNoStats.binary.auc)})` : ''}, accuracy ${figure(session.test.binary.accuracy)}, segment agreement ${figure(session.test.segmentAgreement)}, ${session.bytes} bytes, ${session.seconds.toFixed(0)} s${unmeasured('session', sessionInput!.testLabels)}`)

  if (only === 'session') {
    log('  --only session: lifetime pack not built, report and docs not written')
    return 0
  }

  // ---- Lifetime pack ------------------------------------------------------------------------------------
  let lifetimeInput: PackInput
  {
    let customers: Array<{ aggregate: LifetimeAggregate; label: number; test: boolean }>
    let provenance: ModelPack['provenance']
    let data: TrainingData
    // What a refusal below names: the files as given (a shop's), or the public data set.
    let source: string
    let version = packVersion
    const config = scale(LIFETIME_CONFIG, 'lifetime')
    if (lifetimeEventFiles !== undefined) {
      const path = lifetimeEventFiles.join(', ')
      const loaded = loadTrainingEventsFiles(lifetimeEventFiles, lifetimeFormat, { formatOption: '--lifetime-format' })
      const cutoff = cutoffOption ?? defaultCutoff(loaded.byShopper)
      customers = eventCustomers(loaded.byShopper, cutoff, 90, retention).map((c, i) => ({ ...c, test: i % 5 === 0 }))
      if (customers.length === 0) throw new DataError(noCustomersMessage(path, loaded, () => localDate(cutoff, shopTimeZone), cutoffOption !== undefined))
      log(`  ${path}: ${loaded.format} format, ${plural(loaded.rows, 'row')}, ${plural(customers.length, 'customer')} with an order before ${localDate(cutoff, shopTimeZone)}${skippedNote(loaded.skipped)}`)
      data = shopData(loaded, lifetimeEventFiles)
      source = `${FORMAT_NAMES[loaded.format]} ${path} (cutoff ${localDate(cutoff, shopTimeZone)})`
      provenance = { dataset: `${data.name} (cutoff ${localDate(cutoff, shopTimeZone)})`, sha256: loaded.files.map((f) => f.sha256).join(' '), rows: customers.length, split: `test = shoppers whose index % 5 == 0; orders and refunds of the ${retention.purchaseRetentionDays} days before the cutoff, as the browser keeps them`, seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)` }
      version ??= dataPackVersion(['lifetime', loaded.format, ...loaded.files.map((f) => f.sha256), JSON.stringify({ seed: SEED, config, cutoff, timeZone: shopTimeZone ?? null, retention })])
    } else {
      const file = readPublicData(dataDir, RETAIL_FILE, '--lifetime-events')
      if (file.verified === false) throw new DataError(`${file.path}: sha256 ${file.sha256} differs from the published one; refusing to train`)
      customers = retailCustomers(retailEvents(file.text))
      log(`  ${RETAIL_FILE}: ${customers.length} customers with orders before 2011-09-01, sha256 verified`)
      provenance = {
        dataset: 'UCI Online Retail (id 352, CC BY 4.0)', sha256: file.sha256, rows: customers.length,
        split: 'features from invoices before 2011-09-01; label = an order in the 90 days from 2011-09-01; test = CustomerID % 5 == 0',
        seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)`,
      }
      data = UCI_RETAIL
      source = provenance.dataset
      version ??= publicPackVersion('lifetime', file.sha256, { seed: SEED, config })
    }
    // One customer in five is held out: a lifetime pack needs at least one left to train on.
    if (!customers.some((c) => !c.test)) throw new DataError(`${source}: ${customers.length} customer${customers.length === 1 ? '' : 's'}, all held out for testing; a lifetime pack needs orders from at least 2 customers`)
    if (!customers.some((c) => c.label === 1)) throw new DataError(`${source}: none of the ${customers.length} customer${customers.length === 1 ? '' : 's'} ordered again within 90 days of the cutoff; a lifetime pack learns repeat orders from customers who did: export a longer period or pass an earlier --cutoff`)
    if (!customers.some((c) => c.label === 0)) throw new DataError(`${source}: every one of the ${customers.length} customer${customers.length === 1 ? '' : 's'} ordered again within 90 days of the cutoff; a lifetime pack learns repeat orders from customers who did and customers who did not: export a longer period, with customers who stopped ordering`)
    checkSplits('lifetime', source, customers.filter((c) => !c.test).map((c) => c.label), customers.filter((c) => c.test).map((c) => c.label))
    lifetimeInput = lifetimePackInput(customers, provenance, config, SEED + 1)
    lifetimeInput.data = data
    if (version !== undefined) lifetimeInput.version = version
  }
  for (const warning of smallDataWarnings('lifetime', lifetimeInput.trainLabels, lifetimeInput.testLabels)) log(warning)
  const lifetime = buildPack(lifetimeInput)
  log(`  lifetime: repeat AUC ${figure(lifetime.test.binary.auc)}, segment agreement ${figure(lifetime.test.segmentAgreement)}, ${lifetime.bytes} bytes, ${lifetime.seconds.toFixed(0)} s${unmeasured('lifetime', lifetimeInput.testLabels)}`)
  if (only === 'lifetime') {
    log('  --only lifetime: packs, report and docs not written')
    return 0
  }

  const sessionText = stringifyPack(session.pack)
  const lifetimeText = stringifyPack(lifetime.pack)
  const seconds = (Date.now() - started) / 1000
  // The two packs, their report and docs, written together or not at all: never a half-written pack.
  writeFilesWhole([
    [join(outDir, 'session.json'), sessionText],
    [join(outDir, 'lifetime.json'), lifetimeText],
    [reportPath, writeReport({ session, lifetime, seconds, configs: { session: sessionInput!.config, lifetime: lifetimeInput.config } })],
    [docsPath, segmentsMarkdown(session, lifetime)],
  ])
  log(`wrote ${join(outDir, 'session.json')} (${session.bytes} B, version ${session.pack.version}), ${join(outDir, 'lifetime.json')} (${lifetime.bytes} B, version ${lifetime.pack.version}), ${reportPath}, ${docsPath} in ${seconds.toFixed(0)} s`)
  const baseUrl = typeof args['pack-base-url'] === 'string' ? args['pack-base-url'] : '/models/'
  log('', 'Serve both files from your own origin and load them with this tag (the hashes are of the files as written):', '')
  // The tag as it goes into the page: its URLs are the site's, not paths on this machine.
  process.stdout.write(`${packTag({ session: sessionText, lifetime: lifetimeText }, baseUrl)}\n\n`)
  return 0
}
