import { createHash } from 'node:crypto'
import { constants } from 'node:buffer'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { DataError } from './dataError'

/** Project root (the folder holding package.json), from this file in training/ or .build/training/. */
export const PROJECT_ROOT = findRoot(__dirname)

/** Default data folder: ../shared/data beside the project. */
export const DEFAULT_DATA_DIR = resolve(PROJECT_ROOT, '..', 'shared', 'data')

export const SHOPPERS_FILE = 'online_shoppers_intention.csv'
export const RETAIL_FILE = 'online_retail.csv.gz'

/** The published sha256 of the data files (shared/data/README.md). */
export const KNOWN_SHA256: Record<string, string> = {
  [SHOPPERS_FILE]: 'b3055ee355f59134d851d32641183cb4a8b45def7124d2f50442a042f358e0d9',
  [RETAIL_FILE]: '49957b05e60c2650740be37d4dd3bed18dc7916ba30a0f9204889b7b64d75509',
}

function findRoot(from: string): string {
  let dir = from
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules')) && existsSync(join(dir, 'training'))) return dir
    dir = resolve(dir, '..')
  }
  return resolve(from, '..')
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** A data file's bytes (gunzipped when it ends in .gz) and the sha256 of the file as stored. */
export interface DataFile {
  path: string
  sha256: string
  /** Whether the sha256 equals the published one (undefined for files without a published hash). */
  verified?: boolean
  /** The content (gunzipped): line-by-line readers take it as it is, so a file of any size can be read. */
  bytes: Buffer
  /** The content as one string, made when first read; a DataError for a file larger than a string can hold. */
  readonly text: string
}

export function readDataFile(path: string): DataFile {
  let stored: Buffer
  try {
    stored = readFileSync(path)
  } catch (error) {
    // Node names no path when it is asked to read a folder: named here, as for a missing file.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new DataError(`${path}: a folder, not a file`)
    if ((error as NodeJS.ErrnoException).code !== 'ERR_FS_FILE_TOO_LARGE') throw error
    throw new DataError(`${path}: ${(statSync(path).size / 1e9).toFixed(1)} GB, more than the ${(MAX_FILE_BYTES / 1e9).toFixed(1)} GB a file can be read in; export a shorter period`)
  }
  const hash = sha256(stored)
  const base = path.split(/[\\/]/).pop() ?? path
  const known = KNOWN_SHA256[base]
  const bytes = path.endsWith('.gz') ? gunzipped(stored, path) : stored
  let text: string | undefined
  return {
    path, sha256: hash, verified: known === undefined ? undefined : known === hash, bytes,
    get text() {
      return (text ??= textOf(bytes, path))
    },
  }
}

/**
 * A `.gz` file's content; a DataError naming `path` when it is not whole gzip data (a download cut short, a file
 * renamed to `.gz`), rather than zlib's own words and a stack trace.
 */
function gunzipped(stored: Buffer, path: string): Buffer {
  try {
    return gunzipSync(stored)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ERR_BUFFER_TOO_LARGE' || code === 'ERR_STRING_TOO_LONG') throw error
    const cut = /unexpected end of file/i.test((error as Error).message)
    throw new DataError(
      cut
        ? `${path}: the file ends before its gzip data does (it was cut short, as by a download that stopped): get the whole file again`
        : `${path}: not gzip data, though its name ends in .gz (${(error as Error).message}): give the file as it was exported, or without the .gz ending if it is not compressed`,
    )
  }
}

/** `bytes` as UTF-8 text; a DataError naming `path` when they are more than one string can hold (about 512 MB). */
export function textOf(bytes: Buffer, path = 'the file'): string {
  if (bytes.length > MAX_STRING_LENGTH) {
    throw new DataError(`${path}: ${Math.round(bytes.length / 1e6)} MB is more than can be read as one text (${Math.floor(MAX_STRING_LENGTH / 1e6)} MB); split it into smaller files`)
  }
  return bytes.toString('utf8')
}

