import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, FeatureSetProducer, runIngestion } from '../../../src/index.js';
import { localConnectors } from '../../support/ingest-connectors.js';
import { duckQuery } from '../../support/duckdb.js';
import { tmpDir } from '../../support/tmp-dir.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir()));
afterEach(async () => cleanup());

function featureSet(targets: DataTargetBase[], path = FIXTURE): FeatureSet {
  return new FeatureSet({
    name: 'transactions',
    project: 'demo',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'csv', path, attributes: { schema: { user_id: 'string', amount: 'float64', category: 'string', ts: 'timestamp' } } }),
    targets,
  });
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) if (e.isFile()) out.push(join(e.parentPath, e.name).slice(root.length + 1));
  return out.sort();
}

const sourceTotals = async () => (await duckQuery(`SELECT count(*) AS n, round(sum(amount), 2) AS total, count(DISTINCT user_id) AS users FROM read_csv('${FIXTURE}')`))[0];

describe('runIngestion: CSV → partitioned Parquet on local disk', () => {
  it('writes Hive partitions, a manifest and _SUCCESS, fills the status, and DuckDB reads back exactly the source rows', async () => {
    const fs = featureSet([new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, keyBucketingNumber: 4, timePartitioningGranularity: 'day' })]);
    const producer = new FeatureSetProducer({ kind: 'run', name: 'test', uri: 'demo@abc' });
    const res = await runIngestion(fs, { connectors: localConnectors(), runId: '1700000000000_1', producer });
    expect(res.rowsRead).toBe(2000);
    const root = `${dir}/out/1700000000000_1`;
    const files = await listFiles(root);
    expect(files).toContain('_SUCCESS');
    expect(files).toContain('_manifests/1700000000000_1.json');
    const data = files.filter((f) => f.endsWith('.parquet'));
    expect(data.every((f) => /^hash4_key=[0-3]\/year=2024\/month=01\/day=0[5-7]\/part-1700000000000_1-0-0\.parquet$/.test(f))).toBe(true);
    expect(data.length).toBe(12);
    const manifest = JSON.parse(await readFile(join(root, '_manifests/1700000000000_1.json'), 'utf8'));
    expect(manifest.rows).toBe(2000);
    expect(manifest.files).toHaveLength(12);
    expect(manifest.files[0].min_event_time).toMatch(/^2024-01-0[5-7]T/);

    const back = (await duckQuery(`SELECT count(*) AS n, round(sum(amount), 2) AS total, count(DISTINCT user_id) AS users FROM read_parquet('${root}/**/*.parquet', hive_partitioning = true)`))[0];
    expect(back).toEqual(await sourceTotals());
    const types = await duckQuery(`DESCRIBE SELECT * FROM read_parquet('${root}/**/*.parquet', hive_partitioning = false)`);
    expect(types.find((t) => t.column_name === 'ts')?.column_type).toBe('TIMESTAMP WITH TIME ZONE');

    const st = fs.status.getTarget('offline');
    expect(st?.status).toBe('ready');
    expect(st?.path).toBe(`${dir}/out/{run_id}/`);
    expect(st?.runId).toBe('1700000000000_1');
    expect(st?.rows).toBe(2000);
    expect(st?.size).toBe(manifest.bytes);
    expect(st?.lastWritten?.toISOString()).toBe((await duckQuery(`SELECT strftime(max(ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS m FROM read_csv('${FIXTURE}')`))[0]?.m);
    expect(st?.keyBucketingNumber).toBe(4);
    expect(st?.timePartitioningGranularity).toBe('day');
    expect(st?.producer?.uri).toBe('demo@abc');
  });

  it('a re-run with the same run id yields the same files and rows, never duplicates', async () => {
    const fs = featureSet([new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, keyBucketingNumber: 4 })]);
    await runIngestion(fs, { connectors: localConnectors(), runId: '5_5' });
    const first = await listFiles(`${dir}/out/5_5`);
    await runIngestion(fs, { connectors: localConnectors(), runId: '5_5' });
    expect(await listFiles(`${dir}/out/5_5`)).toEqual(first);
    expect((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${dir}/out/5_5/**/*.parquet')`))[0]?.n).toBe(2000);
  });

  it('append reuses the target run id directory; overwrite moves to a new one and removes the old', async () => {
    const fs = featureSet([new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, partitionCols: ['category'] })]);
    await runIngestion(fs, { connectors: localConnectors(), runId: '1_1' });
    await runIngestion(fs, { connectors: localConnectors(), runId: '2_2', overwrite: false });
    expect(fs.status.getTarget('offline')?.runId).toBe('1_1');
    expect((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${dir}/out/1_1/**/*.parquet')`))[0]?.n).toBe(4000);
    expect((await readdir(`${dir}/out/1_1/_manifests`)).sort()).toEqual(['1_1.json', '2_2.json']);
    await runIngestion(fs, { connectors: localConnectors(), runId: '3_3', overwrite: true });
    expect(fs.status.getTarget('offline')?.runId).toBe('3_3');
    expect(await readdir(`${dir}/out`)).toEqual(['3_3']);
    expect((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${dir}/out/3_3/**/*.parquet')`))[0]?.n).toBe(2000);
  });

  it('honours the time window: start exclusive, end inclusive', async () => {
    const fs = featureSet([new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, partitioned: false })]);
    const start = new Date('2024-01-06T00:00:00Z');
    const end = new Date('2024-01-06T12:00:00Z');
    const res = await runIngestion(fs, { connectors: localConnectors(), runId: '9_9', startTime: start, endTime: end });
    const expected = (await duckQuery(`SELECT count(*) AS n FROM read_csv('${FIXTURE}') WHERE ts > TIMESTAMPTZ '2024-01-06 00:00:00+00' AND ts <= TIMESTAMPTZ '2024-01-06 12:00:00+00'`))[0]?.n;
    expect(res.rowsRead).toBe(expected);
    expect(res.targets[0]?.rows).toBe(expected);
  });

  it('writes a single CSV file and a partitioned CSV directory', async () => {
    const fs = featureSet([
      new DataTargetBase({ name: 'one', kind: 'csv', path: `${dir}/flat/all.csv` }),
      new DataTargetBase({ name: 'parts', kind: 'csv', path: `${dir}/csvparts/`, partitionCols: ['category'] }),
    ]);
    await runIngestion(fs, { connectors: localConnectors(), runId: '4_4' });
    const single = await readFile(`${dir}/flat/4_4/all.csv`, 'utf8');
    expect(single.split('\n')[0]).toBe('user_id,amount,category,ts');
    expect(single.trim().split('\n')).toHaveLength(2001);
    expect(fs.status.getTarget('one')?.path).toBe(`${dir}/flat/{run_id}/all.csv`);
    const parts = (await listFiles(`${dir}/csvparts/4_4`)).filter((f) => f.endsWith('.csv'));
    expect(parts.map((p) => p.split('/')[0]).sort()).toEqual(['category=fuel', 'category=grocery', 'category=online', 'category=restaurant', 'category=travel']);
    const back = (await duckQuery(`SELECT count(*) AS n, round(sum(amount), 2) AS total FROM read_csv('${dir}/csvparts/4_4/*/*.csv', hive_partitioning = true)`))[0];
    expect(back).toEqual({ n: 2000, total: (await sourceTotals())?.total });
  });

  it('bad input stops the run naming file, line, column and value; nothing of the run is committed and earlier data stays', async () => {
    const fs = featureSet([new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, partitioned: false })]);
    await runIngestion(fs, { connectors: localConnectors(), runId: '1_1' });
    const before = await listFiles(`${dir}/out/1_1`);
    const bad = join(dir, 'bad.csv');
    const good = (await readFile(FIXTURE, 'utf8')).split('\n');
    good.splice(1500, 0, 'u001,not-a-number,fuel,2024-01-06T10:00:00Z');
    await writeFile(bad, good.join('\n'));
    const fs2 = featureSet([new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, partitioned: false })], bad);
    fs2.status = fs.status.copy();
    await expect(runIngestion(fs2, { connectors: localConnectors(), runId: '2_2', overwrite: false, })).rejects.toThrow(/bad\.csv.*line 1501.*amount.*not-a-number/s);
    expect(await listFiles(`${dir}/out/1_1`)).toEqual(before);
    expect(fs2.status.getTarget('offline')?.status).toBe('error');
    expect(fs2.status.getTarget('offline')?.runId).toBe('1_1');
  });

  it('refuses append on a single-file target and time partitioning without a time field', async () => {
    const fs = featureSet([new DataTargetBase({ name: 'one', kind: 'parquet', path: `${dir}/x.parquet` })]);
    await expect(runIngestion(fs, { connectors: localConnectors(), overwrite: false })).rejects.toThrow(/append \(overwrite: false\) is not possible on the single-file target/);
    const noTime = new FeatureSet({ name: 'nt', entities: ['user_id'], source: new DataSource({ kind: 'csv', path: FIXTURE }), targets: [new DataTargetBase({ name: 'p', kind: 'parquet', path: `${dir}/nt/`, timePartitioningGranularity: 'day' })] });
    await expect(runIngestion(noTime, { connectors: localConnectors() })).rejects.toThrow(/time/);
  });

  it('on_bad_row: quarantine keeps going, counts the rows and writes them with the reason to a side file', async () => {
    const bad = join(dir, 'q.csv');
    await writeFile(bad, 'user_id,amount,category,ts\nu1,1.5,x,2024-01-05T00:00:00Z\nu2,oops,x,2024-01-05T01:00:00Z\nu3,2.5,x\nu4,3.5,y,2024-01-05T02:00:00Z\n');
    const fs = new FeatureSet({
      name: 'q', entities: ['user_id'], timestampKey: 'ts',
      source: new DataSource({ kind: 'csv', path: bad, attributes: { on_bad_row: 'quarantine', quarantine_path: join(dir, 'bad-rows.jsonl'), schema: { amount: 'float64' } } }),
      targets: [new DataTargetBase({ name: 'p', kind: 'parquet', path: `${dir}/q/`, partitioned: false })],
    });
    const res = await runIngestion(fs, { connectors: localConnectors(), runId: '6_6' });
    expect(res.rowsRead).toBe(2);
    expect(res.rowsQuarantined).toBe(2);
    const side = (await readFile(join(dir, 'bad-rows.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(side).toHaveLength(2);
    expect(JSON.stringify(side[0])).toMatch(/oops/);
    expect(JSON.stringify(side[1])).toMatch(/line 4|fields/);
  });

  it('writes snappy by default and zstd, gzip or no compression when asked', async () => {
    for (const compression of ['snappy', 'zstd', 'gzip', 'none']) {
      const attrs = compression === 'snappy' ? {} : { compression };
      const fs = featureSet([new DataTargetBase({ name: 'p', kind: 'parquet', path: `${dir}/c-${compression}/`, partitioned: false, attributes: attrs })]);
      await runIngestion(fs, { connectors: localConnectors(), runId: '1_1' });
      const meta = await duckQuery(`SELECT DISTINCT compression FROM parquet_metadata('${dir}/c-${compression}/1_1/*.parquet')`);
      expect(meta.map((m) => String(m.compression).toLowerCase())).toEqual([compression === 'none' ? 'uncompressed' : compression]);
    }
    const bad = featureSet([new DataTargetBase({ name: 'p', kind: 'parquet', path: `${dir}/c-bad/`, attributes: { compression: 'lz0' } })]);
    await expect(runIngestion(bad, { connectors: localConnectors() })).rejects.toThrow('parquet target attributes.compression: "lz0" is not supported; use one of snappy, zstd, gzip, none');
  });
});
