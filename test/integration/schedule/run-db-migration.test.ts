import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRunDB } from '../../../src/run/db/postgres-run-db.js';
import { SqliteRunDB } from '../../../src/run/db/sqlite-run-db.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
const schema = uniqueName('sched_mig');

beforeAll(async () => {
  ({ dir, cleanup } = await tmpDir('sluice-mig-'));
});
afterAll(async () => {
  await cleanup();
  const c = new pg.Client(services.pgUrl());
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

describe('run db schema version 2 (schedules) migrates existing version-1 dbs', () => {
  it('SQLite: a version-1 file gets the schedules table and keeps its runs', async () => {
    const path = join(dir, 'v1.db');
    const raw = new Database(path);
    raw.exec(`CREATE TABLE runs (project TEXT NOT NULL, uid TEXT NOT NULL, iteration INTEGER NOT NULL, name TEXT, state TEXT,
      start_ms INTEGER, updated_ms INTEGER NOT NULL, labels TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (project, uid, iteration));
      CREATE TABLE locks (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms INTEGER NOT NULL);`);
    raw.prepare('INSERT INTO runs VALUES (?, ?, 0, ?, ?, NULL, 1, ?, ?)').run('p', 'old-run', 'ingest', 'completed', '{}', JSON.stringify({ metadata: { uid: 'old-run', project: 'p', iteration: 0 }, status: { state: 'completed' } }));
    raw.pragma('user_version = 1');
    raw.close();

    const db = new SqliteRunDB({ path });
    expect((await db.readRun('old-run', { project: 'p' }))?.status?.state).toBe('completed');
    await db.storeSchedule({ name: 's', project: 'p', cron: '* * * * *' });
    expect(await db.listSchedules({ project: 'p' })).toEqual([{ name: 's', project: 'p', cron: '* * * * *' }]);
    await db.close();
    const after = new Database(path, { readonly: true });
    // Every later migration runs too (3: heartbeat columns; 4: the list-order indexes of keyset paging; 5: abort requests).
    expect(after.pragma('user_version', { simple: true })).toBe(5);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'runs%list' ORDER BY name").all()).toEqual([{ name: 'runs_list' }, { name: 'runs_project_list' }]);
    after.close();
  });

  it('SQLite: a version-2 file (before heartbeats) gets the heartbeat columns; its running runs never expire until they beat', async () => {
    const path = join(dir, 'v2.db');
    const raw = new Database(path);
    raw.exec(`CREATE TABLE runs (project TEXT NOT NULL, uid TEXT NOT NULL, iteration INTEGER NOT NULL, name TEXT, state TEXT,
      start_ms INTEGER, updated_ms INTEGER NOT NULL, labels TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (project, uid, iteration));
      CREATE TABLE locks (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms INTEGER NOT NULL);
      CREATE TABLE schedules (project TEXT NOT NULL, name TEXT NOT NULL, updated_ms INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (project, name));`);
    raw.prepare('INSERT INTO runs VALUES (?, ?, 0, ?, ?, NULL, 1, ?, ?)').run('p', 'old-running', 'ingest', 'running', '{}', JSON.stringify({ metadata: { uid: 'old-running', project: 'p', iteration: 0 }, status: { state: 'running' } }));
    raw.pragma('user_version = 2');
    raw.close();

    let now = Date.parse('2024-01-01T00:00:00Z');
    const db = new SqliteRunDB({ path, clock: () => new Date(now) });
    expect((await db.listRuns({ project: 'p' })).map((r) => r.status?.state)).toEqual(['running']);
    await db.heartbeat('old-running', 1000, { project: 'p' });
    now += 1000;
    expect((await db.readRun('old-running', { project: 'p' }))?.status?.error).toBe('the process running it stopped (no heartbeat since 2024-01-01T00:00:00.000+00:00)');
    await db.close();
  });

  it('SQLite: a version-3 file (before abort requests) gets the abort column; its live runs can be aborted', async () => {
    const path = join(dir, 'v3.db');
    const raw = new Database(path);
    raw.exec(`CREATE TABLE runs (project TEXT NOT NULL, uid TEXT NOT NULL, iteration INTEGER NOT NULL, name TEXT, state TEXT,
      start_ms INTEGER, updated_ms INTEGER NOT NULL, labels TEXT NOT NULL, body TEXT NOT NULL, heartbeat_ms INTEGER, stale_ms INTEGER,
      PRIMARY KEY (project, uid, iteration));
      CREATE TABLE locks (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms INTEGER NOT NULL);
      CREATE TABLE schedules (project TEXT NOT NULL, name TEXT NOT NULL, updated_ms INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (project, name));`);
    const now = Date.now();
    raw.prepare('INSERT INTO runs VALUES (?, ?, 0, ?, ?, NULL, 1, ?, ?, ?, ?)').run('p', 'live', 'ingest', 'running', '{}', JSON.stringify({ metadata: { uid: 'live', project: 'p', iteration: 0 }, status: { state: 'running' } }), now, now + 600_000);
    raw.pragma('user_version = 3');
    raw.close();

    const db = new SqliteRunDB({ path });
    expect(await db.heartbeat('live', 600_000, { project: 'p' })).toEqual({ abortRequested: false });
    expect(await db.abortRun('live', { project: 'p' })).toBe('aborting');
    expect(await db.heartbeat('live', 600_000, { project: 'p' })).toEqual({ abortRequested: true });
    await db.close();
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(5);
    after.close();
  });

  it('PostgreSQL: a version-1 schema gets the schedules table and version 2', async () => {
    const c = new pg.Client(services.pgUrl());
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".meta (key text PRIMARY KEY, value text NOT NULL);
        INSERT INTO "${schema}".meta VALUES ('schema_version', '1');`);
      const db = await PostgresRunDB.connect({ url: services.pgUrl(), schema });
      await db.storeSchedule({ name: 's', cron: '0 * * * *' });
      expect(await db.listSchedules()).toEqual([{ name: 's', project: 'default', cron: '0 * * * *' }]);
      expect(await db.deleteSchedule('s')).toBe(true);
      await db.close();
      const v = await c.query(`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`);
      expect(v.rows).toEqual([{ value: '4' }]);
    } finally {
      await c.end();
    }
  });
});
