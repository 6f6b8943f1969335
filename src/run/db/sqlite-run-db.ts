import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { NotFoundError, SluiceError, errorMessage } from '../../errors.js';
import { systemClock, type Clock } from '../../util/time.js';
import type {
  FeatureSetFilter,
  FeatureSetKeyOptions,
  AbortRunOptions,
  ExpireFilter,
  GetLogOptions,
  HeartbeatOptions,
  HeartbeatReply,
  LockInfo,
  LogSlice,
  RunDB,
  RunDict,
  RunFilter,
  RunKeyOptions,
  ScheduleFilter,
  ScheduleKeyOptions,
  SignalOptions,
  StoreLogOptions,
} from './run-db.js';
import {
  DEFAULT_PROJECT,
  DEFAULT_TAG,
  TERMINAL_RUN_STATES,
  abortRows,
  checkExpiry,
  checkLockArgs,
  checkOffset,
  checkSignal,
  closedError,
  featureSetRow,
  patchRun,
  runFilterSql,
  runKey,
  runRow,
  stoppedPatch,
  utf8Boundary,
  type FilterDialect,
  type RunRow,
} from './run-db-support.js';
import { checkScheduleName, scheduleProject, scheduleRow } from './schedule-row.js';
import { missingNativeModule } from './native-module-error.js';
import { SQLITE_MIGRATIONS as MIGRATIONS } from './sqlite-migrations.js';

/** Default location of the embedded run db, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = '.sluice/runs.db';

/** Options of {@link SqliteRunDB}. */
export interface SqliteRunDBOptions {
  /** The db file (created with its folder); relative to `cwd`. Default `.sluice/runs.db`; `:memory:` for tests. */
  path?: string;
  /** Base of a relative `path`; default `process.cwd()`. */
  cwd?: string;
  /** How long a writer waits for another process's lock before failing (SQLite `busy_timeout`); default 15 s. */
  busyTimeoutMs?: number;
  clock?: Clock;
}

const LIVE = `COALESCE(state, '') NOT IN (${TERMINAL_RUN_STATES.map((s) => `'${s}'`).join(', ')})`;

const SQLITE_FILTER: FilterDialect = {
  param: () => '?',
  contains: (p) => `instr(lower(name), lower(${p})) > 0`,
  label: (k, v) => `EXISTS (SELECT 1 FROM json_each(runs.labels) AS l WHERE l.key = ${k} AND l.value = ${v})`,
};

interface BodyRow {
  body: string;
}

/**
 * The embedded run db: one SQLite file in WAL mode with a busy timeout, so several processes on one machine can
 * read and write at once. Write transactions take the write lock up front (`BEGIN IMMEDIATE`), so a busy db
 * waits instead of failing. The schema is created on open and versioned with `PRAGMA user_version`.
 *
 * @example
 * const db = new SqliteRunDB({ cwd: projectDir }); // <projectDir>/.sluice/runs.db
 */
export class SqliteRunDB implements RunDB {
  /** The absolute file path, or `:memory:`. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private closed = false;

  constructor(options: SqliteRunDBOptions = {}) {
    const p = options.path ?? DEFAULT_SQLITE_PATH;
    this.path = p === ':memory:' ? p : resolve(options.cwd ?? process.cwd(), p);
    this.clock = options.clock ?? systemClock;
    try {
      if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
      this.db = new Database(this.path);
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 15_000))}`);
      if (this.path !== ':memory:') this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.migrate();
    } catch (err) {
      const native = missingNativeModule(this.path, err);
      if (native !== undefined) throw new SluiceError('IO', native, { cause: err });
      throw new SluiceError('IO', `run db ${this.path}: cannot open it as a SQLite run db: ${errorMessage(err)}; point SLUICE_DB at a writable SQLite file`, { cause: err });
    }
  }

  private migrate(): void {
    this.db
      .transaction(() => {
        const version = this.db.pragma('user_version', { simple: true }) as number;
        if (version > MIGRATIONS.length) {
          throw new Error(`schema version ${version} is newer than this Sluice supports (${MIGRATIONS.length}); upgrade Sluice`);
        }
        for (let v = version; v < MIGRATIONS.length; v += 1) this.db.exec(MIGRATIONS[v] ?? '');
        this.db.pragma(`user_version = ${MIGRATIONS.length}`);
      })
      .immediate();
  }

  /** Runs `fn` after the closed/abort checks, turning SQLite errors into `SluiceError`s (busy ones retryable). */
  private guard<T>(what: string, signal: AbortSignal | undefined, fn: () => T): Promise<T> {
    try {
      if (this.closed) throw closedError('SqliteRunDB', what);
      checkSignal(signal, what);
      return Promise.resolve(fn());
    } catch (err) {
      if (err instanceof SluiceError) return Promise.reject(err);
      const code = (err as { code?: unknown }).code;
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
      return Promise.reject(new SluiceError('IO', `run db ${this.path}: ${what} failed: ${errorMessage(err)}`, { cause: err, retryable: busy }));
    }
  }