/** The largest file `readFileSync` reads (2 GiB − 1). */
const MAX_FILE_BYTES = 2 ** 31 - 1

/** The most UTF-16 units a string can hold in this Node.js; UTF-8 bytes are never fewer than the units they make. */
const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH

/**
 * The lines of `data` with their 1-based numbers, without a trailing `\r`. A Buffer is cut at its newline
 * bytes (which UTF-8 never uses inside a character) one line at a time, so no string of the whole file is made.
 */
export function* dataLines(data: string | Buffer): Generator<[number, string]> {
  const n = data.length
  let pos = 0
  for (let number = 1; pos < n; number++) {
    let end = typeof data === 'string' ? data.indexOf('\n', pos) : data.indexOf(10, pos)
    if (end < 0) end = n
    let line = typeof data === 'string' ? data.slice(pos, end) : data.toString('utf8', pos, end)
    if (line.endsWith('\r')) line = line.slice(0, -1)
    yield [number, line]
    pos = end + 1
  }
}

/**
 * Why a CSV's `required` columns are missing when its header came out as one field: the file is separated by
 * semicolons or tabs, as a spreadsheet saves "CSV" in a language whose decimal mark is a comma (its numbers and
 * dates are then written that language's way too). `undefined` when that is not the reason.
 *
 * @example
 * separatorProblem(['Name;Email;Total'], ['Name', 'Total']) // 'its columns are separated by semicolons, not commas'
 */
export function separatorProblem(header: readonly string[], required: readonly string[]): string | undefined {
  if (header.length !== 1) return undefined
  for (const [separator, name] of [[';', 'semicolons'], ['\t', 'tabs']] as const) {
    const cells = header[0].split(separator).map((h) => h.trim().replace(/^"|"$/g, '').trim().toLowerCase())
    if (cells.length > 1 && required.every((c) => cells.includes(c.toLowerCase()))) return `its columns are separated by ${name}, not commas`
  }
  return undefined
}

/**
 * RFC-4180 CSV: quoted fields, doubled quotes, CRLF or LF. Returns rows of strings, header included. A quote
 * opens a quoted field only at the field's start (after spaces at most): inside a field, as in `12" Vinyl`,
 * it is a character. A quoted field that is never closed is a DataError naming its line: read on, it would
 * swallow every row after it.
 */
export function parseCsv(text: string, lines?: number[]): string[][] {
  const rows: string[][] = []
  // The 1-based line each row starts on (a quoted field may hold newlines), into `lines` when given.
  let line1 = 1
  // A byte-order mark (files saved as "CSV UTF-8") is no part of the first field.
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const n = text.length
  while (pos < n) {
    let end = text.indexOf('\n', pos)
    if (end < 0) end = n
    let line = text.slice(pos, end)
    if (line.indexOf('"') < 0) {
      // Fast path: most lines have no quotes.
      if (line.endsWith('\r')) line = line.slice(0, -1)
      rows.push(line.split(','))
      lines?.push(line1++)
      pos = end + 1
      continue
    }
    const row: string[] = []
    let field = ''
    let quoted = false
    let i = pos
    let inside = 0
    for (; i < n; i++) {
      const c = text.charCodeAt(i)
      if (quoted) {
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) { field += '"'; i++ } else quoted = false
        } else {
          if (c === 10) inside++
          field += text[i]
        }
      } else if (c === 34 && field.trim() === '') quoted = true
      else if (c === 44) { row.push(field); field = '' }
      else if (c === 10 || c === 13) break
      else field += text[i]
    }
    if (quoted) throw new DataError(`CSV line ${text.slice(0, pos).split('\n').length}: a quoted field is not closed (a " without its closing ")`)
    row.push(field)
    rows.push(row)
    lines?.push(line1)
    line1 += inside + 1
    if (text.charCodeAt(i) === 13) i++
    pos = i + 1
  }
  return rows
}
