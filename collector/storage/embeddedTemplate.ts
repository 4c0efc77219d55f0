import { Blob as NodeBlob } from 'node:buffer'
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CollectorError } from '../lib/CollectorError'
import { fileProblem } from '../lib/fileProblem'
import { makeFolder } from '../lib/makeFolder'
import { writeFileAtomic } from '../lib/writeFileAtomic'

/**
 * The environment variable naming a template for new embedded stores: a tarball of an empty store, as
 * {@link writeEmbeddedTemplate} writes it. A new store (`memory:`, or a folder that holds no database yet) then starts
 * as a copy of it instead of running PostgreSQL's `initdb`: about 0.7 s and 0.9 s of CPU instead of 3–4 s and 4 s
 * on two cores. A folder that already holds a database is opened as it is. Test suites that open many throwaway stores
 * set it (the unit tests' global set-up writes one under `.build/test/`); a collector that opens its store once has
 * nothing to gain.
 */
export const EMBEDDED_TEMPLATE_VARIABLE = 'SEGLET_EMBEDDED_TEMPLATE'

/**
 * The template named by {@link EMBEDDED_TEMPLATE_VARIABLE}, read whole, or `undefined` when it names none.
 * A template named but unreadable is a `collector_storage` error naming the variable and the file: a store opened
 * without it would hide the mistake behind a slower start.
 *
 * @example
 * const loadDataDir = await readEmbeddedTemplate() // Blob | undefined
 */
export async function readEmbeddedTemplate(): Promise<Blob | undefined> {
  const path = process.env[EMBEDDED_TEMPLATE_VARIABLE]
  if (!path) return undefined
  try {
    // Node's own Blob: under a DOM emulation (jsdom in tests), the global one may not be one PGlite can read.
    return new NodeBlob([await readFile(path)]) as Blob
  } catch (error) {
    throw new CollectorError('collector_storage', `${EMBEDDED_TEMPLATE_VARIABLE} names ${path}, which cannot be read: ${fileProblem(error)}`, EMBEDDED_TEMPLATE_VARIABLE, error)
  }
}

/**
 * The buffer pool of the stores a template starts: a throwaway store holds a few megabytes, and PostgreSQL sets up
 * its whole pool each time a store opens, so the 128 MB `initdb` writes made every open take about 1.4 s of CPU
 * instead of 0.9 s.
 */
export const TEMPLATE_SHARED_BUFFERS = '16MB'

/**
 * Writes a template for new embedded stores to `path`: a fresh, empty store of this PGlite (PostgreSQL's `initdb`,
 * nothing of the collector's schema, `shared_buffers` set to {@link TEMPLATE_SHARED_BUFFERS} in its
 * `postgresql.auto.conf`), dumped as a gzip tarball, written whole or not at all (`writeFileAtomic`).
 *
 * @example
 * await writeEmbeddedTemplate('.build/test/embedded-store.tgz')
 */
export async function writeEmbeddedTemplate(path: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite')
  const pg = new PGlite()
  let dump: Blob
  try {
    await pg.waitReady
    await pg.query(`ALTER SYSTEM SET shared_buffers = '${TEMPLATE_SHARED_BUFFERS}'`)
    dump = await pg.dumpDataDir('gzip')
  } finally {
    await pg.close()
  }
  await makeFolder(dirname(path))
  await writeFileAtomic(path, new Uint8Array(await dump.arrayBuffer()))
}
