/**
 * Several OS processes write one SQLite run db at once (WAL + busy timeout + BEGIN IMMEDIATE): every run, log
 * byte and lock decision must survive, and no SQLITE_BUSY may escape. The children cannot load TypeScript, so
 * the test transpiles sqlite-run-db.ts and its relative imports with the TypeScript compiler first.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteRunDB } from '../../src/run/db/sqlite-run-db.js';
import { tmpDir } from '../support/tmp-dir.js';
import { transpileClosure } from '../support/transpile-closure.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = join(ROOT, 'test/support/run-db-writer.mjs');
const WORKERS = 4;
const RUNS = 200;

function runChild(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('SqliteRunDB with several processes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tmpDir('sluice-rundb-mp-'));
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('keeps every run, log byte and lock decision of concurrent writers', { timeout: 120_000 }, async () => {
    const build = join(dir, 'build');
    mkdirSync(build);
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir'); // so the build resolves better-sqlite3
    const moduleUrl = transpileClosure([join(ROOT, 'src/run/db/sqlite-run-db.ts')], build)[0]!;
    const dbPath = join(dir, 'shared', 'runs.db');
    const startAt = String(Date.now() + 1500);

    const children = Array.from({ length: WORKERS }, (_, w) => runChild([moduleUrl, dbPath, `w${w}`, String(RUNS), startAt]));
    // The children create the db file and schema at the same moment; then the test tails the shared log by offset.
    await new Promise((r) => setTimeout(r, Number(startAt) - Date.now() + 100));
    const tail = new SqliteRunDB({ path: dbPath });
    let tailed = '';
    let offset = 0;
    let running = true;
    const done = Promise.all(children).finally(() => (running = false));
    while (running) {
      const slice = await tail.getLog('shared', { project: 'mp', offset });
      tailed += slice.text;
      offset = slice.offset;
      await new Promise((r) => setTimeout(r, 20));
    }
    const results = await done;

    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const runs = await tail.listRuns({ project: 'mp' });
    expect(runs).toHaveLength(WORKERS * RUNS);
    expect(new Set(runs.map((r) => r.metadata.uid)).size).toBe(WORKERS * RUNS);
    expect(runs.every((r) => r.status?.state === 'completed')).toBe(true);
    expect(await tail.listRuns({ project: 'mp', labels: { worker: 'w2' } })).toHaveLength(RUNS);
    expect((await tail.getLog('w3-199', { project: 'mp' })).text).toBe('run w3-199 started ✓\n');

    const expected = Array.from({ length: WORKERS }, (_, w) => Array.from({ length: RUNS }, (__, i) => `w${w} line ${i} ✓ ü`)).flat();
    const full = await tail.getLog('shared', { project: 'mp' });
    expect(full.offset).toBe(expected.reduce((n, l) => n + Buffer.byteLength(`${l}\n`), 0));
    expect(full.text.split('\n').filter(Boolean).sort()).toEqual([...expected].sort());
    const rest = await tail.getLog('shared', { project: 'mp', offset });
    expect(tailed + rest.text).toBe(full.text);

    const wins = results.map((r) => (JSON.parse(r.stdout) as { wins: number[] }).wins).flat();
    expect(wins.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await tail.close();
  });
});