  private writeRun(row: RunRow): void {
    this.db
      .prepare(
        `INSERT INTO runs (project, uid, iteration, name, state, start_ms, updated_ms, labels, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (project, uid, iteration) DO UPDATE SET name = excluded.name, state = excluded.state,
           start_ms = excluded.start_ms, updated_ms = excluded.updated_ms, labels = excluded.labels, body = excluded.body`,
      )
      .run(row.project, row.uid, row.iteration, row.name, row.state, row.startMs, row.updatedMs, JSON.stringify(row.labels), JSON.stringify(row.body));
  }

  storeRun(run: RunDict, opts: SignalOptions = {}): Promise<void> {
    return this.guard('storeRun', opts.signal, () => this.writeRun(runRow(run, this.clock())));
  }

  updateRun(uid: string, patch: Record<string, unknown>, opts: RunKeyOptions = {}): Promise<void> {
    return this.guard('updateRun', opts.signal, () => {
      const key = runKey(uid, opts);
      this.db
        .transaction(() => {
          const found = this.db.prepare('SELECT body FROM runs WHERE project = ? AND uid = ? AND iteration = ?').get(key.project, key.uid, key.iteration) as BodyRow | undefined;
          if (!found) {
            throw new NotFoundError(`updateRun: run ${key.uid} (project ${key.project}, iteration ${key.iteration}) is not in the run db; store it first with storeRun()`);
          }
          this.writeRun(patchRun(JSON.parse(found.body) as RunDict, key, patch, this.clock()));
        })
        .immediate();
    });
  }

  readRun(uid: string, opts: RunKeyOptions = {}): Promise<RunDict | undefined> {
    return this.guard('readRun', opts.signal, () => {
      const key = runKey(uid, opts);
      const sql = `SELECT body, ${LIVE} AND stale_ms <= ? AS stale FROM runs WHERE project = ? AND uid = ? AND iteration = ?`;
      const read = () => this.db.prepare(sql).get(this.clock().getTime(), key.project, key.uid, key.iteration) as (BodyRow & { stale: number | null }) | undefined;
      let found = read();
      if (found?.stale) {
        this.expire('AND project = ? AND uid = ? AND iteration = ?', [key.project, key.uid, key.iteration]);
        found = read();
      }
      return found ? (JSON.parse(found.body) as RunDict) : undefined;
    });
  }

  /** Marks the live runs matching `where` whose heartbeat expired `error`, in one write transaction; returns their uids. */
  private expire(where: string, params: unknown[]): string[] {
    return this.db
      .transaction(() => {
        const now = this.clock();
        const rows = this.db
          .prepare(`SELECT project, uid, iteration, body, heartbeat_ms FROM runs WHERE ${LIVE} AND stale_ms <= ? ${where} ORDER BY uid, iteration`)
          .all(now.getTime(), ...params) as { project: string; uid: string; iteration: number; body: string; heartbeat_ms: number }[];
        for (const r of rows) {
          const body = JSON.parse(r.body) as RunDict;
          this.writeRun(patchRun(body, r, stoppedPatch(r.heartbeat_ms, body.status?.state), now));
        }
        return [...new Set(rows.map((r) => r.uid))];
      })
      .immediate();
  }

  heartbeat(uid: string, expiryMs: number, opts: HeartbeatOptions = {}): Promise<HeartbeatReply> {
    return this.guard('heartbeat', opts.signal, () => {
      const key = runKey(uid, { project: opts.project });
      const expiry = checkExpiry(uid, expiryMs);
      const now = this.clock().getTime();
      const rows = this.db
        .prepare('UPDATE runs SET heartbeat_ms = ?, stale_ms = ? WHERE project = ? AND uid = ? RETURNING abort_ms')
        .all(now, now + expiry, key.project, key.uid) as { abort_ms: number | null }[];
      if (rows.length === 0) {
        throw new NotFoundError(`heartbeat: run ${key.uid} (project ${key.project}) is not in the run db; store it first with storeRun()`);
      }
      return { abortRequested: rows.some((r) => r.abort_ms !== null) };
    });
  }

