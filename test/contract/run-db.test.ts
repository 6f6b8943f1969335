import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError, SpecError } from '../../src/errors.js';
import { openRunDB } from '../../src/run/db/open-run-db.js';
import { PostgresRunDB } from '../../src/run/db/postgres-run-db.js';
import { SqliteRunDB } from '../../src/run/db/sqlite-run-db.js';
import { services, uniqueName } from '../support/services.js';
import { tmpDir } from '../support/tmp-dir.js';
import { runDbContract } from './run-db.contract.js';

let dir: string;
let cleanupDir: (() => Promise<void>) | undefined;
const pgSchema = uniqueName('rundb');
const pgSchema2 = uniqueName('rundb');

beforeAll(async () => {
  const t = await tmpDir('sluice-rundb-');
  dir = t.dir;
  cleanupDir = t.cleanup;
});

afterAll(async () => {
  await cleanupDir?.();
  const client = new pg.Client(services.pgUrl());
  await client.connect();
  try {
    for (const s of [pgSchema, pgSchema2]) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
});

runDbContract('SqliteRunDB', async ({ clock }) => new SqliteRunDB({ path: join(dir, 'contract', 'runs.db'), clock }));
runDbContract('PostgresRunDB', ({ clock }) => PostgresRunDB.connect({ url: services.pgUrl(), schema: pgSchema, clock }));

describe('SqliteRunDB specifics', () => {
  it('creates the folder, uses WAL and records the schema version', async () => {
    const db = new SqliteRunDB({ cwd: join(dir, 'proj') });
    expect(db.path).toBe(join(dir, 'proj', '.sluice', 'runs.db'));
    await db.storeRun({ metadata: { uid: 'u' } });
    await db.close();
    const raw = new Database(join(dir, 'proj', '.sluice', 'runs.db'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(5);
    raw.close();
  });

  it('refuses a file from a newer Sluice and a file that is not a database, naming the path', async () => {
    const newer = join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => new SqliteRunDB({ path: newer })).toThrow(/newer\.db.*schema version 99.*upgrade Sluice/);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not sqlite, just text that is long enough to look like a header....................');
    expect(() => new SqliteRunDB({ path: junk })).toThrow(SluiceError);
    expect(() => new SqliteRunDB({ path: junk })).toThrow(/junk\.db/);
  });
});

describe('openRunDB', () => {
  it('opens <cwd>/.sluice/runs.db when nothing is set', async () => {
    const cwd = join(dir, 'default');
    const db = await openRunDB({ cwd, env: {} });
    expect(db).toBeInstanceOf(SqliteRunDB);
    await db.storeRun({ metadata: { uid: 'u' } });
    await db.close();
    expect(existsSync(join(cwd, '.sluice', 'runs.db'))).toBe(true);
  });

  it('opens SQLite from SLUICE_DB as sqlite:<path>, sqlite:///abs and a plain path; the option wins over the env', async () => {
    const cwd = join(dir, 'forms');
    const a = await openRunDB({ cwd, env: { SLUICE_DB: 'sqlite:rel/a.db' } });
    expect((a as SqliteRunDB).path).toBe(join(cwd, 'rel', 'a.db'));
    const b = await openRunDB({ cwd, env: { SLUICE_DB: `sqlite://${join(dir, 'abs-b.db')}` } });
    expect((b as SqliteRunDB).path).toBe(join(dir, 'abs-b.db'));
    const c = await openRunDB({ cwd, url: 'c.db', env: { SLUICE_DB: 'sqlite:ignored.db' } });
    expect((c as SqliteRunDB).path).toBe(join(cwd, 'c.db'));
    const m = await openRunDB({ url: 'sqlite::memory:' });
    expect((m as SqliteRunDB).path).toBe(':memory:');
    for (const db of [a, b, c, m]) await db.close();
    await expect(openRunDB({ url: 'sqlite:' })).rejects.toThrow(/SLUICE_DB.*no file path/);
  });

  it('opens PostgreSQL with the schema from ?schema=', async () => {
    const url = `${services.pgUrl()}?schema=${pgSchema2}`;
    const db = await openRunDB({ env: { SLUICE_DB: url } });
    expect(db).toBeInstanceOf(PostgresRunDB);
    await db.storeRun({ metadata: { uid: 'u', project: 'p' } });
    await db.close();
    const client = new pg.Client(services.pgUrl());
    await client.connect();
    const r = await client.query(`SELECT uid FROM "${pgSchema2}".runs`);
    await client.end();
    expect(r.rows).toEqual([{ uid: 'u' }]);
  });

  it('refuses an unknown scheme naming SLUICE_DB and the accepted forms, without the password', async () => {
    const err = await openRunDB({ env: { SLUICE_DB: 'mysql://bob:hunter2@db:3306/runs' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    const msg = (err as Error).message;
    expect(msg).toContain('SLUICE_DB');
    expect(msg).toContain('mysql://bob:***@db:3306/runs');
    expect(msg).toMatch(/postgres:\/\/.*sqlite:/);
    expect(msg).not.toContain('hunter2');
  });

  it('refuses a bad schema name and keeps the password out of connection errors', async () => {
    await expect(openRunDB({ url: `${services.pgUrl()}?schema=a;drop` })).rejects.toThrow(/schema "a;drop"/);
    const err = await openRunDB({ url: 'postgresql://bob:s3cr3t-pw@127.0.0.1:1/runs' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SluiceError);
    const msg = (err as Error).message;
    expect(msg).toContain('postgresql://bob:***@127.0.0.1:1/runs');
    expect(msg).not.toContain('s3cr3t-pw');
    expect((err as SluiceError).retryable).toBe(true);
    const err2 = await openRunDB({ url: 'postgres://bob@127.0.0.1:1/runs?password=q-pass-9&schema=s1' }).catch((e: unknown) => e);
    expect((err2 as Error).message).toContain('password=***');
    expect((err2 as Error).message).toContain('(schema s1)');
    expect((err2 as Error).message).not.toContain('q-pass-9');
  });
});
