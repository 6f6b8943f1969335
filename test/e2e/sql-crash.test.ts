import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, sluice } from '../support/cli.js';
import { duckQuery } from '../support/duckdb.js';
import { services, uniqueName } from '../support/services.js';
import { tmpDir } from '../support/tmp-dir.js';

const schema = uniqueName('crash');
const ROWS = 20_000;
let client: pg.Client;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  client = new pg.Client({ connectionString: services.pgUrl() });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(`CREATE TABLE "${schema}".events (id int8, user_id text, amount float8, ts timestamptz)`);
  await client.query(
    `INSERT INTO "${schema}".events SELECT g, 'u' || (g % 97), g * 0.5, TIMESTAMPTZ '2024-01-05 00:00:00+00' + g * INTERVAL '1 second' FROM generate_series(1, ${ROWS}) g`,
  );
});
afterAll(async () => {
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
  await cleanup();
});

async function parquetFiles(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.parquet') && !e.name.startsWith('.')).map((e) => e.name);
}

describe('crash of a scheduled SQL ingestion', () => {
  it('a process killed mid-run leaves the window uncommitted; the next fire re-runs it under the same run id and every row lands exactly once', async () => {
    await writeFile(
      join(dir, 'events.yaml'),
      [
        'kind: FeatureSet',
        'metadata: {name: pgevents}',
        'spec:',
        '  entities: [user_id]',
        '  timestamp_key: ts',
        `  source: {kind: sql, attributes: {db_url: "${services.pgUrl()}", table_name: "${schema}.events", chunksize: 500}}`,
        '  targets:',
        '    - {name: offline, kind: parquet, path: out/, key_bucketing_number: 4, max_events: 200, attributes: {max_file_bytes: 1}}',
      ].join('\n'),
    );
    const env = { SLUICE_DB: join(dir, 'runs.db') };
    const add = await sluice(['schedule', 'add', 'events.yaml', '--cron', '* * * * * *'], { cwd: dir, env });
    expect(add.code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // the next second's fire is due

    const child = spawn(process.execPath, [CLI, 'schedule', 'run-due'], { cwd: dir, env: { ...process.env, ...env }, stdio: 'ignore' });
    const root = join(dir, 'out');
    for (let i = 0; i < 1000 && (await parquetFiles(root)).length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const leftover = await parquetFiles(root);
    expect(leftover.length).toBeGreaterThanOrEqual(5);
    const runDir = (await readdir(root))[0] as string;
    expect(existsSync(join(root, runDir, '_SUCCESS'))).toBe(false);

    // The killed process held the schedule's lease; this stands in for its 60 s expiry.
    const db = new Database(join(dir, 'runs.db'));
    db.prepare('DELETE FROM locks').run();
    db.close();

    const again = await sluice(['schedule', 'run-due', '--json'], { cwd: dir, env });
    expect(again.code).toBe(0);
    const outcome = JSON.parse(again.stdout) as Array<{ status: string; rowsRead?: number }>;
    expect(outcome[0]?.status).toBe('completed');
    const counts = (await duckQuery(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_parquet('${root}/**/*.parquet')`))[0];
    expect(counts).toEqual({ n: ROWS, ids: ROWS });
    // The retry replaced the killed attempt's files: every visible file belongs to the committed manifest; at most
    // the hidden staging file the kill interrupted is left for vacuum.
    const vacuum = JSON.parse((await sluice(['vacuum', join(root, runDir), '--min-age', '0', '--dry-run', '--json'], { cwd: dir })).stdout) as { removed: string[] };
    expect(vacuum.removed.every((p) => p.split('/').pop()?.startsWith('.'))).toBe(true);
  }, 120_000);
});