  abortRun(uid: string, opts: AbortRunOptions = {}): Promise<'aborting' | 'aborted'> {
    return this.guard('abortRun', opts.signal, () => {
      const key = runKey(uid, { project: opts.project });
      this.expire('AND project = ? AND uid = ?', [key.project, key.uid]);
      return this.db
        .transaction(() => {
          const found = this.db.prepare('SELECT iteration, body, heartbeat_ms FROM runs WHERE project = ? AND uid = ?').all(key.project, key.uid) as {
            iteration: number;
            body: string;
            heartbeat_ms: number | null;
          }[];
          const now = this.clock();
          const plan = abortRows(key, found.map((r) => ({ ...r, body: JSON.parse(r.body) as RunDict })), now);
          for (const row of plan.rows) this.writeRun(row);
          this.db.prepare('UPDATE runs SET abort_ms = ? WHERE project = ? AND uid = ?').run(now.getTime(), key.project, key.uid);
          return plan.state;
        })
        .immediate();
    });
  }

  expireRuns(filter: ExpireFilter = {}): Promise<string[]> {
    return this.guard('expireRuns', filter.signal, () =>
      filter.project === undefined || filter.project === '*' ? this.expire('', []) : this.expire('AND project = ?', [filter.project]),
    );
  }

  listRuns(filter: RunFilter = {}): Promise<RunDict[]> {
    return this.guard('listRuns', filter.signal, () => {
      if (filter.project === undefined || filter.project === '*') this.expire('', []);
      else this.expire('AND project = ?', [filter.project]);
      const { where, params, limit } = runFilterSql(filter, SQLITE_FILTER);
      if (limit !== undefined) params.push(limit);
      const sql = `SELECT body FROM runs ${where}
         ORDER BY start_ms IS NULL, start_ms DESC, updated_ms DESC, uid, iteration${limit !== undefined ? ' LIMIT ?' : ''}`;
      return (this.db.prepare(sql).all(...params) as BodyRow[]).map((r) => JSON.parse(r.body) as RunDict);
    });
  }

  storeLog(uid: string, text: string, opts: StoreLogOptions = {}): Promise<void> {
    return this.guard('storeLog', opts.signal, () => {
      const key = runKey(uid, { project: opts.project });
      const data = Buffer.from(String(text), 'utf8');
      this.db
        .transaction(() => {
          let start = 0;
          if (opts.append === false) {
            this.db.prepare('DELETE FROM log_chunks WHERE project = ? AND uid = ?').run(key.project, key.uid);
            this.db
              .prepare('INSERT INTO log_heads (project, uid, size) VALUES (?, ?, ?) ON CONFLICT (project, uid) DO UPDATE SET size = excluded.size')
              .run(key.project, key.uid, data.length);
          } else {
            if (data.length === 0) return;
            const head = this.db
              .prepare('INSERT INTO log_heads (project, uid, size) VALUES (?, ?, ?) ON CONFLICT (project, uid) DO UPDATE SET size = size + excluded.size RETURNING size')
              .get(key.project, key.uid, data.length) as { size: number };
            start = head.size - data.length;
          }
          if (data.length > 0) this.db.prepare('INSERT INTO log_chunks (project, uid, start, data) VALUES (?, ?, ?, ?)').run(key.project, key.uid, start, data);
        })
        .immediate();
    });
  }

  getLog(uid: string, opts: GetLogOptions = {}): Promise<LogSlice> {
    return this.guard('getLog', opts.signal, () => {
      const key = runKey(uid, { project: opts.project });
      const offset = checkOffset(opts.offset);
      return this.db
        .transaction((): LogSlice => {
          const head = this.db.prepare('SELECT size FROM log_heads WHERE project = ? AND uid = ?').get(key.project, key.uid) as { size: number } | undefined;
          const size = head?.size ?? 0;
          if (offset >= size) return { text: '', offset: size };
          const chunks = this.db
            .prepare('SELECT start, data FROM log_chunks WHERE project = ? AND uid = ? AND start + length(data) > ? ORDER BY start')
            .all(key.project, key.uid, offset) as { start: number; data: Buffer }[];
          const first = chunks[0]?.start ?? offset;
          const buf = Buffer.concat(chunks.map((c) => c.data));
          const from = utf8Boundary(buf, offset - first);
          return { text: buf.subarray(from).toString('utf8'), offset: first + buf.length };
        })
        .deferred();
    });
  }

