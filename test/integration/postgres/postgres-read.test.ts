import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, BadInputError, DataSource, NotFoundError, SluiceError } from '../../../src/index.js';
import { parsePostgresOptions, PostgresSource } from '../../../connectors/postgres/index.js';
import type { PgConnectOptions } from '../../../connectors/postgres/index.js';
import { services, uniqueName } from '../../support/services.js';
import { readAll } from '../../support/read-all.js';

const SCHEMA = uniqueName('sluice_pg_read');
const EVENTS = `${SCHEMA}.events`;
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: services.pgUrl() });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  // 10 events, one per hour from 2024-01-01T00:00Z, the last one 1 µs past its hour.
  await admin.query(`CREATE TABLE ${EVENTS} (id int4, user_id text, amount float8, ts timestamptz, country text, "we""ird" int4)`);
  await admin.query(`INSERT INTO ${EVENTS}
    SELECT g, 'u' || (g % 3), g * 1.5, '2024-01-01T00:00:00Z'::timestamptz + (g - 1) * interval '1 hour' + CASE WHEN g = 10 THEN interval '1 microsecond' ELSE interval '0' END,
           (ARRAY['US', 'DE', 'FR'])[g % 3 + 1], g
    FROM generate_series(1, 10) g ORDER BY random()`);
  await admin.query(`CREATE TABLE ${SCHEMA}.big (id int8, v text)`);
  await admin.query(`INSERT INTO ${SCHEMA}.big SELECT g, md5(g::text) FROM generate_series(1, 50000) g`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
});

function source(o: { attributes?: Record<string, unknown>; spec?: Partial<ConstructorParameters<typeof DataSource>[0]>; connect?: PgConnectOptions } = {}): PostgresSource {
  const spec = new DataSource({ kind: 'sql', keyField: 'id', timeField: 'ts', ...o.spec, attributes: { db_url: services.pgUrl(), table_name: EVENTS, ...o.attributes } });
  return new PostgresSource(parsePostgresOptions(spec), o.connect);
}

const readBatches = async (src: PostgresSource, batchSize?: number) => (await readAll(src, { batchSize })).batches;

async function ids(src: PostgresSource): Promise<number[]> {
  return (await readBatches(src)).flatMap((b) => [...b.getChild('id')!] as number[]);
}

