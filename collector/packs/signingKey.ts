import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { join } from 'node:path'
import { packKeyId } from '../../src/pack/packKeys'
import { PACK_KEY_PREFIX, signedMessage } from '../../src/pack/signedFormat'
import { CollectorError } from '../lib/CollectorError'
import { removeStaleTemporaries, writeFileAtomic } from '../lib/writeFileAtomic'

/** Folder `keygen` writes the key pair to by default. */
export const DEFAULT_KEY_DIR = '.seglet-collector/keys'

/** File name of the private key (PKCS#8 PEM, mode 0600) in the key folder. */
export const PRIVATE_KEY_FILE = 'pack-signing.key'

/** File name of the public key (the `data-pack-key` value, one line) in the key folder. */
export const PUBLIC_KEY_FILE = 'pack-signing.pub'

/** File a key generation holds in the key folder while it writes the pair (created exclusively, removed after). */
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
 * replaces it whole or not at all: a run that fails leaves the old key. One run at a time writes to `dir`
 * (`pack-signing.lock`; a second is refused): of two at once, each writing its private key and then its public
 * key, the pair left could be one run's private key with the other's public key.
 *
 * @example
 * const { packKey } = await generatePackKeys('.seglet-collector/keys')
 * console.log(`data-pack-key="${packKey}"`)
 */
export async function generatePackKeys(dir = DEFAULT_KEY_DIR, { overwrite = false } = {}): Promise<GeneratedPackKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
  const packKey = toPackKey(publicKey)
  const privateKeyFile = join(dir, PRIVATE_KEY_FILE)
  const publicKeyFile = join(dir, PUBLIC_KEY_FILE)
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw new CollectorError('collector_pack', `cannot write ${privateKeyFile}: ${(error as Error).message}`, undefined, error)
  }
  const release = await lockKeyFolder(dir)
  try {
    return await writePackKeys()
  } finally {
    await release()
  }

  async function writePackKeys(): Promise<GeneratedPackKeys> {
    try {
      if (overwrite) {
        // Beside the old key, then renamed over it: a run killed half-way or a full disk leaves the old key whole,
        // not a truncated file and no key at all. A temporary file such a run left is removed once it is old.
        await removeStaleTemporaries(dir, (name) => name === PRIVATE_KEY_FILE)
        await writeFileAtomic(privateKeyFile, pem, { mode: 0o600 })
      } else {
        await writeFile(privateKeyFile, pem, { mode: 0o600, flag: 'wx' })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new CollectorError(
          'collector_pack',
          `${privateKeyFile} exists: pages pin its public key, and packs signed with a new key would be refused. Use --force to replace it (then update data-pack-key).`,
        )
      }
      throw new CollectorError('collector_pack', `cannot write ${privateKeyFile}: ${(error as Error).message}`, undefined, error)
    }
    try {
      await writeFile(publicKeyFile, packKey + '\n')
    } catch (error) {
      // No page pins the new key yet (it was never printed): replacing it is safe.
      throw new CollectorError('collector_pack', `cannot write ${publicKeyFile}: ${(error as Error).message} (the private key was written: run keygen again with --force once the folder is writable)`, undefined, error)
    }
    return { privateKeyFile, publicKeyFile, packKey, keyId: await packKeyId(rawPublicKey(publicKey)) }
  }
}

/**
 * Takes the key folder's lock by creating its lock file exclusively, and returns what releases it. Throws a
 * `CollectorError` when another run holds it.
 */
async function lockKeyFolder(dir: string): Promise<() => Promise<void>> {
  const lockFile = join(dir, KEYGEN_LOCK_FILE)
  try {
    await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new CollectorError('collector_pack', `cannot write ${lockFile}: ${(error as Error).message}`, undefined, error)
    throw new CollectorError(
      'collector_pack',
      `another keygen is writing the keys in ${dir} (it holds ${lockFile}): run again once it is done, or remove that file if no keygen is running (one was killed)`,
    )
  }
  return () => unlink(lockFile).catch(() => undefined)
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
    throw new CollectorError('collector_pack', `cannot read the signing key ${file}: ${(error as Error).message} (make one with: npm run collector -- keygen)`, undefined, error)
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
