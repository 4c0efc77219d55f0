import { link, open, readFile, rename, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { basename, join } from 'node:path'
import { isSegletError } from '../../src/errors'
import { removeStaleTemporaries, writeFileAtomic } from '../lib/writeFileAtomic'
import { checkPack } from '../../src/pack/checkPack'
import { decodePackWeights } from '../../src/pack/decodePackWeights'
import type { ModelPack } from '../../src/pack/types'
import { EXPECTED_SPECS } from '../../src/pack/expectedSpecs'
import type { PackManifest, PackManifestEntry } from '../../src/pack/manifest'
import { MAX_PACK_BYTES } from '../../src/model/loadPackFromUrl'
import { DEFAULT_PACK_MANIFEST_URL, MANIFEST_CONTEXT, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, PACK_CONTEXT, SIGNATURE_LINE, SIGNATURE_LINE_PREFIX } from '../../src/pack/signedFormat'
import { CollectorError } from '../lib/CollectorError'
import { thisMachine } from '../lib/thisMachine'
import { PACK_ID_PATTERN } from '../../src/reports/lib/checkContext'
import { packLabelsOf } from '../../src/reports/recordDecision'
import { MAX_LEAVES, MAX_PACK_ID_LENGTH } from '../../src/reports/schema'
import type { PackSigningKey } from './signingKey'
import { readPackSigningKey, signBytes } from './signingKey'
import { isRunning } from '../lib/isRunning'
import { fileProblem } from '../lib/fileProblem'
import { makeFolder } from '../lib/makeFolder'
import { SHIPPED_PACKS } from '../../src/model/shippedPacks'
import { packIntegrity } from '../../training/packTag'

type PackKind = ModelPack['kind']

/** File name of the manifest in the published folder: the last part of `DEFAULT_PACK_MANIFEST_URL`. */
export const MANIFEST_FILE = basename(DEFAULT_PACK_MANIFEST_URL)

/** Days a manifest stays valid by default; publish again before it runs out (a signing retrain renews it). */
export const DEFAULT_MANIFEST_DAYS = 90

/** Options of {@link publishPacks}. */
export interface PublishPacksOptions {
  /** The folder the shop serves at the manifest's location (`/seglet/` by default): manifest and pack files go there. */
  outDir: string
  /** The packs to publish, by kind: a pack file's path, or a pack object. A kind left out keeps its last published pack. */
  packs: Partial<Record<PackKind, string | ModelPack>>
  /**
   * The signing key: a private key file written by `keygen`, or a key read with `readPackSigningKey()`.
   * @default '.seglet-collector/keys/pack-signing.key'
   */
  key?: string | PackSigningKey
  /**
   * Days until browsers refuse the manifest (they keep their last good packs then). Left out, a publish keeps
   * the lifetime of the last manifest in `outDir` (its `expires` minus its `published`), so the days an operator
   * chose once (`publish-pack --expires-days`) hold for every later publish and renewal, a retrain's too.
   * @default the last manifest's lifetime, else DEFAULT_MANIFEST_DAYS (90)
   */
  expiresInDays?: number
  /**
   * The key differs on purpose from the one that signed the last manifest in `outDir`: a key rotation (pages pin
   * both keys), or a lost or leaked key replaced. Without it, such a publish is refused, since pages that pin only
   * the last manifest's key would refuse the new manifest and everything after it.
   * @default false
   */
  rotateKey?: boolean
  /**
   * The least version the new manifest takes (it takes one more than the last one in `outDir` when that is
   * higher): after the folder with the last manifest was lost, a version above any that browsers stored, or
   * they refuse the manifest as a rollback (`pack_rollback`) and keep their packs.
   * @default 1
   */
  minVersion?: number
  /**
   * The time of publication.
   * @default new Date()
   */
  now?: Date
}

/** What {@link publishPacks} wrote. */
export interface PublishedPacks {
  /** The new manifest's version: one more than the last published one. */
  version: number
  /** Path of the signed manifest. */
  manifestFile: string
  /** The manifest as signed. */
  manifest: PackManifest
  /** Path of each pack file the manifest lists. */
  packFiles: Partial<Record<PackKind, string>>
  /** Id of the key that signed it. */
  keyId: string
}

/**
 * Signs model packs and publishes them for browsers that pin the shop's key (`data-pack-key`): each pack is
 * checked (pack format, the SDK's feature spec), written as `<kind>-v<version>.json`, hashed and signed;
 * then the manifest listing them is signed and written (atomically) as `packs.manifest`, with a version
 * one more than the last one in `outDir`. Pack files of earlier versions are left in place for browsers
 * that read the previous manifest a moment ago. A kind not given keeps its last published pack (checked
 * again against this SDK's features, and signed again, so a rotated key signs everything). Throws a
 * `CollectorError` (`collector_pack`).
 *
 * Rolling back is publishing the earlier pack again: it gets a new, higher version.
 *
 * @example
 * const { version } = await publishPacks({ outDir: '.seglet-collector/public', packs: { session: candidate } })
 */
export async function publishPacks(options: PublishPacksOptions): Promise<PublishedPacks> {
  const { outDir, packs, expiresInDays, now = new Date() } = options
  if (expiresInDays !== undefined && !(Number.isFinite(expiresInDays) && expiresInDays > 0)) {
    throw new CollectorError('collector_pack', `expiresInDays must be a positive number of days, not ${String(expiresInDays)}`)
  }
  const { minVersion = 1 } = options
  if (!(Number.isSafeInteger(minVersion) && minVersion >= 1)) {
    throw new CollectorError('collector_pack', `minVersion must be a whole number from 1, not ${String(minVersion)}`)
  }
  const key = typeof options.key === 'object' ? options.key : await readPackSigningKey(options.key)
  // One publish at a time (a scheduled retrain and a publish-pack by hand): from reading the last version to
  // writing the manifest, or both would take the same version and could overwrite each other's files.
  return withPublishLock(outDir, () => publishLocked(outDir, key, packs, expiresInDays, now, options.rotateKey === true, minVersion))
}

/**
 * Days of validity left under which {@link renewManifest} publishes the last packs again; a third of the
 * manifest's lifetime when that is shorter, but no less than a day and a half.
 */
export const RENEW_MANIFEST_DAYS = 30

/** Time left under which {@link renewManifest} renews a manifest whatever its lifetime, in ms: a day and a half. */
const RENEW_MIN_MS = 36 * 3_600_000

/**
 * Publishes the last published packs again (a new version, a new expiry) when the manifest in `outDir` expires
 * within {@link RENEW_MANIFEST_DAYS} days, or within a third of its lifetime when that is shorter (but at least a day
 * and a half): what a retrain that publishes no new pack does, so browsers on their first visit still take the
 * shop's packs. Resolves to `undefined` when nothing needed renewing.
 *
 * @example
 * const renewed = await renewManifest({ outDir: '.seglet-collector/public', key: 'keys/pack-signing.key' })
 */
export async function renewManifest(options: Omit<PublishPacksOptions, 'packs'>): Promise<PublishedPacks | undefined> {
  const now = options.now ?? new Date()
  const last = await readPublishedManifest(options.outDir)
  if (last?.expires === undefined) return undefined
  // Scaled to the lifetime the renewal gives: with a fixed 30 days, a manifest of 30 days or less was renewed
  // by every daily retrain, and every browser fetched its packs again each day.
  // At least a day and a half, though: a daily retrain (run a little earlier or later each day) then renews a
  // manifest of a few days a day before its end, not once it has expired.
  if (Date.parse(last.expires) - now.getTime() > renewWithinMs(last, options.expiresInDays)) return undefined
  return publishPacks({ ...options, now, packs: {} })
}

/**
 * Time left (ms) under which `manifest` is due to be renewed: {@link RENEW_MANIFEST_DAYS} days, or a third of the
 * lifetime a renewal gives it (`expiresInDays`, else its own) when that is shorter, but at least a day and a half.
 * What {@link renewManifest} renews by, and what the running collector warns by.
 *
 * @example
 * renewWithinMs(manifest) // 30 days for a manifest of 90 days, 2 days 8 hours for one of 7
 */
export function renewWithinMs(manifest: PackManifest, expiresInDays?: number): number {
  return Math.min(RENEW_MANIFEST_DAYS * 86_400_000, Math.max(publishedLifetimeMs(expiresInDays, manifest) / 3, RENEW_MIN_MS))
}

/** How long a publish waits for another to finish before it gives up. */
export const PUBLISH_LOCK_WAIT_MS = 30_000
/** How often a publish touches its lock, to show that it still runs. */
export const PUBLISH_LOCK_HEARTBEAT_MS = 2_000
/** A lock not touched for this long is left by a publish that died, whichever host it ran on: it is taken over. */
export const PUBLISH_LOCK_STALE_MS = 10_000
const LOCK_FILE = 'packs.lock'

/** Where the process ids of this process are seen (see {@link thisMachine}). */
const MACHINE = thisMachine()

/** The locks this process holds now (their contents): a publish of this process waits for them, whatever their age. */
const heldLocks = new Set<string>()

/**
 * Runs `work` holding `<outDir>/packs.lock`, which holds `<pid> <host>[/<pid namespace>] <random>` and is touched every
 * {@link PUBLISH_LOCK_HEARTBEAT_MS} while held. A lock left by a publish that was killed (or a host cut off)
 * is taken over: at once when its process is gone from this machine, else once it was not touched for
 * {@link PUBLISH_LOCK_STALE_MS} (a lock of another host, or of an earlier version that wrote no host). It is
 * taken over by the one publisher that creates a marker named after that very lock (`packs.lock.<inode>-<mtime>.takeover`,
 * removed again once done), which checks that the lock is still the one it judged abandoned before it moves it
 * aside; so two waiting publishers never both take it, nor one a lock another has just taken.
 */
async function withPublishLock<T>(outDir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(outDir, LOCK_FILE)
  // Made by this publish: here, or again while it waited for the lock (see lockWaiting).
  let made = !(await stat(outDir).then(() => true, () => false))
  await makePublishFolder(outDir)
  const nonce = randomBytes(4).toString('hex')
  const mine = `${process.pid} ${MACHINE} ${nonce}\n`
  const giveUpAt = Date.now() + PUBLISH_LOCK_WAIT_MS
  // Ours from before it is written: another publish of this process never takes it for one of an earlier life.
  heldLocks.add(mine)
  try {
    if (await lockWaiting(outDir, lock, mine, giveUpAt)) made = true
  } catch (error) {
    heldLocks.delete(mine)
    throw error
  }
  const heartbeat = setInterval(() => {
    const at = new Date()
    utimes(lock, at, at).catch(() => undefined)
  }, PUBLISH_LOCK_HEARTBEAT_MS)
  heartbeat.unref()
  let refused = false
  try {
    return await work()
  } catch (error) {
    refused = true
    throw error
  } finally {
    clearInterval(heartbeat)
    heldLocks.delete(mine)
    // Only this publish's own lock: never one another took over meanwhile (this process stalled too long).
    if ((await readFile(lock, 'utf8').catch(() => undefined)) === mine) await unlink(lock).catch(() => undefined)
    // A publish refused (a pack that is not one, a version below the last) leaves no folder it made: removed only
    // while empty, so never with another publish's lock or files in it (a publish waiting for it makes it again).
    if (refused && made) await rmdir(outDir).catch(() => undefined)
  }
}

/** Makes the folder to publish into, or says in one line why it cannot be. */
async function makePublishFolder(outDir: string): Promise<void> {
  try {
    await makeFolder(outDir)
  } catch (error) {
    // EEXIST: a file where the folder should be; ENOTDIR: a file where a folder above it should be.
    const code = (error as NodeJS.ErrnoException).code
    const problem = code === 'EEXIST' ? 'a file, not a folder; give the folder to publish into' : code === 'ENOTDIR' ? 'under a file, not a folder; give the folder to publish into' : fileProblem(error)
    throw new CollectorError('collector_pack', `cannot write to ${outDir}: ${problem}`, undefined, error)
  }
}

/** Takes the lock, waiting for the publish that holds it; `true` when it made the folder again meanwhile. */
async function lockWaiting(outDir: string, lock: string, mine: string, giveUpAt: number): Promise<boolean> {
  // The lock as last seen, and when this process first saw it so (by its own clock: another host's may differ).
  let seen: (LockState & { since: number }) | undefined
  // The folder was there and took no lock file: a first time may be another publish that made it again in between.
  let noFileInFolder = false
  let made = false
  for (;;) {
    try {
      await writeFile(lock, mine, { flag: 'wx' })
      return made
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // The folder removed meanwhile by the refused publish that made it: made again. One that is there and takes no
        // new file (a folder under /proc) is that error, not a folder to make again for ever.
        if (!(await stat(outDir).then((info) => info.isDirectory(), () => false))) {
          await makePublishFolder(outDir)
          made = true
          continue
        }
        if (!noFileInFolder) {
          noFileInFolder = true
          continue
        }
      }
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CollectorError('collector_pack', `cannot write to ${outDir}: ${fileProblem(error)}`, undefined, error)
      }
    }
    const now = await readLockState(lock)
    if (now === undefined) continue
    if (!seen || !sameLock(seen, now)) seen = { ...now, since: Date.now() }
    // Another publish taking it over right now: waited for like a lock held.
    if (isAbandoned(now, seen.since) && (await takeOver(lock, now, mine))) continue
    if (Date.now() >= giveUpAt) {
      throw new CollectorError('collector_pack', `another publish holds ${lock} (${now.text.trim() || 'no holder written'}) and still runs; publish again once it is done`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

interface LockState {
  text: string
  mtimeMs: number
  ino: number
}

/** The lock's text, time and inode, all of one file (through one handle: never a new lock's text with an old one's time). */
async function readLockState(file: string): Promise<LockState | undefined> {
  let handle
  try {
    handle = await open(file, 'r')
    const info = await handle.stat()
    return { text: await handle.readFile('utf8'), mtimeMs: info.mtimeMs, ino: info.ino }
  } catch {
    return undefined
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

function sameLock(a: LockState, b: LockState): boolean {
  return a.text === b.text && a.mtimeMs === b.mtimeMs && a.ino === b.ino
}

/** Whether the lock's publish is gone: its process no longer runs on this machine, or it was not touched for long. */
function isAbandoned(lock: LockState, seenSince: number): boolean {
  if (heldLocks.has(lock.text)) return false
  const [pid, host] = lock.text.trim().split(' ')
  const holder = Number(pid)
  // A lock of this machine, with a process id: its process is gone, or is this one (which holds no such lock:
  // it was this process id's earlier life, before a restart).
  if (host === MACHINE && Number.isSafeInteger(holder) && holder > 0 && (holder === process.pid || !isRunning(holder))) return true
  // Untouched that long by this process's clock too: a lock stamped ahead of it is not taken over early.
  return Date.now() - Math.min(lock.mtimeMs, seenSince) >= PUBLISH_LOCK_STALE_MS
}

/**
 * Removes the abandoned lock `lock` (as read a moment ago), unless another publish takes it over, or has already.
 * Returns whether to try for the lock again at once: `false` while another publish is taking it over.
 */
async function takeOver(file: string, lock: LockState, mine: string): Promise<boolean> {
  // One publisher per abandoned lock: the one that creates its marker.
  const marker = `${file}.${lock.ino}-${Math.floor(lock.mtimeMs)}.takeover`
  try {
    await writeFile(marker, mine, { flag: 'wx' })
  } catch {
    // A marker left by a publish killed while it took this lock over is cleared, as an abandoned lock is.
    return clearAbandoned(marker)
  }
  try {
    // Still that lock: not one taken since (whoever took it over before removed it, and then the marker).
    const now = await readLockState(file)
    if (!now || !sameLock(now, lock)) return true
    const aside = `${marker}.${randomBytes(4).toString('hex')}`
    await rename(file, aside)
    // Released and taken again meanwhile by a holder judged gone that was not: its lock is put back.
    const moved = await readLockState(aside)
    if (moved && !sameLock(moved, lock)) await link(aside, file).catch(() => undefined)
    await unlink(aside).catch(() => undefined)
  } catch {
    // Gone meanwhile: the loop tries again.
  } finally {
    await unlink(marker).catch(() => undefined)
  }
  return true
}

/**
 * Removes a takeover marker whose publish is gone (its process no longer runs on this machine, or it is older
 * than a takeover ever takes), moved aside first and put back if it turns out to be another's since; `true` when
 * it was removed.
 */
async function clearAbandoned(marker: string): Promise<boolean> {
  const left = await readLockState(marker)
  if (!left || !isAbandoned(left, Date.now())) return false
  const aside = `${marker}.${randomBytes(4).toString('hex')}`
  try {
    await rename(marker, aside)
  } catch {
    return false
  }
  const moved = await readLockState(aside)
  if (moved && !sameLock(moved, left)) await link(aside, marker).catch(() => undefined)
  await unlink(aside).catch(() => undefined)
  return true
}

async function publishLocked(outDir: string, key: PackSigningKey, packs: PublishPacksOptions['packs'], expiresInDays: number | undefined, now: Date, rotateKey: boolean, minVersion: number): Promise<PublishedPacks> {
  const last = await readPublished(outDir)
  const previous = last?.manifest
  if (last?.keyId !== undefined && last.keyId !== key.keyId && !rotateKey) {
    throw new CollectorError(
      'collector_pack',
      `the last manifest in ${outDir} (version ${last.manifest.version}) was signed with key ${last.keyId}, this publish signs with key ${key.keyId}: pages that pin only key ${last.keyId} would refuse it and every later one. ` +
        `Sign with the key of the last manifest, or, rotating the key (once pages pin both keys), publish once with publish-pack --rotate-key and then sign every publish and retrain with the new key`,
    )
  }
  const lifetimeMs = publishedLifetimeMs(expiresInDays, previous)
  const version = Math.max((previous?.version ?? 0) + 1, minVersion)
  if (!Number.isSafeInteger(version)) throw new CollectorError('collector_pack', `the last manifest in ${outDir} has the highest version there is (${String(previous?.version)}); no later one can be published`)
  const entries: PackManifest['packs'] = {}
  const files: Array<[string, Uint8Array]> = []
  const packFiles: PublishedPacks['packFiles'] = {}
  // The id of each pack pages report under: a kind the manifest does not list is the shipped pack's.
  const ids: Record<PackKind, string> = { session: packLabelsOf(SHIPPED_PACKS.session as ModelPack).id, lifetime: packLabelsOf(SHIPPED_PACKS.lifetime as ModelPack).id }
  for (const kind of Object.keys(EXPECTED_SPECS) as PackKind[]) {
    const given = packs[kind]
    let bytes: Uint8Array
    let name: string
    if (given !== undefined) {
      ;({ bytes, id: ids[kind] } = await packBytes(kind, given))
      name = `${kind}-v${version}.json`
      files.push([name, bytes])
    } else if (previous?.packs[kind]) {
      name = previous.packs[kind].url
      ;({ bytes, id: ids[kind] } = await readKept(outDir, kind, previous.packs[kind]))
    } else continue
    entries[kind] = {
      url: name,
      integrity: packIntegrity(bytes),
      bytes: bytes.byteLength,
      signature: signBytes(key, PACK_CONTEXT, bytes),
    }
    packFiles[kind] = join(outDir, name)
  }
  if (Object.keys(entries).length === 0) throw new CollectorError('collector_pack', 'no pack to publish: give a session or a lifetime pack')
  // A report carries both packs' ids in one field: each within the limit, together maybe not. For a kind the
  // manifest does not list, a page runs its hash-pinned pack of that kind, or the shipped one: only the shipped one
  // is known here, so a shop whose pages pin their own lists it, and the check sees the pair they report under.
  const packId = `${ids.session}+${ids.lifetime}`
  if (packId.length > MAX_PACK_ID_LENGTH) {
    const shipped = (Object.keys(ids) as PackKind[]).find((kind) => !entries[kind])
    const assumed = shipped ? `, with the shipped ${shipped} pack pages run when the manifest lists none` : ''
    const listIt = shipped ? `, or, when pages hash-pin a ${shipped} pack of their own, list it in the manifest too (publish-pack --${shipped} FILE) so that its id is the one checked` : ''
    throw new CollectorError(
      'collector_pack',
      `the packs' ids together, ${JSON.stringify(packId)} (${packId.length} characters${assumed}), cannot be carried by private reports: at most ${MAX_PACK_ID_LENGTH} characters; give packs with shorter versions${listIt}`,
    )
  }
  const manifest: PackManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_FORMAT_VERSION,
    version,
    published: now.toISOString(),
    expires: new Date(now.getTime() + lifetimeMs).toISOString(),
    packs: entries,
  }
  const payload = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n')
  const signed = Buffer.concat([Buffer.from(`${SIGNATURE_LINE_PREFIX}${key.keyId} ${signBytes(key, MANIFEST_CONTEXT, payload)}\n`), payload])
  const manifestFile = join(outDir, MANIFEST_FILE)
  // The file being written when a write fails, named once in its one line (the folder while it is being made).
  let writing: string | undefined
  try {
    await makeFolder(outDir)
    // Packs first, the manifest last: a browser never reads a manifest whose packs are not there yet. Each pack
    // on disk, whole, before the manifest: after a power cut the signed manifest never names an empty pack.
    for (const [name, bytes] of files) await writeFileAtomic((writing = join(outDir, name)), bytes)
    await writeFileAtomic((writing = manifestFile), signed)
  } catch (error) {
    throw new CollectorError('collector_pack', `cannot write ${writing ?? `to ${outDir}`}: ${fileProblem(error)}`, undefined, error)
  }
  // What a publish killed while it wrote its files left beside them.
  await removeStaleTemporaries(outDir, (name) => name === MANIFEST_FILE || /^(?:session|lifetime)-v[1-9][0-9]*\.json$/.test(name))
  return { version, manifestFile, manifest, packFiles, keyId: key.keyId }
}

/** How long a publish after `previous` makes the manifest valid for (ms): the days given, else as long as `previous` was. */
function publishedLifetimeMs(expiresInDays: number | undefined, previous: PackManifest | undefined): number {
  return expiresInDays !== undefined ? expiresInDays * 86_400_000 : (manifestLifetimeMs(previous) ?? DEFAULT_MANIFEST_DAYS * 86_400_000)
}

/** How long `manifest` was valid for when published (`expires` minus `published`, in ms), or `undefined` when it does not say. */
function manifestLifetimeMs(manifest: PackManifest | undefined): number | undefined {
  if (manifest?.expires === undefined) return undefined
  const lifetime = Date.parse(manifest.expires) - Date.parse(manifest.published)
  return Number.isFinite(lifetime) && lifetime > 0 ? lifetime : undefined
}

/**
 * The manifest last published in `outDir` (its JSON after the signature line), or `undefined` when there is
 * none. A manifest that is there but unreadable throws: starting again from version 1 would look like a
 * rollback to every browser.
 *
 * @example
 * (await readPublishedManifest('.seglet-collector/public'))?.version // 7
 */
export async function readPublishedManifest(outDir: string): Promise<PackManifest | undefined> {
  return (await readPublished(outDir))?.manifest
}

/** The last manifest in `outDir` and the id of the key that signed it (`undefined` when its signature line is not readable). */
async function readPublished(outDir: string): Promise<{ manifest: PackManifest; keyId: string | undefined } | undefined> {
  const file = join(outDir, MANIFEST_FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CollectorError('collector_pack', `cannot read ${file}: ${fileProblem(error)}`, undefined, error)
  }
  try {
    const manifest = JSON.parse(text.slice(text.indexOf('\n') + 1)) as PackManifest
    if (manifest.format !== MANIFEST_FORMAT || !Number.isSafeInteger(manifest.version) || manifest.version < 1) throw new Error('not a Seglet pack manifest')
    return { manifest, keyId: SIGNATURE_LINE.exec(text.slice(0, text.indexOf('\n')))?.[1] }
  } catch (error) {
    throw new CollectorError('collector_pack', `${file} is not a readable pack manifest (${(error as Error).message}); move it away only if no browser ever read it, or move it away and publish again with publish-pack --min-version above the last version published (browsers refuse a lower one)`, undefined, error)
  }
}

async function packBytes(kind: PackKind, given: string | ModelPack): Promise<{ bytes: Uint8Array; id: string }> {
  let bytes: Uint8Array
  let value: unknown = given
  if (typeof given === 'string') {
    try {
      bytes = await readFile(given)
    } catch (error) {
      throw new CollectorError('collector_pack', `cannot read the ${kind} pack ${given}: ${fileProblem(error)}`, undefined, error)
    }
    // Read as browsers read a signed pack: a byte-order mark is kept (and JSON refuses it), not skipped, so a
    // file an editor saved with one is refused here rather than signed and refused by every browser.
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      throw new CollectorError('collector_pack', `the ${kind} pack ${given} starts with a byte-order mark, which browsers refuse: save it as UTF-8 without one`)
    }
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes))
    } catch (error) {
      // One line: JSON.parse quotes the file's start, line breaks and all (a Markdown file given by mistake).
      const why = error instanceof TypeError ? 'it is not UTF-8 text' : (error as Error).message.replace(/\s+/g, ' ')
      throw new CollectorError('collector_pack', `the ${kind} pack ${given} is not JSON (${why}); give a pack file such as src/models/${kind}.json`, undefined, error)
    }
  } else bytes = new TextEncoder().encode(JSON.stringify(given))
  // A pack of the other kind given in this one's place (--session lifetime.json): say so and where it goes, rather
  // than the feature check's list of every feature the two kinds do not share.
  const other = kind === 'session' ? 'lifetime' : 'session'
  if (value !== null && typeof value === 'object' && (value as Partial<ModelPack>).kind === other) {
    const { version } = value as Partial<ModelPack>
    const name = typeof given === 'string' ? ` ${given}` : ''
    throw new CollectorError('collector_pack', `the ${kind} pack${name} is a ${other} pack${typeof version === 'string' && version.length <= 64 ? ` (${other}@${version})` : ''}: give it with --${other}`)
  }
  let pack: ModelPack
  try {
    // Its weights too: a pack whose weights decode to NaN or infinite values is refused by every browser.
    decodePackWeights((pack = checkPack(value, EXPECTED_SPECS[kind])))
  } catch (error) {
    if (!isSegletError(error)) throw error
    throw new CollectorError('collector_pack', `the ${kind} pack would be refused by browsers (${error.code}): ${error.message}`, undefined, error)
  }
  const id = reportableId(pack, `the ${kind} pack`, '')
  if (bytes.byteLength > MAX_PACK_BYTES) {
    throw new CollectorError('collector_pack', `the ${kind} pack is ${bytes.byteLength} bytes, over the ${MAX_PACK_BYTES} bytes browsers accept`)
  }
  return { bytes, id }
}

