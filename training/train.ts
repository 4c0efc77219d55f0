import * as tf from '@tensorflow/tfjs'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { LifetimeAggregate } from '../src/features/types'
import type { ModelPack } from '../src/pack/types'
import { buildPack, log, stringifyPack, type PackInput, type PackResult } from './buildPack'
import { DEFAULT_DATA_DIR, PROJECT_ROOT, RETAIL_FILE, SHOPPERS_FILE, parseArgs, readDataFile } from './data'
import { DataError } from './dataError'
import { describeFeatureOptions, featureOptions } from './featureOptions'
import { useTimeZone } from './timeZone'
import { eventCustomers, eventSessions } from './loadEvents'
import { retailCustomers, retailEvents } from './loadRetail'
import { parseShoppers, rowToAggregate } from './loadShoppers'
import { loadTrainingEvents } from './loadTrainingEvents'
import { DEFAULT_SEED, LIFETIME_CONFIG, SESSION_CONFIG, type PackConfig } from './packConfig'
import { lifetimePackInput, sessionPackInput } from './packInputs'
import { packTag } from './packTag'
import { writeReport } from './report'
import { segmentsMarkdown } from './segmentsDoc'
import { smallDataWarnings } from './smallData'

const FORMAT_NAMES = { seglet: 'Seglet events export', ga4: 'GA4 BigQuery export', shopify: 'Shopify orders export' } as const

/** ` (skipped: 3 invalid purchase, …)` or nothing. */
function skippedNote(skipped: Record<string, number>): string {
  const parts = Object.entries(skipped).map(([why, n]) => `${n} ${why}`)
  return parts.length > 0 ? ` (skipped: ${parts.join(', ')})` : ''
}

