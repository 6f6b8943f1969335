import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, sluice } from '../support/cli.js';
import { duckQuery } from '../support/duckdb.js';
import { tmpDir } from '../support/tmp-dir.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  await mkdir(join(dir, 'fixtures'), { recursive: true });
  await cp(join(ROOT, 'fixtures/specs'), join(dir, 'fixtures/specs'), { recursive: true });
  await cp(join(ROOT, 'fixtures/data'), join(dir, 'fixtures/data'), { recursive: true });
});
afterAll(async () => cleanup());

async function files(root: string, pred: (name: string) => boolean): Promise<string[]> {
  if (!existsSync(root)) return [];
  return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && pred(e.name)).map((e) => join(e.parentPath, e.name));
}

describe('sluice ingest (the quick start job)', () => {
  it('ingests the shipped fixture into local partitioned Parquet and records the run', async () => {
    const r = await sluice(['ingest', 'fixtures/specs/transactions.yaml', '--run-id', '1000_1'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ingested 2000 rows of demo\/transactions:latest in [\d.]+ s \(\d+ rows\/s\); offline: 2000 rows, 12 files; run [0-9a-f]{32}$/);
    // where the data went (the committed run directory) and how to read it back
    expect(lines[1]).toBe('  offline (parquet): .sluice/data/transactions/1000_1/');
    const query = `SELECT * FROM read_parquet('.sluice/data/transactions/1000_1/**/*.parquet', hive_partitioning = true)`;
    expect(lines[2]).toBe(`    read back: duckdb -c "${query}"`);
    expect(lines.slice(3)).toEqual(['']);
    const root = join(dir, '.sluice/data/transactions/1000_1');
    expect((await duckQuery(`SELECT count(*) AS n FROM (${query.replace('.sluice', `${dir}/.sluice`)})`))[0]?.n).toBe(2000);
    expect((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${root}/**/*.parquet', hive_partitioning = true)`))[0]?.n).toBe(2000);
    const runs = JSON.parse((await sluice(['runs', 'list', '--json'], { cwd: dir })).stdout);
    expect(runs[0].status.results.rows_written).toEqual({ offline: 2000 });
    expect(runs[0].status.results.data_paths).toEqual({ offline: '.sluice/data/transactions/1000_1/' });
  });

  it('--json prints the run and the feature set status; bad settings exit 1 with a message, not a stack', async () => {
    const r = await sluice(['ingest', 'fixtures/specs/transactions.yaml', '--json', '--no-overwrite'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status.targets[0]).toMatchObject({ name: 'offline', status: 'ready', run_id: '1000_1' });
    const missing = await sluice(['ingest', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('sluice: error: cannot read feature set file nope.yaml: no such file\n');
    const badTime = await sluice(['ingest', 'fixtures/specs/transactions.yaml', '--start-time', 'yesterday'], { cwd: dir });
    expect(badTime.code).not.toBe(0);
    expect(badTime.stderr).toMatch(/--start-time: "yesterday" is not a time/);
    await writeFile(join(dir, 'bad.yaml'), 'kind: FeatureSet\nmetadata: {name: x}\nspec: {entities: [a], targetz: []}\n');
    const badSpec = await sluice(['ingest', 'bad.yaml'], { cwd: dir });
    expect(badSpec.stderr).toMatch(/^sluice: error: bad\.yaml: FeatureSet\.spec: unknown key "targetz"/);
    expect(badSpec.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('a bad row fails the run with the file, line, column and value; --source-path reads another file', async () => {
    await writeFile(join(dir, 'broken.csv'), 'user_id,amount,category,ts\nu1,1.5,x,2024-01-05T00:00:00Z\nu2,lots,x,2024-01-05T01:00:00Z\n');
    const r = await sluice(['ingest', 'fixtures/specs/transactions.yaml', '--source-path', 'broken.csv', '--no-overwrite'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.csv.*line 3.*amount.*"lots"/s);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('progress on a terminal', () => {
  it('shows a progress line with rows/s when stderr is a terminal (run under script(1) for a pty)', async () => {
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) => {
      execFile('script', ['-qc', `${process.execPath} ${CLI} ingest fixtures/specs/transactions.yaml --no-overwrite`, '/dev/null'], { cwd: dir, timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    expect(out).toMatch(/ingest transactions \| 2000 rows \| \d+ rows\/s/);
    expect(out).toMatch(/ingested 2000 rows of demo\/transactions:latest/);
  });
});

describe('crash safety', () => {
  it('a process killed mid-write leaves no partial file under a final name; vacuum removes leftovers; a re-run completes exactly once', async () => {
    const lines = ['user_id,amount,category,ts'];
    for (let i = 0; i < 300_000; i++) lines.push(`u${i % 5000},${(i % 997) / 10},c${i % 7},2024-01-${String(5 + (i % 3)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`);
    await writeFile(join(dir, 'big.csv'), `${lines.join('\n')}\n`);
    await writeFile(
      join(dir, 'big.yaml'),
      [
        'kind: FeatureSet',
        'metadata: {name: big}',
        'spec:',
        '  entities: [user_id]',
        '  timestamp_key: ts',
        '  source: {kind: csv, path: big.csv, attributes: {batch_size: 2000}}',
        '  targets:',
        '    - {name: offline, kind: parquet, path: out/, key_bucketing_number: 8, max_events: 500, attributes: {max_file_bytes: 4096, row_group_size: 500}}',
      ].join('\n'),
    );
    // A short heartbeat expiry: the killed run's feature-set lease runs out after 1 s (issue #8 item 8).
    const env = { ...process.env, SLUICE_HEARTBEAT_SECONDS: '0.2', SLUICE_HEARTBEAT_EXPIRY_SECONDS: '1' };
    const child = spawn(process.execPath, [CLI, 'ingest', 'big.yaml', '--run-id', '77_7'], { cwd: dir, stdio: 'ignore', env });
    const root = join(dir, 'out/77_7');
    for (let i = 0; i < 600 && (await files(root, (n) => n.endsWith('.parquet'))).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(root, '_SUCCESS'))).toBe(false);
    expect(existsSync(join(root, '_manifests/77_7.json'))).toBe(false);
    const finals = await files(root, (n) => n.endsWith('.parquet') && !n.startsWith('.'));
    expect(finals.length).toBeGreaterThan(0);
    for (const f of finals) await duckQuery(`SELECT count(*) FROM read_parquet('${f}')`); // each one is complete

    const vac = await sluice(['vacuum', root, '--min-age', '0', '--json'], { cwd: dir });
    expect(vac.code).toBe(0);
    expect(JSON.parse(vac.stdout).removed.length).toBeGreaterThanOrEqual(finals.length);
    expect(await files(root, () => true)).toEqual([]);

    const again = await sluice(['ingest', 'big.yaml', '--run-id', '77_7', '--lock-timeout', '30'], { cwd: dir });
    expect(again.code).toBe(0);
    expect((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${root}/**/*.parquet')`))[0]?.n).toBe(300_000);
  }, 120_000);
});