/**
 * The id reports carry for `pack`, or a `collector_pack` error naming `what` (and `then`, what to do) when its
 * decisions could not be reported: browsers decide with such a pack, but every private report of a decision it
 * made fails (report_out_of_range).
 */
function reportableId(pack: ModelPack, what: string, then: string): string {
  const { id, labels } = packLabelsOf(pack)
  if (labels.length > MAX_LEAVES) {
    throw new CollectorError('collector_pack', `${what} has ${labels.length} segment labels: private reports carry at most ${MAX_LEAVES}${then}`)
  }
  if (!PACK_ID_PATTERN.test(id) || id.length > MAX_PACK_ID_LENGTH) {
    throw new CollectorError('collector_pack', `${what}'s id ${JSON.stringify(id)} cannot be carried by private reports: at most ${MAX_PACK_ID_LENGTH} characters of letters, digits and ._@+-${then}`)
  }
  return id
}

async function readKept(outDir: string, kind: PackKind, entry: PackManifestEntry): Promise<{ bytes: Uint8Array; id: string }> {
  const file = join(outDir, basename(entry.url))
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw new CollectorError('collector_pack', `the last published ${kind} pack ${file} cannot be read (${fileProblem(error)}); give a ${kind} pack`, undefined, error)
  }
  if (packIntegrity(bytes) !== entry.integrity) {
    throw new CollectorError('collector_pack', `the last published ${kind} pack ${file} was changed since it was published; give a ${kind} pack`)
  }
  // Checked again as browsers check it: one published before an SDK upgrade may no longer match its features,
  // and browsers refuse a whole manifest for one pack they refuse.
  let pack: ModelPack
  try {
    decodePackWeights((pack = checkPack(JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)), EXPECTED_SPECS[kind])))
  } catch (error) {
    // The check's sentence without its full stop: the message goes on after it.
    const why = (isSegletError(error) ? `${error.code}): ${error.message}` : `pack_invalid): ${(error as Error).message}`).replace(/\.$/, '')
    throw new CollectorError('collector_pack', `the last published ${kind} pack ${file} would be refused by browsers (${why}; give a ${kind} pack (the shipped one is src/models/${kind}.json)`, undefined, error)
  }
  // One published before publish-pack checked this: kept, every report of its decisions would go on failing.
  return { bytes, id: reportableId(pack, `the last published ${kind} pack ${file}`, `; give a ${kind} pack (the shipped one is src/models/${kind}.json)`) }
}
