import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { join, resolve } from 'node:path'
import { packKeyId } from '../../src/pack/packKeys'
import { PACK_KEY_PREFIX, signedMessage } from '../../src/pack/signedFormat'
import { CollectorError } from '../lib/CollectorError'
import { fileProblem } from '../lib/fileProblem'
import { makeFolder } from '../lib/makeFolder'
import { isRunning } from '../lib/isRunning'
import { thisMachine } from '../lib/thisMachine'
import { syncFolder } from '../lib/syncFolder'
import { removeStaleTemporaries } from '../lib/writeFileAtomic'
import { writeTemporary } from '../lib/writeTemporary'

/** Folder `keygen` writes the key pair to by default. */
export const DEFAULT_KEY_DIR = '.seglet-collector/keys'

/** File name of the private key (PKCS#8 PEM, mode 0600) in the key folder. */
export const PRIVATE_KEY_FILE = 'pack-signing.key'

/** File name of the public key (the `data-pack-key` value, one line) in the key folder. */
export const PUBLIC_KEY_FILE = 'pack-signing.pub'

/**
 * File a key generation holds in the key folder while it writes the pair (created exclusively, removed after):
 * `<pid> <host>[/<pid namespace>]` of the run that holds it.
 */
export const KEYGEN_LOCK_FILE = 'pack-signing.lock'

/** The shop's pack-signing key, ready to sign. */
export interface PackSigningKey {
  privateKey: KeyObject
  /** The public key as a page pins it: `ed25519-<base64>` (the `data-pack-key` value). */
  packKey: string
  /** First 8 bytes of the public key's SHA-256, hex: how signed manifests name it. */
  keyId: string
}

/** What {@link generatePackKeys} wrote. */
export interface GeneratedPackKeys {
  privateKeyFile: string
  publicKeyFile: string
  packKey: string
  keyId: string
}

/**
 * Makes a new Ed25519 key pair for signing model packs and writes it to `dir`: the private key
 * (`pack-signing.key`, PKCS#8 PEM, readable by its owner only: mode 0600) and the public key
 * (`pack-signing.pub`, the `data-pack-key` value). Refuses to replace an existing private key unless
 * `overwrite` (browsers pinning the old public key would refuse everything signed with a new one), and then
 * replaces the pair whole or not at all: a run that fails, or is killed while it writes, leaves the old pair. One run at a time writes to `dir`
 * (`pack-signing.lock`; a second is refused): of two at once, each writing its private key and then its public
 * key, the pair left could be one run's private key with the other's public key. A lock left by a run that was
 * killed on this machine (its process no longer runs) is taken over, and `onStaleLock` told so.
 *
 * @example
 * const { packKey } = await generatePackKeys('.seglet-collector/keys')
 * console.log(`data-pack-key="${packKey}"`)
 */
export async function generatePackKeys(
  dir = DEFAULT_KEY_DIR,
  { overwrite = false, onStaleLock }: { overwrite?: boolean; onStaleLock?: (message: string) => void } = {},
): Promise<GeneratedPackKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
  const packKey = toPackKey(publicKey)
  const privateKeyFile = join(dir, PRIVATE_KEY_FILE)
  const publicKeyFile = join(dir, PUBLIC_KEY_FILE)
  try {
    await makeFolder(dir, 0o700)
  } catch (error) {
    throw new CollectorError('collector_pack', `cannot write ${privateKeyFile}: ${fileProblem(error)}`, undefined, error)
  }
  const release = await lockKeyFolder(dir, onStaleLock)
  try {
    return await writePackKeys()
  } finally {
    await release()
  }

  async function writePackKeys(): Promise<GeneratedPackKeys> {
    // A temporary file a run killed half-way left is removed once it is old.
    await removeStaleTemporaries(dir, (name) => name === PRIVATE_KEY_FILE || name === PUBLIC_KEY_FILE)
    // Refused before anything is written. The lock is held: no other keygen makes the key meanwhile.
    if (!overwrite && (await stat(privateKeyFile).then(() => true, () => false))) {
      throw new CollectorError(
        'collector_pack',
        `${privateKeyFile} exists: pages pin its public key, and packs signed with a new key would be refused. Use --force to replace it (then update data-pack-key).`,
      )
    }
    // Both files whole on disk beside their names before either takes its name: a run that fails (a full disk) or is
    // killed while writing leaves the pair it found, never a new private key beside the old key's .pub, nor a part of one.
    const temporaries: string[] = []
    let writing = privateKeyFile
    try {
      temporaries.push(await writeTemporary(privateKeyFile, pem, 0o600))
      writing = publicKeyFile
      temporaries.push(await writeTemporary(publicKeyFile, packKey + '\n'))
      writing = privateKeyFile
      await rename(temporaries[0]!, privateKeyFile)
      writing = publicKeyFile
      await rename(temporaries[1]!, publicKeyFile)
    } catch (error) {
      // Past the private key's rename, the new key is in place: no page pins it yet (it was never printed).
      const then = writing === publicKeyFile && temporaries.length === 2 ? ' (the private key was written: run keygen again with --force once the folder is writable)' : ''
      throw new CollectorError('collector_pack', `cannot write ${writing}: ${fileProblem(error)}${then}`, undefined, error)
    } finally {
      for (const temporary of temporaries) await unlink(temporary).catch(() => undefined)
    }
    await syncFolder(dir)
    return { privateKeyFile, publicKeyFile, packKey, keyId: await packKeyId(rawPublicKey(publicKey)) }
  }
}