describe('sql source: table_name and query', () => {
  it('reads a table ordered by time_field, then key', async () => {
    expect(await ids(source())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(source().description).toBe(`sql ${services.pgUrl()} table "${SCHEMA}"."events"`);
  });

  it('reads a query wrapped as a subquery (trailing ; dropped) and filters on its columns', async () => {
    const src = source({
      attributes: { table_name: undefined, query: `SELECT id, ts, amount * 2 AS doubled FROM ${EVENTS} WHERE country <> 'FR';`, additional_filters: [['doubled', '>', 10]] },
    });
    expect(src.description).toMatch(/^sql postgres:\/\/.* query "SELECT id, ts, amount \* 2 AS doubled FROM/);
    const batches = await readBatches(src);
    expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(['id', 'ts', 'doubled']);
    expect(batches.flatMap((b) => [...b.getChild('id')!])).toEqual([4, 6, 7, 9, 10]);
  });

  it('a missing table is a NotFoundError naming it', async () => {
    const err = await readBatches(source({ attributes: { table_name: `${SCHEMA}.nope` } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toMatch(new RegExp(`table "${SCHEMA}"\\."nope".*does not exist`));
  });
});

describe('sql source: time window and additional_filters pushed into the WHERE clause', () => {
  const at = (h: number) => new Date(Date.UTC(2024, 0, 1, h));
  it('start_time is exclusive, end_time inclusive, to the microsecond', async () => {
    expect(await ids(source({ spec: { startTime: at(2), endTime: at(5) } }))).toEqual([4, 5, 6]);
    expect(await ids(source({ spec: { startTime: at(8) } }))).toEqual([10]);
    // id 10 is at 09:00:00.000001: an end at 09:00 excludes it, a start at 09:00 includes it.
    expect(await ids(source({ spec: { endTime: at(9) } }))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await ids(source({ spec: { startTime: at(9) } }))).toEqual([10]);
  });

  it('applies every filter op with bound values', async () => {
    const f = async (filters: unknown[]) => ids(source({ attributes: { additional_filters: filters } }));
    expect(await f([['country', '==', 'US']])).toEqual([3, 6, 9]);
    expect(await f([['country', '=', 'US'], ['amount', '<=', 9]])).toEqual([3, 6]);
    expect(await f([['country', '!=', 'US'], ['id', '<', 4]])).toEqual([1, 2]);
    expect(await f([['id', '>=', 9]])).toEqual([9, 10]);
    expect(await f([['id', '>', 8.5]])).toEqual([9, 10]);
    expect(await f([['user_id', 'in', ['u0', 'u2']]])).toEqual([2, 3, 5, 6, 8, 9]);
    expect(await f([['user_id', 'not in', ['u0', 'u2']], ['id', 'in', [1, 4, 5]]])).toEqual([1, 4]);
    expect(await f([['ts', '>', '2024-01-01T07:00:00Z']])).toEqual([9, 10]);
    expect(await f([['country', '<', 'E']])).toEqual([1, 4, 7, 10]);
    expect(await f([['we"ird', '==', 2]])).toEqual([2]);
  });

  it('a filter value that tries SQL injection is only a value', async () => {
    const evil = "US' OR '1'='1";
    expect(await ids(source({ attributes: { additional_filters: [['country', '==', evil]] } }))).toEqual([]);
    expect(await ids(source({ attributes: { additional_filters: [['country', 'in', [evil, 'DE']]] } }))).toEqual([1, 4, 7, 10]);
    const r = await admin.query(`SELECT count(*)::int AS n FROM ${EVENTS}`);
    expect(r.rows[0].n).toBe(10);
  });

  it('a column name that tries SQL injection is refused, listing the columns', async () => {
    const evil = 'id" = 1 OR "id';
    const err = await readBatches(source({ attributes: { additional_filters: [[evil, '==', 1]] } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toContain(`filter column \`${evil}\` is not in the data; columns: id, user_id, amount, ts, country, we"ird`);
    const tableErr = await readBatches(source({ attributes: { table_name: `events"; DROP TABLE ${EVENTS}; --` } })).catch((e: unknown) => e);
    expect(tableErr).toBeInstanceOf(NotFoundError);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${EVENTS}`)).rows[0].n).toBe(10);
  });

  it('unknown key or time fields, and a window on a non-time column, are BadInputErrors', async () => {
    await expect(readBatches(source({ spec: { keyField: 'nope' } }))).rejects.toThrow(/key column `nope` is not in the data; columns: id, user_id/);
    await expect(readBatches(source({ spec: { timeField: 'when' } }))).rejects.toThrow(/time column `when` is not in the data/);
    await expect(readBatches(source({ spec: { timeField: 'id', startTime: new Date(0) } }))).rejects.toThrow(BadInputError);
    await expect(readBatches(source({ spec: { timeField: 'id', startTime: new Date(0) } }))).rejects.toThrow(/time column `id` is int4; a time window needs a timestamp/);
    await expect(readBatches(source({ attributes: { additional_filters: [['amount', '>', 'lots']] } }))).rejects.toThrow(/additional_filters\[0\]: value "lots" does not fit column `amount`/);
  });
});

describe('sql source: bounded batches, abort and connections', () => {
  it('50k rows with chunksize 7000 arrive in batches of at most 7000, all rows once', async () => {
    const src = source({ spec: { keyField: 'id', timeField: undefined }, attributes: { table_name: `${SCHEMA}.big`, chunksize: 7000 } });
    const batches = await readBatches(src);
    expect(batches.map((b) => b.numRows)).toEqual([7000, 7000, 7000, 7000, 7000, 7000, 7000, 1000]);
    const all = batches.flatMap((b) => [...b.getChild('id')!] as bigint[]);
    expect(all.length).toBe(50_000);
    expect(all[0]).toBe(1n);
    expect(all[49_999]).toBe(50_000n);
    expect(src.stats.rowsRead).toBe(50_000);
    // batchSize of the read bounds it further.
    expect((await readBatches(src, 3000)).every((b) => b.numRows <= 3000)).toBe(true);
  });

  it('an abort between fetches closes the cursor, rolls back and returns the connection to the pool', async () => {
    const pool = new pg.Pool({ connectionString: services.pgUrl(), max: 2 });
    try {
      const src = source({ spec: { timeField: undefined }, attributes: { table_name: `${SCHEMA}.big`, chunksize: 1000 }, connect: { pool } });
      const ac = new AbortController();
      let seen = 0;
      const err = await (async () => {
        for await (const b of src.read({ signal: ac.signal })) {
          seen += b.numRows;
          expect(pool.idleCount).toBe(0);
          if (seen >= 2000) ac.abort();
        }
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AbortedError);
      expect(seen).toBe(2000);
      expect(pool.totalCount).toBe(1);
      expect(pool.idleCount).toBe(1);
      // The returned connection is clean: no open transaction, no cursor left.
      const c = await pool.connect();
      const r = await c.query(`SELECT txid_current_if_assigned() AS tx, (SELECT count(*)::int FROM pg_cursors) AS cursors`);
      c.release();
      expect(r.rows[0]).toEqual({ tx: null, cursors: 0 });
    } finally {
      await pool.end();
    }
  });

  it('breaking out of the loop early also releases the connection; an abort during a slow fetch closes it', async () => {
    const pool = new pg.Pool({ connectionString: services.pgUrl(), max: 1 });
    try {
      const src = source({ spec: { timeField: undefined }, attributes: { table_name: `${SCHEMA}.big`, chunksize: 500 }, connect: { pool } });
      for await (const b of src.read()) {
        expect(b.numRows).toBe(500);
        break;
      }
      expect([pool.totalCount, pool.idleCount]).toEqual([1, 1]);
      const slow = source({
        spec: { timeField: undefined, keyField: undefined },
        attributes: { table_name: undefined, query: 'SELECT g AS id FROM generate_series(1, 300) g WHERE pg_sleep(0.01) IS NOT NULL', chunksize: 300 },
        connect: { pool },
      });
      const ac = new AbortController();
      const t0 = Date.now();
      setTimeout(() => ac.abort(), 200);
      // One FETCH of 300 rows takes about 3 s on the server; the abort must not wait for it.
      const err = await (async () => {
        for await (const _ of slow.read({ signal: ac.signal })) void _;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AbortedError);
      expect(Date.now() - t0).toBeLessThan(1500);
      await new Promise((r) => setTimeout(r, 50));
      expect(pool.totalCount).toBe(0);
      expect(pool.idleCount).toBe(pool.totalCount);
      expect(pool.waitingCount).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('a refused connection is a retryable IO error showing the URL without its password', async () => {
    const url = 'postgres://postgres:s3cr3t-pw@127.0.0.1:1/test';
    const src = new PostgresSource(parsePostgresOptions(new DataSource({ kind: 'sql', attributes: { db_url: url, table_name: 'x' } })));
    expect(src.description).toBe('sql postgres://postgres:***@127.0.0.1:1/test table "x"');
    const err = await readBatches(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).code).toBe('IO');
    expect((err as SluiceError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/^sql postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test table "x": .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('s3cr3t');
    const schemaErr = await src.schema().catch((e: unknown) => e);
    expect((schemaErr as Error).message).not.toContain('s3cr3t');
  });

  it('a URL with a password works on the trust server; the password from the secrets fills a URL without one', async () => {
    const withPw = services.pgUrl().replace('postgres://postgres@', 'postgres://postgres:any-pw@');
    expect(await ids(source({ attributes: { db_url: withPw }, spec: { startTime: new Date(Date.UTC(2024, 0, 1, 7)) } }))).toEqual([9, 10]);
    const secrets = { get: (k: string) => ({ SQL_DB_URL: services.pgUrl(), PG_PASSWORD: 'from-secret' } as Record<string, string>)[k] };
    const opts = parsePostgresOptions(new DataSource({ kind: 'sqldb', keyField: 'id', attributes: { table_name: EVENTS } }), { secrets, env: {} });
    expect(opts.url.display).toBe(services.pgUrl().replace('postgres://postgres@', 'postgres://postgres:***@'));
    expect(opts.description).not.toContain('from-secret');
    expect((await readBatches(new PostgresSource(opts))).reduce((n, b) => n + b.numRows, 0)).toBe(10);
  });
});
