import { isAbsolute, join, relative, sep } from 'node:path'
import type { PackManifest } from '../../src/pack/manifest'
import { MANIFEST_FILE, readPublishedManifest, renewWithinMs } from './publishPacks'

const DAY_MS = 86_400_000

/** How long the signed manifest in a publish folder has left, as the collector reports it (`insights.json` `manifest`). */
export interface ManifestExpiry {
  /** The manifest's version. */
  version: number
  /** When browsers start refusing it (ISO 8601). */
  expires: string
  /** Days until then, rounded down to a tenth; 0 or below once it has expired. */
  daysLeft: number
  /** Days left under which it is due to be renewed (what a signing retrain renews by), to a tenth. */
  renewWithinDays: number
  /** `'valid'`, `'renew'` (due: renew it now) or `'expired'` (browsers refuse it). */
  status: 'valid' | 'renew' | 'expired'
  /** The command that renews it: the same packs, signed again under a new version and expiry. */
  renew: string
}

/**
 * A manifest in the publish folder that cannot be read or parsed, as the collector reports it (`insights.json`
 * `manifest`): browsers refuse it (`pack_manifest_invalid`), and no publish or renewal can start from it.
 */
export interface ManifestUnreadable {
  status: 'unreadable'
  /** Why it cannot be read (the file system's error, or what is wrong with its text). */
  problem: string
  /**
   * What to run once it is moved away: the packs published again, with `--min-version` (`N`) above the last version
   * published, or browsers that stored that one refuse the new manifest as a rollback.
   */
  renew: string
}

/**
 * The expiry of `manifest` (published in `dir`) at `now`, or `undefined` when it has none.
 *
 * `out` is the folder as the command names it (see `shownFolder`).
 *
 * @example
 * manifestExpiry(manifest, '.seglet-collector/public', Date.now())?.status // 'renew'
 */
export function manifestExpiry(manifest: PackManifest | undefined, dir: string, now: number, out = dir): ManifestExpiry | undefined {
  if (manifest?.expires === undefined) return undefined
  const leftMs = Date.parse(manifest.expires) - now
  if (Number.isNaN(leftMs)) return undefined
  const withinMs = renewWithinMs(manifest)
  return {
    version: manifest.version,
    expires: manifest.expires,
    daysLeft: Math.floor((leftMs / DAY_MS) * 10) / 10,
    renewWithinDays: Math.round((withinMs / DAY_MS) * 10) / 10,
    // As browsers judge it: refused from the instant it names.
    status: leftMs <= 0 ? 'expired' : leftMs <= withinMs ? 'renew' : 'valid',
    renew: `npm run collector -- publish-pack --out ${shellWord(out)}`,
  }
}

/**
 * The publish folder `dir` as a page of the collector names it in a command (`insights.json`, the dashboard): as
 * typed when relative, relative to the collector's working folder `cwd` (where `npm run collector` runs) when under
 * it, else `DIR`, as the help names it. Never the server's own path, which tells its file layout to any reader.
 *
 * @example
 * shownFolder('/srv/shop/.seglet-collector/public', '/srv/shop') // '.seglet-collector/public'
 */
export function shownFolder(dir: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(dir)) return dir
  const path = relative(cwd, dir)
  if (path === '') return '.'
  return path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path) ? 'DIR' : path
}

/** `text` as one word of a POSIX shell command: as it is when it is plain, else in single quotes. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

/**
 * The expiry of the manifest `publish-pack` last wrote to `dir`, `undefined` when there is none, or that it cannot be
 * read (`status: 'unreadable'`).
 *
 * Its commands name the folder as `out` (see `shownFolder`).
 *
 * @example
 * await readManifestExpiry('.seglet-collector/public', Date.now())
 */
export async function readManifestExpiry(dir: string, now: number, out = dir): Promise<ManifestExpiry | ManifestUnreadable | undefined> {
  let manifest: PackManifest | undefined
  try {
    manifest = await readPublishedManifest(dir)
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause
    return {
      status: 'unreadable',
      problem: cause instanceof Error ? cause.message : (error as Error).message,
      renew: `npm run collector -- publish-pack --out ${shellWord(out)} --session FILE --min-version N`,
    }
  }
  return manifestExpiry(manifest, dir, now, out)
}

/**
 * The line the collector writes to stderr about `expiry`: a warning once it is due to be renewed, an error once it
 * has expired or when it cannot be read, nothing before.
 *
 * @example
 * const line = manifestExpiryLine(await readManifestExpiry(dir, Date.now()), dir)
 * if (line) console.error(line)
 */
export function manifestExpiryLine(expiry: ManifestExpiry | ManifestUnreadable | undefined, dir: string): string | undefined {
  if (!expiry || expiry.status === 'valid') return undefined
  if (expiry.status === 'unreadable') {
    return (
      `seglet collector: error: the signed pack manifest ${join(dir, MANIFEST_FILE)} cannot be read (${expiry.problem}): browsers refuse it (pack_manifest_invalid), ` +
      `returning ones keep the packs they stored and take no new one, first visits use the hash-pinned or shipped packs, and no publish or retrain can renew it; ` +
      `move it away and publish the packs again, N above the last version published (browsers that stored it refuse a lower one): ${expiry.renew}`
    )
  }
  const what = `the signed pack manifest ${join(dir, MANIFEST_FILE)} (version ${expiry.version})`
  const renew = `renew it: ${expiry.renew} (the same packs, signed again; give --key if the key is not in its default place), or run a signing retrain`
  if (expiry.status === 'expired') {
    return (
      `seglet collector: error: ${what} expired on ${expiry.expires}: browsers refuse it (pack_manifest_expired), returning ones keep the packs they ` +
      `stored and take no new one, first visits use the hash-pinned or shipped packs; ${renew}`
    )
  }
  return (
    `seglet collector: warning: ${what} expires on ${expiry.expires}, in ${expiry.daysLeft} days: then browsers refuse it (pack_manifest_expired), ` +
    `returning ones keep the packs they stored and take no new one, first visits use the hash-pinned or shipped packs; ${renew}`
  )
}