/** Lifetime labels need 90 days after the cutoff: by default the cutoff is 90 days before the newest event. */
function defaultCutoff(byShopper: Map<string, Array<{ ts: number }>>): number {
  let last = -Infinity
  for (const list of byShopper.values()) for (const e of list) if (e.ts > last) last = e.ts
  return last - 90 * 86_400_000
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
  const args = parseArgs(argv)
  const started = Date.now()
  // Production mode before the backend starts: skips debug checks and the "install tfjs-node" banner.
  tf.enableProdMode()
  await tf.setBackend('cpu')
  const dataDir = resolve(String(args.data ?? DEFAULT_DATA_DIR))
  const outDir = resolve(PROJECT_ROOT, String(args.out ?? 'src/models'))
  const reportPath = resolve(PROJECT_ROOT, String(args.report ?? 'reports/training-report.html'))
  const docsPath = resolve(PROJECT_ROOT, String(args.docs ?? 'docs/segments.md'))
  const quick = args.quick === true
  const SEED = typeof args.seed === 'string' ? Number(args.seed) : DEFAULT_SEED
  // --config '{"session":{...},"lifetime":{...}}' overrides hyper-parameters (for experiments; recorded in the report).
  const overrides = typeof args.config === 'string' ? JSON.parse(args.config) : {}
  const scale = (c: PackConfig, kind: 'session' | 'lifetime') => {
    const merged = { ...c, ...(overrides[kind] ?? {}) }
    return quick ? { ...merged, members: 2, epochs: 3 } : merged
  }
  log(`seglet train: data ${dataDir}${quick ? ' (quick smoke run)' : ''}`)
  // A shop's time zone applies to its orders too (a lifetime pack's active days are local dates), not only to --events.
  if (typeof args['time-zone'] === 'string') useTimeZone(args['time-zone'], false)

  // ---- Session pack -------------------------------------------------------------------------------------
  let sessionInput: PackInput
  if (typeof args.events === 'string') {
    const loaded = loadTrainingEvents(args.events, typeof args.format === 'string' ? args.format : undefined)
    if (loaded.format === 'shopify') throw new DataError(`${args.events}: a Shopify orders export has orders but no browsing sessions; use it for the lifetime pack (--lifetime-events)`)
    // Before any session is built: its local-time features are computed in the shop's time zone, as the browser does.
    const timeZone = useTimeZone(typeof args['time-zone'] === 'string' ? args['time-zone'] : undefined, true)
    log(`  session features in local time of ${timeZone}`)
    // Sessions split, and close to special days, as the shop's browsers compute them (its `features` options).
    const features = featureOptions(args)
    const settings = describeFeatureOptions(features)
    if (settings) log(`  ${settings}`)
    const sessions = eventSessions(loaded.byShopper, features)
    if (sessions.length === 0) throw new DataError(`${args.events}: no sessions in this ${loaded.format} file`)
    log(`  ${args.events}: ${loaded.format} format, ${loaded.rows} rows, ${loaded.byShopper.size} shoppers, ${sessions.length} sessions${skippedNote(loaded.skipped)}`)
    const train = sessions.filter((_, i) => i % 5 !== 0)
    const test = sessions.filter((_, i) => i % 5 === 0)
    // One session in five is held out: a session pack needs at least one left to train on.
    if (train.length === 0) throw new DataError(`${args.events}: ${sessions.length} session${sessions.length === 1 ? '' : 's'}, all held out for testing; a session pack needs more sessions to train on`)
    // A shop's own events carry cart, search and scroll behaviour: the pack reads every session feature.
    sessionInput = sessionPackInput(train.map((s) => s.aggregate), train.map((s) => s.label), test.map((s) => s.aggregate), test.map((s) => s.label), {
      dataset: `${FORMAT_NAMES[loaded.format]} ${args.events}`, sha256: loaded.file.sha256, rows: sessions.length,
      split: `test = sessions whose 0-based index % 5 == 0${settings ? `; ${settings}` : ''}`, seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu)`,
    }, scale(SESSION_CONFIG, 'session'), 'all')
  } else {
    // UCI's sessions come split, with their special-day closeness: there are no events to apply the options to.
    if (args['session-gap-ms'] !== undefined || args['special-days'] !== undefined) throw new DataError('--session-gap-ms and --special-days apply to sessions from a shop\'s events: give them with --events <file>')
    const file = readPublicData(dataDir, SHOPPERS_FILE, '--events')
    if (file.verified === false) throw new DataError(`${file.path}: sha256 ${file.sha256} differs from the published one; refusing to train`)
    const rows = parseShoppers(file.text)
    let train = rows.filter((r) => r.index % 5 !== 0)
    let test = rows.filter((r) => r.index % 5 === 0)
    if (typeof args['inner-holdout'] === 'string') {
      // Experiments: evaluate on an inner holdout of the training split (every 5th training row from offset h);
      // the test split is not used at all.
      if (args.only !== 'session') throw new Error('--inner-holdout is for experiments: use it with --only session (it writes nothing)')
      const h = Number(args['inner-holdout'])
      test = train.filter((_, i) => i % 5 === h)
      train = train.filter((_, i) => i % 5 !== h)
      log(`  --inner-holdout ${h}: the "test" figures below are on ${test.length} held-out TRAINING rows`)
    }
    log(`  ${SHOPPERS_FILE}: ${rows.length} rows, sha256 verified; train ${train.length}, test ${test.length}`)
    sessionInput = sessionPackInput(
      train.map((r) => rowToAggregate(r)), train.map((r) => (r.revenue ? 1 : 0)),
      test.map((r) => rowToAggregate(r)), test.map((r) => (r.revenue ? 1 : 0)),
      {
        dataset: 'UCI Online Shoppers Purchasing Intention (id 468, CC BY 4.0)', sha256: file.sha256, rows: rows.length,
        split: 'test = data rows whose 0-based index % 5 == 0; train = the rest (each train row twice: with and without page statistics)',
        seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)`,
      },
      scale(SESSION_CONFIG, 'session'),
      'public',
    )
  }
  // The session training labels list every row twice (with and without page statistics): count each once.
  for (const warning of smallDataWarnings('session', sessionInput.trainLabels.slice(0, sessionInput.trainLabels.length / 2), sessionInput.testLabels)) log(warning)
  const session = args.only === 'lifetime' ? (undefined as unknown as PackResult) : buildPack(sessionInput)
  if (session) log(`  session: AUC ${session.test.binary.auc.toFixed(4)} (no stats ${session.testNoStats?.binary.auc.toFixed(4)}), accuracy ${session.test.binary.accuracy.toFixed(4)}, segment agreement ${session.test.segmentAgreement.toFixed(4)}, ${session.bytes} bytes, ${session.seconds.toFixed(0)} s`)

  // ---- Lifetime pack ------------------------------------------------------------------------------------
  let lifetimeInput: PackInput
  {
    let customers: Array<{ aggregate: LifetimeAggregate; label: number; test: boolean }>
    let provenance: ModelPack['provenance']
    if (typeof args['lifetime-events'] === 'string') {
      const path = args['lifetime-events']
      const loaded = loadTrainingEvents(path, typeof args['lifetime-format'] === 'string' ? args['lifetime-format'] : undefined)
      const cutoff = typeof args.cutoff === 'string' ? new Date(args.cutoff).getTime() : defaultCutoff(loaded.byShopper)
      if (!Number.isFinite(cutoff)) throw new DataError(`--cutoff ${JSON.stringify(args.cutoff)} is not a date (use YYYY-MM-DD)`)
      customers = eventCustomers(loaded.byShopper, cutoff).map((c, i) => ({ ...c, test: i % 5 === 0 }))
      if (customers.length === 0) throw new DataError(`${path}: no customer with an order before the cutoff ${new Date(cutoff).toISOString().slice(0, 10)}`)
      log(`  ${path}: ${loaded.format} format, ${loaded.rows} rows, ${customers.length} customers with an order before ${new Date(cutoff).toISOString().slice(0, 10)}${skippedNote(loaded.skipped)}`)
      provenance = { dataset: `${FORMAT_NAMES[loaded.format]} ${path} (cutoff ${new Date(cutoff).toISOString().slice(0, 10)})`, sha256: loaded.file.sha256, rows: customers.length, split: 'test = shoppers whose index % 5 == 0', seed: SEED, trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)` }
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
    }
    // One customer in five is held out: a lifetime pack needs at least one left to train on.
    if (!customers.some((c) => !c.test)) throw new DataError(`${provenance.dataset}: ${customers.length} customer${customers.length === 1 ? '' : 's'}, all held out for testing; a lifetime pack needs orders from at least 2 customers`)
    lifetimeInput = lifetimePackInput(customers, provenance, scale(LIFETIME_CONFIG, 'lifetime'), SEED + 1)
  }
  if (args.only === 'session') {
    log('  --only session: lifetime pack, report and docs not written')
    return 0
  }
  for (const warning of smallDataWarnings('lifetime', lifetimeInput.trainLabels, lifetimeInput.testLabels)) log(warning)
  const lifetime = buildPack(lifetimeInput)
  log(`  lifetime: repeat AUC ${lifetime.test.binary.auc.toFixed(4)}, segment agreement ${lifetime.test.segmentAgreement.toFixed(4)}, ${lifetime.bytes} bytes, ${lifetime.seconds.toFixed(0)} s`)
  if (args.only === 'lifetime') {
    log('  --only lifetime: packs, report and docs not written')
    return 0
  }

  mkdirSync(outDir, { recursive: true })
  const sessionText = stringifyPack(session.pack)
  const lifetimeText = stringifyPack(lifetime.pack)
  writeFileSync(join(outDir, 'session.json'), sessionText)
  writeFileSync(join(outDir, 'lifetime.json'), lifetimeText)
  const seconds = (Date.now() - started) / 1000
  mkdirSync(dirname(reportPath), { recursive: true })
  writeFileSync(reportPath, writeReport({ session, lifetime, seconds, configs: { session: sessionInput.config, lifetime: lifetimeInput.config } }))
  mkdirSync(dirname(docsPath), { recursive: true })
  writeFileSync(docsPath, segmentsMarkdown(session, lifetime))
  log(`wrote ${join(outDir, 'session.json')} (${session.bytes} B), ${join(outDir, 'lifetime.json')} (${lifetime.bytes} B), ${reportPath}, ${docsPath} in ${seconds.toFixed(0)} s`)
  const baseUrl = typeof args['pack-base-url'] === 'string' ? args['pack-base-url'] : '/models/'
  log('', 'Serve both files from your own origin and load them with this tag (the hashes are of the files as written):', '', packTag({ session: sessionText, lifetime: lifetimeText }, baseUrl), '')
  return 0
}
