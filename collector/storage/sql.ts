/**
 * Every SQL statement of the collector, in one place. The same text runs on the embedded store (PGlite) and on
 * PostgreSQL. Nothing here holds an address, a cookie, a user agent or a time finer than the day: a stored report
 * is its fixed-size body and the UTC day it describes, under an id given in the order reports arrive (the README says
 * so: beside a proxy's request log, the order of the raw reports kept would match them to their requests).
 */

/** Versioned schema migrations, applied in order, each once (see `migrate`). Never edit one that shipped: add one. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'reports, daily sums and settings',
    sql: `
      CREATE TABLE seglet_reports (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        day date NOT NULL,
        body text NOT NULL
      );
      CREATE INDEX seglet_reports_day ON seglet_reports (day, id);
      CREATE TABLE seglet_sums (
        day date NOT NULL,
        pack_id text NOT NULL,
        epsilon double precision NOT NULL,
        segment_leaves integer NOT NULL,
        value_leaves integer NOT NULL,
        counter text NOT NULL,
        value double precision NOT NULL,
        PRIMARY KEY (day, pack_id, epsilon, segment_leaves, value_leaves, counter)
      );
      CREATE TABLE seglet_settings (
        key text PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'reports not yet added to the sums',
    sql: `
      CREATE TABLE seglet_unsummed (
        id bigint PRIMARY KEY
      );
    `,
  },
]

export const SQL = {
  createMigrationsTable: `CREATE TABLE IF NOT EXISTS seglet_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_on date NOT NULL DEFAULT CURRENT_DATE)`,
  /** Serialises migrations when several collector processes start against one PostgreSQL at once. */
  lockMigrations: `SELECT pg_advisory_xact_lock(7361626)`,
  appliedMigrations: `SELECT version FROM seglet_migrations ORDER BY version`,
  recordMigration: `INSERT INTO seglet_migrations (version, name) VALUES ($1, $2)`,

  /** One statement per batch, whatever its size: the rows travel as arrays. */
  insertReports: `INSERT INTO seglet_reports (day, body) SELECT * FROM unnest($1::date[], $2::text[])`,
  /**
   * Stores a batch and marks it as not yet added to the sums, in one statement: a report is durable (and
   * acknowledged) as soon as this commits, and its sums follow in the next summing pass.
   */
  insertUnsummedReports: `WITH inserted AS (
      INSERT INTO seglet_reports (day, body) SELECT * FROM unnest($1::date[], $2::text[]) RETURNING id)
    INSERT INTO seglet_unsummed (id) SELECT id FROM inserted`,
  /**
   * Takes up to $1 reports not yet summed, oldest first, and returns their bodies. Rows another process is
   * summing are skipped (SKIP LOCKED), so any number of collector processes can sum side by side, each report once.
   */
  claimUnsummed: `WITH claimed AS (
      DELETE FROM seglet_unsummed WHERE id IN (
        SELECT id FROM seglet_unsummed ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id)
    SELECT r.id, r.body FROM seglet_reports r JOIN claimed c ON c.id = r.id ORDER BY r.id`,
  /** The newest report not yet summed, as this statement sees it: also one another process is summing now. */
  lastUnsummed: `SELECT max(id) AS id FROM seglet_unsummed`,
  /**
   * Like `claimUnsummed`, but only reports up to id $2, and waiting for those another process is summing: once that
   * pass commits they are gone from the list (and in the sums), and once it fails they are taken here.
   */
  claimUnsummedWaiting: `WITH claimed AS (
      DELETE FROM seglet_unsummed WHERE id IN (
        SELECT id FROM seglet_unsummed WHERE id <= $2 ORDER BY id LIMIT $1 FOR UPDATE)
      RETURNING id)
    SELECT r.id, r.body FROM seglet_reports r JOIN claimed c ON c.id = r.id ORDER BY r.id`,
  deleteReportsById: `DELETE FROM seglet_reports WHERE id = ANY($1::bigint[])`,
  /** Sums only ever add up, so batches from any number of ingest processes commute. */
  addSums: `INSERT INTO seglet_sums (day, pack_id, epsilon, segment_leaves, value_leaves, counter, value)
    SELECT * FROM unnest($1::date[], $2::text[], $3::double precision[], $4::integer[], $5::integer[], $6::text[],
      $7::double precision[])
    ON CONFLICT (day, pack_id, epsilon, segment_leaves, value_leaves, counter)
    DO UPDATE SET value = seglet_sums.value + excluded.value`,
  readSums: `SELECT to_char(day, 'YYYY-MM-DD') AS day, pack_id, epsilon, segment_leaves, value_leaves, counter, value
    FROM seglet_sums WHERE day >= $1::date AND day <= $2::date
    ORDER BY day, pack_id, epsilon, segment_leaves, value_leaves, counter`,
  /**
   * The daily sums, but the counters matching one of the LIKE patterns $3 added up over the window and read as
   * of its last day: a long window reads a few rows per day instead of every page counter of every day.
   */
  readSumsCollapsed: `SELECT day, pack_id, epsilon, segment_leaves, value_leaves, counter, value FROM (
      SELECT to_char($2::date, 'YYYY-MM-DD') AS day, pack_id, epsilon, segment_leaves, value_leaves, counter, sum(value) AS value
        FROM seglet_sums WHERE day >= $1::date AND day <= $2::date AND counter LIKE ANY($3::text[])
        GROUP BY pack_id, epsilon, segment_leaves, value_leaves, counter
      UNION ALL
      SELECT to_char(day, 'YYYY-MM-DD'), pack_id, epsilon, segment_leaves, value_leaves, counter, value
        FROM seglet_sums WHERE day >= $1::date AND day <= $2::date AND NOT counter LIKE ANY($3::text[])) AS window_sums
    ORDER BY day, pack_id, epsilon, segment_leaves, value_leaves, counter`,
  /** The packs (pack id, leaf counts, ε) the sums hold: read once when ingest starts. */
  readPacks: `SELECT DISTINCT pack_id, epsilon, segment_leaves, value_leaves FROM seglet_sums`,
  deleteSumsOfDay: `DELETE FROM seglet_sums WHERE day = $1::date`,

  daysWithReports: `SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM seglet_reports ORDER BY day`,
  /** The oldest day raw reports are kept for (null when none is). */
  firstReportDay: `SELECT to_char(min(day), 'YYYY-MM-DD') AS day FROM seglet_reports`,
  /**
   * Days with raw reports, from $2 (`firstReportDay`) on, whose sums hold page answers decoded against a candidate
   * list other than the one whose `decoded` counters match the LIKE pattern $1: summed by a process still on other
   * page keys. The first day is given, not read here, so that the sums are read from it by their index: the sums
   * are kept for good, and read whole this would take longer every day the shop runs (it runs every hour).
   */
  daysDecodedAgainstOthers: `SELECT DISTINCT to_char(s.day, 'YYYY-MM-DD') AS day FROM seglet_sums s
    WHERE s.day >= $2::date AND s.counter LIKE '%"decoded",%' AND NOT s.counter LIKE $1
      AND EXISTS (SELECT 1 FROM seglet_reports r WHERE r.day = s.day)
    ORDER BY day`,
  /** Reports of a day already in the sums (one still unsummed is added by the next summing pass, not here). */
  readReportsOfDay: `SELECT id, body FROM seglet_reports r WHERE day = $1::date AND id > $2
    AND NOT EXISTS (SELECT 1 FROM seglet_unsummed u WHERE u.id = r.id) ORDER BY id LIMIT $3`,
  /**
   * Holds off storing and summing in every process until the transaction ends (reads go on), so that a day's
   * sums can be re-added from its summed reports without a summing pass landing in between.
   */
  lockUnsummed: `LOCK TABLE seglet_unsummed IN EXCLUSIVE MODE`,
  /**
   * One re-estimate at a time among the collector processes on one PostgreSQL schema, until the transaction ends:
   * replicas started together on new page keys re-decode the kept days once, not once each. PostgreSQL only.
   */
  lockReestimate: `SELECT pg_advisory_xact_lock(7361627, hashtext(current_schema()))`,
  countReports: `SELECT count(*)::bigint AS count FROM seglet_reports`,
  /**
   * Up to $2 raw reports past the retention, oldest first, and how many went; never one not yet in the sums.
   * Run until none goes: one statement over a busy day would hold the embedded store (and its thread) for seconds.
   */
  deleteReportsBefore: `WITH gone AS (DELETE FROM seglet_reports WHERE id IN (
      SELECT r.id FROM seglet_reports r WHERE r.day < $1::date
        AND NOT EXISTS (SELECT 1 FROM seglet_unsummed u WHERE u.id = r.id)
      ORDER BY r.day, r.id LIMIT $2) RETURNING 1)
    SELECT count(*)::integer AS count FROM gone`,

  /** Makes the space of deleted reports reusable (the embedded store has no autovacuum). Outside a transaction. */
  vacuumReports: `VACUUM seglet_reports, seglet_unsummed`,
  /**
   * Statistics of the sums for the query planner (the embedded store never gathers them itself): without them it
   * takes a year of sums for a few thousand rows and sorts every row of a long window. Outside a transaction.
   */
  analyzeSums: `ANALYZE seglet_sums`,
  /**
   * Writes what the embedded store holds in memory to its files, so that the write-ahead log before it is recycled:
   * the embedded store never checkpoints by itself while it is open, and its log would otherwise grow with every
   * report received (about 650 bytes each) until the collector stops, and be replayed whole after a crash.
   */
  checkpoint: `CHECKPOINT`,

  /** The health check's question: does the database answer? */
  ping: `SELECT 1 AS ok`,
  readSetting: `SELECT value FROM seglet_settings WHERE key = $1`,
  readSettingsWithPrefix: `SELECT key, value FROM seglet_settings WHERE starts_with(key, $1) ORDER BY key`,
  writeSetting: `INSERT INTO seglet_settings (key, value) VALUES ($1, $2)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
} as const
