/**
 * Issue #8 "Proof": `sluice ingest` SIGKILLed at several points — mid-write (timed by the files appearing) and at the
 * failpoints `before-manifest`, `after-manifest` and `after-commit` (src/util/failpoint.ts) — then retried with the same
 * run id: exactly the source's rows, no staging file, nothing that no manifest lists; and `sluice runs wait` on the
 * killed run returns `error` (its heartbeat expired).
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, sluice } from '../support/cli.js';
import { duckQuery } from '../support/duckdb.js';
import { tmpDir } from '../support/tmp-dir.js';

const ROWS = 120_000;
const RUN_ID = '1700000000000_7';
const ENV = { SLUICE_HEARTBEAT_SECONDS: '0.2', SLUICE_HEARTBEAT_EXPIRY_SECONDS: '1' };
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(() => ensureBuilt());
beforeEach(async () => {
  ({ dir, cleanup } = await tmpDir());
  const lines = ['user_id,amount,category,ts'];
  for (let i = 0; i < ROWS; i++) lines.push(`u${i % 4000},${(i % 997) / 10},c${i % 5},2024-01-${String(1 + (i % 9)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`);
  await writeFile(join(dir, 'tx.csv'), `${lines.join('\n')}\n`);
  await writeFile(
    join(dir, 'tx.yaml'),
    [
      'kind: FeatureSet',
      'metadata: {name: crash, project: faults}',
      'spec:',
      '  entities: [{name: user_id, value_type: str}]',
      '  timestamp_key: ts',
      '  source: {kind: csv, path: tx.csv, attributes: {batch_size: 4000}}',
      '  targets:',
      '    - {name: offline, kind: parquet, path: out/, key_bucketing_number: 4, time_partitioning_granularity: day, max_events: 2000, attributes: {max_file_bytes: 20000}}',
    ].join('\n'),
  );
});
afterEach(async () => cleanup());

async function allFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])) if (e.isFile()) out.push(relative(root, join(e.parentPath, e.name)));
  return out.sort();
}

/** Starts `sluice ingest`, kills it with SIGKILL when `when` says so (or lets the failpoint do it), resolves on exit. */
async function killedIngest(o: { failpoint?: string; when?: () => Promise<boolean> }): Promise<string | null> {
  const child = spawn(process.execPath, [CLI, 'ingest', 'tx.yaml', '--run-id', RUN_ID], {
    cwd: dir,
    env: { ...process.env, ...ENV, ...(o.failpoint ? { SLUICE_FAILPOINT: o.failpoint } : {}) },
    stdio: 'ignore',
  });
  const exited = new Promise<string | null>((r) => child.once('exit', (_code, signal) => r(signal)));
  if (o.when) {
    for (let i = 0; i < 1500 && child.exitCode === null && !(await o.when()); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
  }
  return exited;
}

async function checkRecovered(): Promise<void> {
  // The killed run is found and reported as stopped.
  const list = JSON.parse((await sluice(['runs', 'list', '--project', 'faults', '--json'], { cwd: dir })).stdout) as Array<{ metadata: { uid: string }; status: { state: string } }>;
  expect(list).toHaveLength(1);
  const uid = list[0]!.metadata.uid;
  const wait = await sluice(['runs', 'wait', uid], { cwd: dir, env: ENV });
  expect(wait.code).toBe(1);
  expect(wait.stdout).toMatch(/error: the process running it stopped/);

  // The retry with the same run id waits out the dead run's lease and completes exactly once.
  const retry = await sluice(['ingest', 'tx.yaml', '--run-id', RUN_ID, '--lock-timeout', '30'], { cwd: dir, env: ENV });
  expect(retry.stderr).toBe('');
  expect(retry.code).toBe(0);
  const root = join(dir, 'out', RUN_ID);
  const files = await allFiles(root);
  expect(files.filter((f) => f.split('/').some((p) => p.startsWith('.')))).toEqual([]);
  const manifest = JSON.parse(await readFile(join(root, '_manifests', `${RUN_ID}.json`), 'utf8')) as { rows: number; files: Array<{ path: string }> };
  expect(manifest.rows).toBe(ROWS);
  const listed = manifest.files.map((f) => f.path).sort();
  expect(files.filter((f) => f.endsWith('.parquet'))).toEqual(listed);
  const back = (await duckQuery(`SELECT count(*) AS n, count(DISTINCT user_id) AS users, round(sum(amount), 1) AS total FROM read_parquet('${root}/**/*.parquet')`))[0];
  expect(back).toEqual({ n: ROWS, users: 4000, total: Math.round(Array.from({ length: ROWS }, (_, i) => (i % 997) / 10).reduce((a, b) => a + b, 0) * 10) / 10 });
  const runs = JSON.parse((await sluice(['runs', 'list', '--project', 'faults', '--json'], { cwd: dir })).stdout) as Array<{ status: { state: string } }>;
  expect(runs.map((r) => r.status.state)).toEqual(['completed', 'error']);
}

describe('sluice ingest killed with SIGKILL, then retried with the same run id', () => {
  it('mid-write (some part files final, more being written)', async () => {
    const signal = await killedIngest({ when: async () => (await allFiles(join(dir, 'out', RUN_ID))).filter((f) => f.endsWith('.parquet')).length >= 3 });
    expect(signal).toBe('SIGKILL');
    expect((await allFiles(join(dir, 'out', RUN_ID))).some((f) => f.startsWith('_manifests'))).toBe(false);
    await checkRecovered();
  }, 120_000);

  it.each(['before-manifest', 'after-manifest', 'after-commit'])('at the failpoint %s', async (point) => {
    const signal = await killedIngest({ failpoint: point });
    expect(signal).toBe('SIGKILL');
    const left = await allFiles(join(dir, 'out', RUN_ID));
    expect(left.includes('_SUCCESS')).toBe(point === 'after-commit');
    await checkRecovered();
  }, 120_000);
});