/** The key-folder locks runs of this process hold or are taking now (absolute path → how many runs). */
const heldKeyLocks = new Map<string, number>()

/** Counts a run of this process in (`+1`) or out (`-1`) of the lock `key`. */
function claimKeyLock(key: string, change: 1 | -1): void {
  const runs = (heldKeyLocks.get(key) ?? 0) + change
  if (runs > 0) heldKeyLocks.set(key, runs)
  else heldKeyLocks.delete(key)
}

/**
 * Takes the key folder's lock by creating its lock file exclusively, and returns what releases it. Throws a
 * `CollectorError` when another run holds it: one of this machine whose process still runs, one of another machine
 * (a shared folder: whether it runs cannot be told from here), or a lock that names no machine (written by an
 * earlier version). A lock of this machine whose process is gone (or is this process's id, reused after a restart
 * in a container, holding no such lock) is stale: it is taken over, and `onStaleLock` told so.
 */
async function lockKeyFolder(dir: string, onStaleLock?: (message: string) => void): Promise<() => Promise<void>> {
  const lockFile = join(dir, KEYGEN_LOCK_FILE)
  const key = resolve(lockFile)
  const machine = thisMachine()
  for (let attempt = 0; ; attempt++) {
    // Counted before it is written: another run of this process that reads it meanwhile finds it held. Each run
    // counts itself out only: of two whose writes land in either order, the one refused never uncounts the other.
    claimKeyLock(key, 1)
    try {
      await writeFile(lockFile, `${process.pid} ${machine}\n`, { flag: 'wx' })
      return async () => {
        // Removed before it is counted out: a run that reads it meanwhile finds it held, never stale.
        await unlink(lockFile).catch(() => undefined)
        claimKeyLock(key, -1)
      }
    } catch (error) {
      claimKeyLock(key, -1)
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new CollectorError('collector_pack', `cannot write ${lockFile}: ${fileProblem(error)}`, undefined, error)
    }
    const held = await readFile(lockFile, 'utf8').catch(() => undefined)
    if (held === undefined && attempt < 2) continue // released meanwhile: take it
    const [pid, host] = (held ?? '').trim().split(' ')
    const holder = /^[0-9]+$/.test(pid ?? '') ? Number(pid) : 0
    const gone = host === machine && holder > 0 && (holder === process.pid ? !heldKeyLocks.has(key) : !isRunning(holder))
    if (attempt > 1 || !gone) {
      throw new CollectorError(
        'collector_pack',
        `another keygen is writing the keys in ${dir} (it holds ${lockFile}): run again once it is done, or remove that file if no keygen is running (one was killed)`,
      )
    }
    // Moved aside under a name of this run's own, not deleted: of two runs that found it stale at once, one moves it
    // and the other finds it gone; and a run that moved a lock another had just taken (not the stale one) puts it back.
    const aside = `${lockFile}.${process.pid}-${randomBytes(4).toString('hex')}`
    try {
      await rename(lockFile, aside)
    } catch {
      continue
    }
    if ((await readFile(aside, 'utf8').catch(() => undefined)) === held) {
      onStaleLock?.(`took over ${lockFile}, left by a keygen that no longer runs (process ${holder})`)
    } else {
      await link(aside, lockFile).catch(() => undefined)
    }
    await unlink(aside).catch(() => undefined)
  }
}

/**
 * Reads the private key written by {@link generatePackKeys}. Throws a `CollectorError` (`collector_pack`)
 * when the file is missing, not an Ed25519 private key, or readable by others than its owner.
 *
 * @example
 * const key = await readPackSigningKey('.seglet-collector/keys/pack-signing.key')
 */
export async function readPackSigningKey(file = join(DEFAULT_KEY_DIR, PRIVATE_KEY_FILE)): Promise<PackSigningKey> {
  let pem: string
  try {
    const info = await stat(file)
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new CollectorError('collector_pack', `${file} is readable by other users (mode ${(info.mode & 0o777).toString(8)}); run: chmod 600 ${file}`)
    }
    pem = await readFile(file, 'utf8')
  } catch (error) {
    if (error instanceof CollectorError) throw error
    throw new CollectorError('collector_pack', `cannot read the signing key ${file}: ${fileProblem(error)} (make one with: npm run collector -- keygen)`, undefined, error)
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(pem)
  } catch (error) {
    throw new CollectorError('collector_pack', `${file} is not a private key in PEM: ${(error as Error).message}`, undefined, error)
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CollectorError('collector_pack', `${file} is a ${privateKey.asymmetricKeyType} key; pack signing needs Ed25519 (npm run collector -- keygen)`)
  }
  const publicKey = createPublicKey(privateKey)
  return { privateKey, packKey: toPackKey(publicKey), keyId: await packKeyId(rawPublicKey(publicKey)) }
}

/**
 * The Ed25519 signature (base64) of `context` + `bytes`: what the browser checks with `verifySignature()`.
 *
 * @example
 * signBytes(key, PACK_CONTEXT, packBytes)
 */
export function signBytes(key: PackSigningKey, context: string, bytes: Uint8Array): string {
  return sign(null, signedMessage(context, bytes), key.privateKey).toString('base64')
}

function rawPublicKey(publicKey: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url'))
}

function toPackKey(publicKey: KeyObject): string {
  return PACK_KEY_PREFIX + Buffer.from(rawPublicKey(publicKey)).toString('base64')
}
