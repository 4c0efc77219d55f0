import { addUp } from '../ingest/createIngest'
import { addUpBodies } from '../ingest/addUpBodies'
import { sumPending } from '../storage/sumPending'
import type { ReportCodec } from '../ingest/types'
import { daysWithReports } from '../storage/daysWithReports'
import { forEachReportOfDay } from '../storage/forEachReportOfDay'
import { readSums } from '../storage/readSums'
import { replaceSumsOfDay } from '../storage/replaceSumsOfDay'
import { readSetting, writeSetting } from '../storage/settings'
import { SQL } from '../storage/sql'
import { registerPageKeyList } from './pageKeyLists'
import { pageKeyListId } from '../estimates/pageKeyListId'
import type { Database, ReportGroup } from '../storage/types'

/** The setting naming the candidate page keys the stored sums are decoded against (JSON list). */
export const PAGE_KEYS_SETTING = 'sums.pageKeys'
const SETTING = PAGE_KEYS_SETTING

/**
 * The page keys the stored sums are decoded against: the last a collector started on this database with (none on a
 * new one). A collector started without `--page-keys` keeps them, and `retrain` decodes what is not yet summed by them.
 */
export async function readPageKeys(db: Database): Promise<string[]> {
  const stored = await readSetting(db, SETTING)
  return stored === undefined ? [] : (JSON.parse(stored) as string[])
}

/**
 * Re-adds the sums of every day whose raw reports are still kept, when the candidate page keys differ from the
 * ones the stored sums were decoded against (a shop added pages). Days whose raw reports are gone keep their
 * sums; a key they were not decoded against is then left out of estimates over them rather than guessed. So does
 * a day that has lost some of its raw reports (late reports kept after its purge, or a retention raised from 0),
 * or holds some that no longer parse: its sums count more reports than it has left (`codec.counted`).
 * Also records the list (see `registerPageKeyList`). Returns the days re-estimated. Run it before accepting
 * reports; other processes on the same database may go on storing and summing (a rolling restart). When the
 * keys have not changed it re-adds the days whose kept reports another process, still on other keys, summed
 * against those; with `catchUp` it does only that, and nothing when another process's keys are in force: run so
 * every hour, the days a process on the old keys summed during a rolling deploy are decoded against the new ones.
 * On PostgreSQL, processes re-estimate one at a time (an advisory lock), so each day is re-added once however many
 * start together; each process calls this once at a time (it holds one of its pool's connections meanwhile).
 */
export async function reestimate<Parsed>(
  db: Database,
  codec: ReportCodec<Parsed>,
  pageKeys: readonly string[],
  options: { catchUp?: boolean } = {},
): Promise<string[]> {
  // Stored reports not yet summed are summed first, so re-adding a day's sums never counts one twice.
  await sumPending(db, (bodies) => addUpBodies(codec, bodies))
  if (db.kind !== 'postgres') return reestimateDays(db, codec, pageKeys, options)
  // Other processes on the same PostgreSQL (replicas started together) wait for this one, then find the days done:
  // the lock is held by a transaction of its own, on one of the pool's connections, while the days take others.
  return db.transaction(async (lock) => {
    await lock.query(SQL.lockReestimate)
    return reestimateDays(db, codec, pageKeys, options)
  })
}

async function reestimateDays<Parsed>(
  db: Database,
  codec: ReportCodec<Parsed>,
  pageKeys: readonly string[],
  options: { catchUp?: boolean },
): Promise<string[]> {
  await registerPageKeyList(db, pageKeys)
  const wanted = JSON.stringify([...pageKeys])
  const stored = await readSetting(db, SETTING)
  // The keys in force are the last a process started with: one still on other keys (a rolling deploy) goes on
  // summing against them, and the days it summed are re-added by the process whose keys are in force (`catchUp`).
  if (options.catchUp && stored !== wanted) return []
  const days =
    stored === undefined
      ? []
      : stored === wanted
        ? await daysDecodedAgainstOthers(db, pageKeys)
        : await daysWithReports(db)
  const done: string[] = []
  for (const day of days) {
    // One transaction per day that holds off storing and summing (in any process): a summing pass between the
    // read and the replace would be lost, and a report stored meanwhile is left to the next pass, not counted here too.
    const replaced = await db.transaction(async (tx) => {
      await tx.query(SQL.lockUnsummed)
      const batch: { report: Parsed; group: ReportGroup }[] = []
      await forEachReportOfDay(tx, day, (body) => {
        // A stored body was accepted once; one that no longer parses (an older format) is skipped, not fatal.
        try {
          const report = codec.parse(body)
          batch.push({ report, group: codec.groupOf(report) })
        } catch {}
      })
      if (codec.counted !== undefined) {
        let summed = 0
        for (const row of await readSums(tx, day, day)) if (row.counter === codec.counted) summed += row.value
        if (batch.length < summed) return false
      }
      // Already in a transaction: the replace's statements join it.
      await replaceSumsOfDay({ transaction: (work) => work(tx) }, day, addUp(codec, batch))
      return true
    })
    if (replaced) done.push(day)
  }
  await writeSetting(db, SETTING, wanted)
  return done
}

/** Days with raw reports whose page sums another process decoded against other page keys (see `reestimate`). */
async function daysDecodedAgainstOthers(db: Database, pageKeys: readonly string[]): Promise<string[]> {
  const [first] = await db.query<{ day: string | null }>(SQL.firstReportDay)
  if (!first?.day) return []
  const rows = await db.query<{ day: string }>(SQL.daysDecodedAgainstOthers, [`%"decoded","${pageKeyListId(pageKeys)}"%`, first.day])
  return rows.map((row) => row.day)
}
