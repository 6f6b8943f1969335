import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { duckQuery } from '../support/duckdb.js';
import { services, uniqueName } from '../support/services.js';
import { tmpDir } from '../support/tmp-dir.js';

const schema = uniqueName('incr');
let client: pg.Client;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  client = new pg.Client({ connectionString: services.pgUrl() });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".orders (id int8, user_id text, total float8, ts timestamptz)`);
});
afterAll(async () => {
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
  await cleanup();
});

const insert = (from: number, to: number) =>
  client.query(`INSERT INTO "${schema}".orders SELECT g, 'u' || (g % 3), g * 1.5, now() - INTERVAL '1 hour' + g * INTERVAL '1 second' FROM generate_series(${from}, ${to}) g`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('incremental schedule over PostgreSQL', () => {
  it('each fire ingests exactly the rows inserted since the previous one', async () => {
    await insert(1, 30);
    await writeFile(
      join(dir, 'orders.yaml'),
      [
        'kind: FeatureSet',
        'metadata: {name: orders}',
        'spec:',
        '  entities: [user_id]',
        '  timestamp_key: ts',
        `  source: {kind: sql, attributes: {db_url: "${services.pgUrl()}", table_name: "${schema}.orders"}}`,
        '  targets: [{name: offline, kind: parquet, path: out/, time_partitioning_granularity: day}]',
      ].join('\n'),
    );
    const env = { SLUICE_DB: join(dir, 'runs.db') };
    expect((await sluice(['schedule', 'add', 'orders.yaml', '--cron', '* * * * * *'], { cwd: dir, env })).code).toBe(0);
    const fired: number[] = [];
    for (const [from, to] of [[0, 0], [31, 40], [41, 45]] as const) {
      if (from > 0) await insert(from, to);
      await sleep(1100);
      const r = await sluice(['schedule', 'run-due', '--json'], { cwd: dir, env });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as Array<{ status: string; rowsRead?: number; window?: { start?: string } }>;
      expect(out[0]?.status).toBe('completed');
      fired.push(out[0]?.rowsRead ?? -1);
    }
    expect(fired).toEqual([30, 10, 5]);
    const rows = (await duckQuery(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_parquet('${dir}/out/**/*.parquet')`))[0];
    expect(rows).toEqual({ n: 45, ids: 45 });
    const runs = JSON.parse((await sluice(['runs', 'list', '--json'], { cwd: dir, env })).stdout) as Array<{ metadata: { labels: Record<string, string> }; spec: { parameters: Record<string, unknown> } }>;
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.metadata.labels.schedule === 'orders')).toBe(true);
    expect(runs[0]?.spec.parameters.start_time).toBeTruthy(); // the newest run's window is in its parameters
  }, 120_000);
});
