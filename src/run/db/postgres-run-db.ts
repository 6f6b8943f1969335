import pg from 'pg';
import { NotFoundError, SluiceError, SpecError, errorMessage } from '../../errors.js';
import { redact } from '../../util/redact.js';
import { systemClock, type Clock } from '../../util/time.js';
import { IDENT_RE, SCHEMA_VERSION, migrationSql, safeUrl, secretsOf, splitSchemaParam } from './postgres-schema.js';
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

/** Default PostgreSQL schema of the run db tables. */
export const DEFAULT_PG_SCHEMA = 'sluice';
const RETRYABLE = new Set(['40001', '40P01', '57P01', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

/** Options of {@link PostgresRunDB.connect}. */
export interface PostgresRunDBOptions {
  /** `postgres://user:password@host:port/db`; a `?schema=` parameter names the schema when `schema` is not given. */
  url: string;
  /** Schema of the tables (created if missing); default `sluice`. */
  schema?: string;
  /** Connections in the pool; default 5. */
  poolSize?: number;
  clock?: Clock;
}

const LIVE = `COALESCE(state, '') NOT IN (${TERMINAL_RUN_STATES.map((s) => `'${s}'`).join(', ')})`;

const PG_FILTER: FilterDialect = {
  param: (n) => `$${n}`,
  contains: (p) => `strpos(lower(name), lower(${p})) > 0`,
  label: (k, v) => `labels @> jsonb_build_object(${k}::text, ${v}::text)`,
};

/**
 * The run db on PostgreSQL, for several machines: the tables live in one schema (default `sluice`, created with
 * the tables on connect), bodies are JSONB, logs are appended as bytea chunks, and every value is a bound
 * parameter. The lease lock is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired or same holder`.
 *
 * @example
 * const db = await PostgresRunDB.connect({ url: 'postgres://sluice@db:5432/runs', schema: 'team_a' });
 */
export class PostgresRunDB implements RunDB {
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    /** The quoted schema name. */
    private readonly s: string,
    /** The URL without its password, for messages. */
    private readonly where: string,
    private readonly clock: Clock,
    /** The URL's password, scrubbed from driver messages. */
    private readonly secrets: string[],
  ) {}

  /** Connects, creates the schema and tables if missing, and checks the schema version. */
  static async connect(options: PostgresRunDBOptions): Promise<PostgresRunDB> {
    const split = splitSchemaParam(options.url);
    const schema = options.schema ?? split.schema ?? DEFAULT_PG_SCHEMA;
    if (!IDENT_RE.test(schema)) {
      throw new SpecError(`run db schema ${JSON.stringify(schema)} is not valid; expected letters, digits and _ (not first), at most 63 characters`);
    }
    const pool = new pg.Pool({ connectionString: split.url, max: options.poolSize ?? 5 });
    pool.on('error', () => undefined); // an idle client lost its connection; the next query reports it
    const db = new PostgresRunDB(pool, `"${schema}"`, `${safeUrl(split.url)} (schema ${schema})`, options.clock ?? systemClock, secretsOf(split.url));
    try {
      await db.tx('connect', async (c) => {
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sluice-run-db:${schema}`]);
        await c.query(migrationSql(db.s));
        const v = await c.query<{ value: string }>(`SELECT value FROM ${db.s}.meta WHERE key = 'schema_version'`);
        const found = Number(v.rows[0]?.value ?? 0);
        if (found > SCHEMA_VERSION) {
          throw new SluiceError('IO', `run db ${db.where}: schema version ${found} is newer than this Sluice supports (${SCHEMA_VERSION}); upgrade Sluice`);
        }
        await c.query(`INSERT INTO ${db.s}.meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [String(SCHEMA_VERSION)]);
      });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return db;
  }

  private wrap(what: string, err: unknown): SluiceError {
    if (err instanceof SluiceError) return err;
    const code = String((err as { code?: unknown }).code ?? '');
    const msg = redact(errorMessage(err), this.secrets);
    return new SluiceError('IO', `run db ${this.where}: ${what} failed: ${msg}`, { cause: err, retryable: RETRYABLE.has(code) || code.startsWith('08') });
  }

  private async run<T>(what: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw closedError('PostgresRunDB', what);
    checkSignal(signal, what);
    try {
      return await fn();
    } catch (err) {
      throw this.wrap(what, err);
    }
  }

  private async tx<T>(what: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.wrap(what, err);
    }
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.wrap(what, err);
    } finally {
      client.release();
    }
  }

  private async writeRun(q: pg.Pool | pg.PoolClient, row: RunRow): Promise<void> {
    await q.query(
      `INSERT INTO ${this.s}.runs (project, uid, iteration, name, state, start_ms, updated_ms, labels, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (project, uid, iteration) DO UPDATE SET name = EXCLUDED.name, state = EXCLUDED.state,
         start_ms = EXCLUDED.start_ms, updated_ms = EXCLUDED.updated_ms, labels = EXCLUDED.labels, body = EXCLUDED.body`,
      [row.project, row.uid, row.iteration, row.name, row.state, row.startMs, row.updatedMs, JSON.stringify(row.labels), JSON.stringify(row.body)],
    );
  }

  storeRun(run: RunDict, opts: SignalOptions = {}): Promise<void> {
    return this.run('storeRun', opts.signal, () => this.writeRun(this.pool, runRow(run, this.clock())));
  }

  updateRun(uid: string, patch: Record<string, unknown>, opts: RunKeyOptions = {}): Promise<void> {
    return this.run('updateRun', opts.signal, async () => {
      const key = runKey(uid, opts);
      await this.tx('updateRun', async (c) => {
        const found = await c.query<{ body: RunDict }>(`SELECT body FROM ${this.s}.runs WHERE project = $1 AND uid = $2 AND iteration = $3 FOR UPDATE`, [key.project, key.uid, key.iteration]);
        const stored = found.rows[0];
        if (!stored) {
          throw new NotFoundError(`updateRun: run ${key.uid} (project ${key.project}, iteration ${key.iteration}) is not in the run db; store it first with storeRun()`);
        }
        await this.writeRun(c, patchRun(stored.body, key, patch, this.clock()));
      });
    });
  }

  readRun(uid: string, opts: RunKeyOptions = {}): Promise<RunDict | undefined> {
    return this.run('readRun', opts.signal, async () => {
      const key = runKey(uid, opts);
      const sql = `SELECT body, (${LIVE} AND stale_ms <= $4) AS stale FROM ${this.s}.runs WHERE project = $1 AND uid = $2 AND iteration = $3`;
      const read = async () => (await this.pool.query<{ body: RunDict; stale: boolean | null }>(sql, [key.project, key.uid, key.iteration, this.clock().getTime()])).rows[0];
      let found = await read();
      if (found?.stale) {
        await this.expire('AND project = $2 AND uid = $3 AND iteration = $4', [key.project, key.uid, key.iteration]);
        found = await read();
      }
      return found?.body;
    });
  }

  /** Marks the live runs matching `where` (parameters from $2) whose heartbeat expired `error`; returns their uids. */
  private expire(where: string, params: unknown[]): Promise<string[]> {
    return this.tx('expireRuns', async (c) => {
      const now = this.clock();
      const r = await c.query<{ project: string; uid: string; iteration: number; body: RunDict; heartbeat_ms: string }>(
        `SELECT project, uid, iteration, body, heartbeat_ms FROM ${this.s}.runs WHERE ${LIVE} AND stale_ms <= $1 ${where} ORDER BY uid, iteration FOR UPDATE`,
        [now.getTime(), ...params],
      );
      for (const row of r.rows) await this.writeRun(c, patchRun(row.body, row, stoppedPatch(Number(row.heartbeat_ms), row.body.status?.state), now));
      return [...new Set(r.rows.map((row) => row.uid))];
    });
  }

  private expireIn(project: string | undefined): Promise<string[]> {
    return project === undefined || project === '*' ? this.expire('', []) : this.expire('AND project = $2', [project]);
  }

  heartbeat(uid: string, expiryMs: number, opts: HeartbeatOptions = {}): Promise<HeartbeatReply> {
    return this.run('heartbeat', opts.signal, async () => {
      const key = runKey(uid, { project: opts.project });
      const expiry = checkExpiry(uid, expiryMs);
      const now = this.clock().getTime();
      const r = await this.pool.query<{ abort_ms: string | null }>(
        `UPDATE ${this.s}.runs SET heartbeat_ms = $1, stale_ms = $2 WHERE project = $3 AND uid = $4 RETURNING abort_ms`,
        [now, now + expiry, key.project, key.uid],
      );
      if (r.rows.length === 0) {
        throw new NotFoundError(`heartbeat: run ${key.uid} (project ${key.project}) is not in the run db; store it first with storeRun()`);
      }
      return { abortRequested: r.rows.some((row) => row.abort_ms !== null) };
    });
  }

  abortRun(uid: string, opts: AbortRunOptions = {}): Promise<'aborting' | 'aborted'> {
    return this.run('abortRun', opts.signal, async () => {
      const key = runKey(uid, { project: opts.project });
      await this.expire('AND project = $2 AND uid = $3', [key.project, key.uid]);
      return this.tx('abortRun', async (c) => {
        const found = await c.query<{ iteration: number; body: RunDict; heartbeat_ms: string | null }>(
          `SELECT iteration, body, heartbeat_ms FROM ${this.s}.runs WHERE project = $1 AND uid = $2 FOR UPDATE`,
          [key.project, key.uid],
        );
        const now = this.clock();
        const plan = abortRows(key, found.rows, now);
        for (const row of plan.rows) await this.writeRun(c, row);
        await c.query(`UPDATE ${this.s}.runs SET abort_ms = $1 WHERE project = $2 AND uid = $3`, [now.getTime(), key.project, key.uid]);
        return plan.state;
      });
    });
  }

  expireRuns(filter: ExpireFilter = {}): Promise<string[]> {
    return this.run('expireRuns', filter.signal, () => this.expireIn(filter.project));
  }

  listRuns(filter: RunFilter = {}): Promise<RunDict[]> {
    return this.run('listRuns', filter.signal, async () => {
      await this.expireIn(filter.project);
      const { where, params, limit } = runFilterSql(filter, PG_FILTER);
      if (limit !== undefined) params.push(limit);
      const sql = `SELECT body FROM ${this.s}.runs ${where}
        ORDER BY start_ms DESC NULLS LAST, updated_ms DESC, uid, iteration${limit !== undefined ? ` LIMIT $${params.length}` : ''}`;
      return (await this.pool.query<{ body: RunDict }>(sql, params)).rows.map((r) => r.body);
    });
  }

  storeLog(uid: string, text: string, opts: StoreLogOptions = {}): Promise<void> {
    return this.run('storeLog', opts.signal, async () => {
      const key = runKey(uid, { project: opts.project });
      const data = Buffer.from(String(text), 'utf8');
      if (opts.append !== false && data.length === 0) return;
      await this.tx('storeLog', async (c) => {
        let start = 0;
        const head = `INSERT INTO ${this.s}.log_heads (project, uid, size) VALUES ($1, $2, $3) ON CONFLICT (project, uid) DO UPDATE SET size =`;
        if (opts.append === false) {
          await c.query(`${head} EXCLUDED.size`, [key.project, key.uid, data.length]);
          await c.query(`DELETE FROM ${this.s}.log_chunks WHERE project = $1 AND uid = $2`, [key.project, key.uid]);
        } else {
          const r = await c.query<{ size: string }>(`${head} ${this.s}.log_heads.size + EXCLUDED.size RETURNING size`, [key.project, key.uid, data.length]);
          start = Number(r.rows[0]?.size) - data.length;
        }
        if (data.length > 0) {
          await c.query(`INSERT INTO ${this.s}.log_chunks (project, uid, start, data) VALUES ($1, $2, $3, $4)`, [key.project, key.uid, start, data]);
        }
      });
    });
  }

  getLog(uid: string, opts: GetLogOptions = {}): Promise<LogSlice> {
    return this.run('getLog', opts.signal, async () => {
      const key = runKey(uid, { project: opts.project });
      const offset = checkOffset(opts.offset);
      const head = await this.pool.query<{ size: string }>(`SELECT size FROM ${this.s}.log_heads WHERE project = $1 AND uid = $2`, [key.project, key.uid]);
      const size = Number(head.rows[0]?.size ?? 0);
      if (offset >= size) return { text: '', offset: size };
      const r = await this.pool.query<{ start: string; data: Buffer }>(
        `SELECT start, data FROM ${this.s}.log_chunks WHERE project = $1 AND uid = $2 AND start + length(data) > $3 ORDER BY start`,
        [key.project, key.uid, offset],
      );
      const first = r.rows[0] ? Number(r.rows[0].start) : offset;
      const buf = Buffer.concat(r.rows.map((c) => c.data));
      const from = utf8Boundary(buf, offset - first);
      return { text: buf.subarray(from).toString('utf8'), offset: first + buf.length };
    });
  }

  storeFeatureSet(dict: Record<string, unknown>, opts: SignalOptions = {}): Promise<void> {
    return this.run('storeFeatureSet', opts.signal, async () => {
      const row = featureSetRow(dict, this.clock());
      await this.pool.query(
        `INSERT INTO ${this.s}.feature_sets (project, name, tag, updated_ms, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (project, name, tag) DO UPDATE SET updated_ms = EXCLUDED.updated_ms, body = EXCLUDED.body`,
        [row.project, row.name, row.tag, row.updatedMs, JSON.stringify(row.body)],
      );
    });
  }

  getFeatureSet(name: string, opts: FeatureSetKeyOptions = {}): Promise<Record<string, unknown> | undefined> {
    return this.run('getFeatureSet', opts.signal, async () => {
      const r = await this.pool.query<{ body: Record<string, unknown> }>(
        `SELECT body FROM ${this.s}.feature_sets WHERE project = $1 AND name = $2 AND tag = $3`,
        [opts.project ?? DEFAULT_PROJECT, name, opts.tag ?? DEFAULT_TAG],
      );
      return r.rows[0]?.body;
    });
  }

  listFeatureSets(opts: FeatureSetFilter = {}): Promise<Record<string, unknown>[]> {
    return this.run('listFeatureSets', opts.signal, async () => {
      const where: string[] = [];
      const params: string[] = [];
      if (opts.project !== undefined && opts.project !== '*') {
        params.push(opts.project);
        where.push(`project = $${params.length}`);
      }
      if (opts.tag !== undefined) {
        params.push(opts.tag);
        where.push(`tag = $${params.length}`);
      }
      const sql = `SELECT body FROM ${this.s}.feature_sets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY project, name, tag`;
      return (await this.pool.query<{ body: Record<string, unknown> }>(sql, params)).rows.map((r) => r.body);
    });
  }

  tryLock(name: string, holder: string, ttlMs: number, opts: SignalOptions = {}): Promise<boolean> {
    return this.run('tryLock', opts.signal, async () => {
      checkLockArgs(name, holder, ttlMs);
      const now = this.clock().getTime();
      const r = await this.pool.query(
        `INSERT INTO ${this.s}.locks AS l (name, holder, expires_ms) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_ms = EXCLUDED.expires_ms
         WHERE l.holder = EXCLUDED.holder OR l.expires_ms <= $4
         RETURNING holder`,
        [name, holder, now + Math.ceil(ttlMs), now],
      );
      return r.rowCount === 1;
    });
  }

  readLock(name: string, opts: SignalOptions = {}): Promise<LockInfo | undefined> {
    return this.run('readLock', opts.signal, async () => {
      checkLockArgs(name, 'reader');
      const r = await this.pool.query<{ holder: string; expires_ms: string }>(`SELECT holder, expires_ms FROM ${this.s}.locks WHERE name = $1 AND expires_ms > $2`, [
        name,
        this.clock().getTime(),
      ]);
      const row = r.rows[0];
      return row ? { holder: row.holder, expiresAt: new Date(Number(row.expires_ms)) } : undefined;
    });
  }

  unlock(name: string, holder: string, opts: SignalOptions = {}): Promise<void> {
    return this.run('unlock', opts.signal, async () => {
      checkLockArgs(name, holder);
      await this.pool.query(`DELETE FROM ${this.s}.locks WHERE name = $1 AND holder = $2`, [name, holder]);
    });
  }

  storeSchedule(dict: Record<string, unknown>, opts: SignalOptions = {}): Promise<void> {
    return this.run('storeSchedule', opts.signal, async () => {
      const row = scheduleRow(dict, this.clock());
      await this.pool.query(
        `INSERT INTO ${this.s}.schedules (project, name, updated_ms, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project, name) DO UPDATE SET updated_ms = EXCLUDED.updated_ms, body = EXCLUDED.body`,
        [row.project, row.name, row.updatedMs, JSON.stringify(row.body)],
      );
    });
  }

  listSchedules(opts: ScheduleFilter = {}): Promise<Record<string, unknown>[]> {
    return this.run('listSchedules', opts.signal, async () => {
      const all = opts.project === undefined || opts.project === '*';
      const sql = `SELECT body FROM ${this.s}.schedules ${all ? '' : 'WHERE project = $1'} ORDER BY project, name`;
      return (await this.pool.query<{ body: Record<string, unknown> }>(sql, all ? [] : [opts.project])).rows.map((r) => r.body);
    });
  }

  deleteSchedule(name: string, opts: ScheduleKeyOptions = {}): Promise<boolean> {
    return this.run('deleteSchedule', opts.signal, async () => {
      const r = await this.pool.query(`DELETE FROM ${this.s}.schedules WHERE project = $1 AND name = $2`, [scheduleProject(opts.project), checkScheduleName(name)]);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
