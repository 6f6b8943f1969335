import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError, DataSource, DataTargetBase, Entity, FeatureSet, runIngestion } from '../../../src/index.js';
import { localConnectors } from '../../support/ingest-connectors.js';
import { duckQuery } from '../../support/duckdb.js';
import { tmpDir } from '../../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-declared-')));
afterEach(async () => cleanup());

function featureSet(path: string, o: { entities?: Entity[]; features?: Entity[]; attributes?: Record<string, unknown> } = {}): FeatureSet {
  const fs = new FeatureSet({
    name: 'users',
    entities: o.entities ?? [new Entity({ name: 'user_id', valueType: 'str' })],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'csv', path, attributes: o.attributes ?? {} }),
    targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, keyBucketingNumber: 4, timePartitioningGranularity: 'day' })],
  });
  if (o.features) fs.spec.features = o.features;
  return fs;
}

async function csvFile(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe('runIngestion: the feature set declares column types', () => {
  it('an entity with value_type str keeps CSV keys 001..019 as strings, so buckets match MLRun and a later key abc reads', async () => {
    const lines = Array.from({ length: 19 }, (_, i) => `${String(i + 1).padStart(3, '0')},2024-01-05T10:00:00Z,${i}`);
    const path = await csvFile('u.csv', `user_id,ts,n\n${lines.join('\n')}\nabc,2024-01-05T11:00:00Z,99\n`);
    const res = await runIngestion(featureSet(path, { attributes: { infer_rows: 5 } }), { connectors: localConnectors(), runId: '1700000000000_1' });
    expect(res.rowsRead).toBe(20);
    const root = `${dir}/out/1700000000000_1`;
    const rows = await duckQuery(`SELECT user_id, hash4_key AS b FROM read_parquet('${root}/**/*.parquet', hive_partitioning = true) ORDER BY user_id`);
    expect(rows.map((r) => r.user_id)).toContain('007');
    expect(rows.map((r) => r.user_id)).toContain('abc');
    const types = await duckQuery(`DESCRIBE SELECT * FROM read_parquet('${root}/**/*.parquet', hive_partitioning = false)`);
    expect(types.find((t) => t.column_name === 'user_id')?.column_type).toBe('VARCHAR');
  });

  it('features value types drive their columns; attributes.schema wins over a value_type', async () => {
    const path = await csvFile('f.csv', 'user_id,ts,zip,score\n1,2024-01-05T10:00:00Z,01234,7\n2,2024-01-05T10:00:00Z,02345,8\n');
    const fs = featureSet(path, {
      entities: [new Entity({ name: 'user_id', valueType: 'str' })],
      features: [new Entity({ name: 'zip', valueType: 'str' }), new Entity({ name: 'score', valueType: 'float' })],
      attributes: { schema: { user_id: 'int64' } },
    });
    await runIngestion(fs, { connectors: localConnectors(), runId: '1700000000000_2' });
    const root = `${dir}/out/1700000000000_2`;
    const types = await duckQuery(`DESCRIBE SELECT * FROM read_parquet('${root}/**/*.parquet', hive_partitioning = false)`);
    const t = (c: string) => types.find((x) => x.column_name === c)?.column_type;
    expect([t('user_id'), t('zip'), t('score')]).toEqual(['BIGINT', 'VARCHAR', 'DOUBLE']);
    const rows = await duckQuery(`SELECT zip FROM read_parquet('${root}/**/*.parquet') ORDER BY zip`);
    expect(rows.map((r) => r.zip)).toEqual(['01234', '02345']);
  });
});

describe('runIngestion: null keys and empty times are bad rows named by their real line', () => {
  // Line 1 header; line 2-3 one record with a quoted newline; so the record on line 5 is the 3rd data row.
  const text = 'user_id,ts,note\nu1,2024-01-05T10:00:00Z,"two\nlines"\nu2,2024-01-05T10:00:00Z,x\n,2024-01-05T10:00:00Z,no key\nu4,,no time\nu5,2024-01-05T10:00:00Z,y\n';

  it('without on_bad_row the run stops naming the file, the line and the key column', async () => {
    const path = await csvFile('k.csv', text);
    const err = await runIngestion(featureSet(path), { connectors: localConnectors(), runId: '1700000000000_3' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toContain(`${path} line 5, column \`user_id\``);
  });

  it('an empty time stops the run naming the line and the time column', async () => {
    const path = await csvFile('t.csv', text.replace('\n,2024-01-05T10:00:00Z,no key', ''));
    const err = await runIngestion(featureSet(path), { connectors: localConnectors(), runId: '1700000000000_4' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toContain(`${path} line 5, column \`ts\``);
  });

  it('on_bad_row: skip and quarantine drop them with the reason and count them in the results', async () => {
    const path = await csvFile('q.csv', text);
    const skip = await runIngestion(featureSet(path, { attributes: { on_bad_row: 'skip' } }), { connectors: localConnectors(), runId: '1700000000000_5' });
    expect([skip.rowsRead, skip.rowsSkipped]).toEqual([3, 2]);
    const qpath = join(dir, 'q.jsonl');
    const q = await runIngestion(featureSet(path, { attributes: { on_bad_row: 'quarantine', quarantine_path: qpath } }), { connectors: localConnectors(), runId: '1700000000000_6' });
    expect([q.rowsRead, q.rowsQuarantined]).toEqual([3, 2]);
    const { readFile } = await import('node:fs/promises');
    const side = (await readFile(qpath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { line: number; column: string; reason: string });
    expect(side.map((r) => [r.line, r.column])).toEqual([[5, 'user_id'], [6, 'ts']]);
    expect(side[0]!.reason).toMatch(/key/);
    expect(side[1]!.reason).toMatch(/time/);
  });
});
