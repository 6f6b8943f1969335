/** Schema migrations; `PRAGMA user_version` is the number applied. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS runs (
     project TEXT NOT NULL, uid TEXT NOT NULL, iteration INTEGER NOT NULL,
     name TEXT, state TEXT, start_ms INTEGER, updated_ms INTEGER NOT NULL,
     labels TEXT NOT NULL, body TEXT NOT NULL,
     PRIMARY KEY (project, uid, iteration));
   CREATE INDEX IF NOT EXISTS runs_start ON runs (start_ms);
   CREATE INDEX IF NOT EXISTS runs_project_start ON runs (project, start_ms);
   CREATE INDEX IF NOT EXISTS runs_name ON runs (name);
   CREATE INDEX IF NOT EXISTS runs_state ON runs (state);
   CREATE INDEX IF NOT EXISTS runs_uid ON runs (uid);
   CREATE TABLE IF NOT EXISTS log_heads (
     project TEXT NOT NULL, uid TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (project, uid));
   CREATE TABLE IF NOT EXISTS log_chunks (
     project TEXT NOT NULL, uid TEXT NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL,
     PRIMARY KEY (project, uid, start));
   CREATE TABLE IF NOT EXISTS feature_sets (
     project TEXT NOT NULL, name TEXT NOT NULL, tag TEXT NOT NULL, updated_ms INTEGER NOT NULL, body TEXT NOT NULL,
     PRIMARY KEY (project, name, tag));
   CREATE TABLE IF NOT EXISTS locks (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms INTEGER NOT NULL);`,
  // 2: schedules (src/schedule).
  `CREATE TABLE IF NOT EXISTS schedules (
     project TEXT NOT NULL, name TEXT NOT NULL, updated_ms INTEGER NOT NULL, body TEXT NOT NULL,
     PRIMARY KEY (project, name));`,
  // 3: run heartbeats (the last one, and when the run counts as stopped without another).
  `ALTER TABLE runs ADD COLUMN heartbeat_ms INTEGER;
   ALTER TABLE runs ADD COLUMN stale_ms INTEGER;
   CREATE INDEX IF NOT EXISTS runs_stale ON runs (stale_ms);`,
  // 4: indexes in the list order, so a page of listRuns (keyset cursor) reads one index range instead of sorting.
  `CREATE INDEX IF NOT EXISTS runs_list ON runs (start_ms IS NULL, start_ms DESC, updated_ms DESC, uid, iteration);
   CREATE INDEX IF NOT EXISTS runs_project_list ON runs (project, start_ms IS NULL, start_ms DESC, updated_ms DESC, uid, iteration);`,
  // 5: abort requests (when someone asked, from any process, for the run to be aborted).
  `ALTER TABLE runs ADD COLUMN abort_ms INTEGER;`,
];