  storeFeatureSet(dict: Record<string, unknown>, opts: SignalOptions = {}): Promise<void> {
    return this.guard('storeFeatureSet', opts.signal, () => {
      const row = featureSetRow(dict, this.clock());
      this.db
        .prepare(
          `INSERT INTO feature_sets (project, name, tag, updated_ms, body) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (project, name, tag) DO UPDATE SET updated_ms = excluded.updated_ms, body = excluded.body`,
        )
        .run(row.project, row.name, row.tag, row.updatedMs, JSON.stringify(row.body));
    });
  }

  getFeatureSet(name: string, opts: FeatureSetKeyOptions = {}): Promise<Record<string, unknown> | undefined> {
    return this.guard('getFeatureSet', opts.signal, () => {
      const found = this.db
        .prepare('SELECT body FROM feature_sets WHERE project = ? AND name = ? AND tag = ?')
        .get(opts.project ?? DEFAULT_PROJECT, name, opts.tag ?? DEFAULT_TAG) as BodyRow | undefined;
      return found ? (JSON.parse(found.body) as Record<string, unknown>) : undefined;
    });
  }

  listFeatureSets(opts: FeatureSetFilter = {}): Promise<Record<string, unknown>[]> {
    return this.guard('listFeatureSets', opts.signal, () => {
      const where: string[] = [];
      const params: string[] = [];
      if (opts.project !== undefined && opts.project !== '*') {
        where.push('project = ?');
        params.push(opts.project);
      }
      if (opts.tag !== undefined) {
        where.push('tag = ?');
        params.push(opts.tag);
      }
      const sql = `SELECT body FROM feature_sets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY project, name, tag`;
      return (this.db.prepare(sql).all(...params) as BodyRow[]).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    });
  }

  tryLock(name: string, holder: string, ttlMs: number, opts: SignalOptions = {}): Promise<boolean> {
    return this.guard('tryLock', opts.signal, () => {
      checkLockArgs(name, holder, ttlMs);
      const now = this.clock().getTime();
      const res = this.db
        .prepare(
          `INSERT INTO locks (name, holder, expires_ms) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
           WHERE locks.holder = excluded.holder OR locks.expires_ms <= ?`,
        )
        .run(name, holder, now + Math.ceil(ttlMs), now);
      return res.changes > 0;
    });
  }

  readLock(name: string, opts: SignalOptions = {}): Promise<LockInfo | undefined> {
    return this.guard('readLock', opts.signal, () => {
      checkLockArgs(name, 'reader');
      const row = this.db.prepare('SELECT holder, expires_ms FROM locks WHERE name = ? AND expires_ms > ?').get(name, this.clock().getTime()) as
        | { holder: string; expires_ms: number }
        | undefined;
      return row ? { holder: row.holder, expiresAt: new Date(row.expires_ms) } : undefined;
    });
  }

  unlock(name: string, holder: string, opts: SignalOptions = {}): Promise<void> {
    return this.guard('unlock', opts.signal, () => {
      checkLockArgs(name, holder);
      this.db.prepare('DELETE FROM locks WHERE name = ? AND holder = ?').run(name, holder);
    });
  }

  storeSchedule(dict: Record<string, unknown>, opts: SignalOptions = {}): Promise<void> {
    return this.guard('storeSchedule', opts.signal, () => {
      const row = scheduleRow(dict, this.clock());
      this.db
        .prepare(
          `INSERT INTO schedules (project, name, updated_ms, body) VALUES (?, ?, ?, ?)
           ON CONFLICT (project, name) DO UPDATE SET updated_ms = excluded.updated_ms, body = excluded.body`,
        )
        .run(row.project, row.name, row.updatedMs, JSON.stringify(row.body));
    });
  }

  listSchedules(opts: ScheduleFilter = {}): Promise<Record<string, unknown>[]> {
    return this.guard('listSchedules', opts.signal, () => {
      const all = opts.project === undefined || opts.project === '*';
      const sql = `SELECT body FROM schedules ${all ? '' : 'WHERE project = ?'} ORDER BY project, name`;
      return (this.db.prepare(sql).all(...(all ? [] : [opts.project])) as BodyRow[]).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    });
  }

  deleteSchedule(name: string, opts: ScheduleKeyOptions = {}): Promise<boolean> {
    return this.guard('deleteSchedule', opts.signal, () => {
      const res = this.db.prepare('DELETE FROM schedules WHERE project = ? AND name = ?').run(scheduleProject(opts.project), checkScheduleName(name));
      return res.changes > 0;
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }
}
