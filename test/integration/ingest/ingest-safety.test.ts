import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTarget, DataTargetBase, FeatureSet, runIngestion } from '../../../src/index.js';
import { builtinConnectors } from '../../../connectors/registry.js';
import { duckQuery } from '../../support/duckdb.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { ensureBuilt, sluice } from '../../support/cli.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir()));
afterEach(async () => cleanup());

function featureSet(source: DataSource, name = 'tx'): FeatureSet {
  return new FeatureSet({
    name,
    project: 'safety',
    entities: ['user_id'],
    timestampKey: 'ts',
    source,
    targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/lake/tx/`, timePartitioningGranularity: 'day' })],
  });
}
const csvSource = (path = FIXTURE, attributes: Record<string, unknown> = {}) =>
  new DataSource({ kind: 'csv', path, attributes: { schema: { user_id: 'string', amount: 'float64', category: 'string', ts: 'timestamp' }, ...attributes } });
const count = async (root: string) => Number((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${root}/**/*.parquet')`))[0]?.n);

describe('run ids and names that become path parts (#8.2)', () => {
  it.each(['..', '../../x', 'a/b', '.', '', 'a\\b', 'x'.repeat(129)])('refuses run id %j before anything is written', async (id) => {
    const fs = featureSet(csvSource());
    await expect(runIngestion(fs, { connectors: builtinConnectors(), runId: id })).rejects.toThrow(/is not a valid run id/);
    expect(existsSync(`${dir}/lake`)).toBe(false);
  });

  it('refuses a feature set name, project or target name that is not one directory name', async () => {
    expect(() => featureSet(csvSource(), '..')).toThrow(/metadata.name: "\.\." must start with a letter or digit/);
    const fs = featureSet(csvSource());
    fs.metadata.project = 'a/b';
    await expect(runIngestion(fs, { connectors: builtinConnectors(), runId: '1_1' })).rejects.toThrow(/metadata.project: "a\/b" cannot be used/);
  });

  it('an overwrite never deletes outside the target: a status holding run id ".." removes nothing', async () => {
    await mkdir(`${dir}/lake`, { recursive: true });
    await writeFile(`${dir}/lake/unrelated.txt`, 'keep me');
    const fs = featureSet(csvSource());
    fs.status.updateTarget(new DataTarget({ name: 'offline', kind: 'parquet', path: `${dir}/lake/tx/{run_id}/`, runId: '..', status: 'ready' }));
    await runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000000_2' });
    expect(existsSync(`${dir}/lake/unrelated.txt`)).toBe(true);
    expect(await count(`${dir}/lake/tx/1700000000000_2`)).toBe(2000);
    // An append under that status is refused instead of writing into the target's parent.
    await expect(runIngestion(featureSet(csvSource()), { connectors: builtinConnectors(), runId: '1700000000000_3', overwrite: false })).resolves.toBeDefined();
    const tampered = featureSet(csvSource());
    tampered.status.updateTarget(new DataTarget({ name: 'offline', kind: 'parquet', path: `${dir}/lake/tx/{run_id}/`, runId: '..', status: 'ready' }));
    await expect(runIngestion(tampered, { connectors: builtinConnectors(), runId: '1700000000000_4', overwrite: false })).rejects.toThrow(/run id in the feature set's status: "\.\." is not a valid run id/);
  });

  it('an overwrite keeps the previous data when the status points at another path (the target moved)', async () => {
    const other = `${dir}/old-place/tx`;
    await mkdir(`${other}/1_1`, { recursive: true });
    await writeFile(`${other}/1_1/part.parquet`, 'old');
    const fs = featureSet(csvSource());
    fs.status.updateTarget(new DataTarget({ name: 'offline', kind: 'parquet', path: `${other}/{run_id}/`, runId: '1_1', status: 'ready' }));
    await runIngestion(fs, { connectors: builtinConnectors(), runId: '2_2' });
    expect(existsSync(`${other}/1_1/part.parquet`)).toBe(true);
  });

  it('sluice ingest --run-id .. exits non-zero with one line and writes nothing', async () => {
    ensureBuilt();
    const spec = join(dir, 'fs.yaml');
    await writeFile(
      spec,
      `kind: FeatureSet\nmetadata: {name: tx, project: safety}\nspec:\n  entities: [{name: user_id}]\n  timestamp_key: ts\n  source: {kind: csv, path: ${FIXTURE}}\n  targets: [{name: offline, kind: parquet, path: ${dir}/lake/tx/}]\n`,
    );
    const r = await sluice(['ingest', spec, '--run-id', '..'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/--run-id: "\.\." is not a valid run id/);
    expect(existsSync(`${dir}/lake`)).toBe(false);
  });
});

describe('empty input never replaces data (#8.5)', () => {
  async function firstRun(): Promise<FeatureSet> {
    const fs = featureSet(csvSource());
    await runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000000_1' });
    expect(await count(`${dir}/lake/tx/1700000000000_1`)).toBe(2000);
    return fs;
  }

  const cases: Array<[string, () => Promise<DataSource>]> = [
    ['a 0-byte JSONL file', async () => {
      await writeFile(`${dir}/empty.jsonl`, '');
      return new DataSource({ kind: 'jsonl', path: `${dir}/empty.jsonl`, attributes: { schema: { user_id: 'string', ts: 'timestamp' } } });
    }],
    ['a header-only CSV', async () => {
      await writeFile(`${dir}/header.csv`, 'user_id,amount,category,ts\n');
      return csvSource(`${dir}/header.csv`);
    }],
    ['a window that keeps nothing', async () => new DataSource({ ...csvSource().copy(), startTime: '2030-01-01T00:00:00Z' })],
    ['a filter that keeps nothing', async () => csvSource(FIXTURE, { additional_filters: [['amount', '>', 1e12]] })],
  ];

  it.each(cases)('%s: the run completes, commits nothing, and the previous run and its status stay', async (_what, make) => {
    const fs = await firstRun();
    fs.spec.source = await make();
    const res = await runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000001_1' });
    expect(res.rowsRead).toBe(0);
    expect(res.committed).toBe(false);
    expect(res.warnings.join()).toMatch(/0 rows, so nothing was committed and the targets keep their data \(run 1700000000000_1\)/);
    expect(await count(`${dir}/lake/tx/1700000000000_1`)).toBe(2000);
    expect(existsSync(`${dir}/lake/tx/1700000000001_1`)).toBe(false);
    expect(fs.status.getTarget('offline')?.runId).toBe('1700000000000_1');
    expect(fs.status.getTarget('offline')?.status).toBe('ready');
  });

  it('allowEmpty replaces the data with an empty run when asked', async () => {
    const fs = await firstRun();
    fs.spec.source = new DataSource({ ...csvSource().copy(), startTime: '2030-01-01T00:00:00Z' });
    const res = await runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000001_1', allowEmpty: true });
    expect(res.committed).toBe(true);
    expect(fs.status.getTarget('offline')?.runId).toBe('1700000000001_1');
    expect(existsSync(`${dir}/lake/tx/1700000000000_1`)).toBe(false);
    expect(await readdir(`${dir}/lake/tx/1700000000001_1`)).toContain('_SUCCESS');
  });

  it('start_time later than end_time is a spec error, and nothing is touched', async () => {
    const fs = await firstRun();
    fs.spec.source = new DataSource({ ...csvSource().copy(), startTime: '2024-02-01T00:00:00Z', endTime: '2024-01-01T00:00:00Z' });
    await expect(runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000001_1' })).rejects.toThrow(/start_time 2024-02-01T00:00:00.000Z is later than end_time 2024-01-01T00:00:00.000Z/);
    expect(await count(`${dir}/lake/tx/1700000000000_1`)).toBe(2000);
  });
});
