import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, describePlan, planIngestion, rebuildPlan, runIngestion, runPlannedIngestion } from '../../../src/index.js';
import { builtinConnectors } from '../../../connectors/registry.js';
import { duckQuery } from '../../support/duckdb.js';
import { tmpDir } from '../../support/tmp-dir.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
const SCHEMA = { user_id: 'string', amount: 'float64', category: 'string', ts: 'timestamp' };
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir()));
afterEach(async () => cleanup());

function featureSet(o: { source?: Partial<ConstructorParameters<typeof DataSource>[0]>; target?: Record<string, unknown>; targetKind?: string } = {}): FeatureSet {
  return new FeatureSet({
    name: 'tx',
    project: 'plan',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'csv', path: FIXTURE, ...o.source, attributes: { ...(['parquet', 'sql', 'redis-stream'].includes(o.source?.kind ?? 'csv') ? {} : { schema: SCHEMA }), ...o.source?.attributes } }),
    targets: [new DataTargetBase({ name: 'offline', kind: o.targetKind ?? 'parquet', path: `${dir}/lake/tx/`, ...(o.target ? { attributes: o.target } : {}) })],
  });
}
const count = async (root: string) => Number((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${root}/**/*.parquet')`))[0]?.n);

describe('the ingestion plan refuses what nobody owns (#9)', () => {
  it('a typo in a filter op is refused before any target is touched: the previous data stays', async () => {
    const good = featureSet();
    await runIngestion(good, { connectors: builtinConnectors(), runId: '1700000000000_1' });
    good.spec.source = new DataSource({ kind: 'csv', path: FIXTURE, attributes: { schema: SCHEMA, additional_filters: [['amount', '>>', 10]] } });
    await expect(runIngestion(good, { connectors: builtinConnectors(), runId: '1700000000001_1' })).rejects.toThrow(
      /attributes.additional_filters\[0\]: op ">>" is not known; valid ops: "=", "==", "!=", "<", "<=", ">", ">=", "in", "not in"/,
    );
    expect(await count(`${dir}/lake/tx/1700000000000_1`)).toBe(2000);
    expect(existsSync(`${dir}/lake/tx/1700000000001_1`)).toBe(false);
    expect(good.status.getTarget('offline')?.runId).toBe('1700000000000_1');
    expect(good.status.getTarget('offline')?.status).toBe('ready');
  });

  it('a filter value of the wrong type is a one-line error naming the filter, not a TypeError', async () => {
    const fs = featureSet({ source: { attributes: { additional_filters: [['amount', '>', { x: 1 }]] } } });
    await expect(runIngestion(fs, { connectors: builtinConnectors(), runId: '1_1' })).rejects.toThrow(/additional_filters\[0\]: ">" needs one value/);
    const bad = featureSet({ source: { attributes: { additional_filters: [['amount', '>', 'abc']] } } });
    const err = await runIngestion(bad, { connectors: builtinConnectors(), runId: '1_2' }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).not.toBe('TypeError');
    expect((err as Error).message).toMatch(/amount/);
  });

  it.each([
    [{ source: { attributes: { on_bad_rows: 'skip' } } }, /csv .*attributes.on_bad_rows is not a known setting \(did you mean on_bad_row\?\)/],
    [{ target: { compresion: 'zstd' } }, /target "offline" \(parquet\): attributes.compresion is not a known setting \(did you mean compression\?\)/],
    [{ target: { max_file_byte: 1000 } }, /attributes.max_file_byte is not a known setting \(did you mean max_file_bytes\?\)/],
    [{ targetKind: 'csv', target: { compression: 'zstd' } }, /target "offline" \(csv\): attributes.compression is not a known setting; accepted: delimiter, header, max_buffered_bytes/],
    [{ source: { kind: 'jsonl', attributes: { max_record_chars: 10 } } }, /jsonl .*attributes.max_record_chars is not a known setting/],
    [{ source: { kind: 'parquet', attributes: { infer_rows: 10 } } }, /parquet .*attributes.infer_rows is not a known setting; accepted: additional_filters, allowed_lateness_seconds, batch_size/],
    [{ source: { kind: 'sql', path: 'postgres://x@127.0.0.1/test', attributes: { table: 't' } } }, /sql .*attributes.table is not a known setting/],
    [{ source: { kind: 'redis-stream', path: 'redis://127.0.0.1:6379/0', attributes: { streams: 's' } } }, /redis-stream .*attributes.streams is not a known setting \(did you mean stream\?\)/],
  ])('refuses an unknown attribute key before anything is opened: %j', async (o, re) => {
    const fs = featureSet(o as never);
    await expect(planIngestion(fs, {}, builtinConnectors())).rejects.toThrow(re);
    await expect(runIngestion(fs, { connectors: builtinConnectors(), runId: '1_1' })).rejects.toThrow(re);
    expect(existsSync(`${dir}/lake`)).toBe(false);
  });

  it('refuses an unknown key of the Redis target at planning', async () => {
    const fs = new FeatureSet({
      name: 'tx', entities: ['user_id'], timestampKey: 'ts',
      source: new DataSource({ kind: 'csv', path: FIXTURE, attributes: { schema: SCHEMA } }),
      targets: [new DataTargetBase({ name: 'online', kind: 'redis', path: 'redis://127.0.0.1:6379/0', attributes: { ttl: 5 } })],
    });
    await expect(planIngestion(fs, {}, builtinConnectors())).rejects.toThrow(/target "online" \(redis\): attributes.ttl is not a known setting/);
  });

  it('a key MLRun writes and Sluice does not use is accepted with one warning line', async () => {
    const fs = featureSet({ source: { attributes: { chunksize: 5000 } } });
    const plan = await planIngestion(fs, { runId: '1_1' }, builtinConnectors());
    expect(plan.warnings).toEqual([expect.stringMatching(/attributes.chunksize is an MLRun setting that Sluice does not use; it is ignored/)]);
    const res = await runIngestion(fs, { connectors: builtinConnectors(), runId: '1_1' });
    expect(res.rowsRead).toBe(2000);
    expect(res.warnings).toEqual(plan.warnings);
  });

  it('attributes.batch_size bounds the batches read', async () => {
    const fs = featureSet({ source: { attributes: { batch_size: 300 } } });
    const plan = await planIngestion(fs, {}, builtinConnectors());
    expect(plan.batchSize).toBe(300);
    const sizes: number[] = [];
    await runIngestion(fs, { connectors: builtinConnectors(), runId: '1_1', onProgress: (n) => sizes.push(n) });
    expect(sizes[0]).toBe(300);
    await expect(planIngestion(featureSet({ source: { attributes: { batch_size: 0 } } }), {}, builtinConnectors())).rejects.toThrow(/attributes.batch_size 0 is not an integer in 1..10,000,000/);
  });

  it('the plan is frozen and parses every target once', async () => {
    await writeFile(`${dir}/x.txt`, '');
    const plan = await planIngestion(featureSet({ target: { compression: 'zstd' } }), { runId: '1700000000000_9' }, builtinConnectors());
    expect(Object.isFrozen(plan)).toBe(true);
    expect(plan.targets[0]?.file?.formatOptions).toMatchObject({ compression: 'zstd', rowGroupSize: 10_000 });
    expect(plan.targets[0]?.file?.resolved.root).toBe(`${dir}/lake/tx/1700000000000_9`);
  });
});

describe('targets are described by capabilities, not kind names (#9)', () => {
  it('an unknown target kind is refused at planning with the target kinds', async () => {
    await expect(planIngestion(featureSet({ targetKind: 'parquett' }), {}, builtinConnectors())).rejects.toThrow(/target kind "parquett" is not known; target kinds: parquet, csv, redisnosql/);
  });

  it('a file format under any kind name is a file target: the core does not name kinds', async () => {
    const base = builtinConnectors();
    const parquet = await base.targetKind('parquet');
    const connectors = { ...base, targetKind: async (kind: string) => (kind === 'lakehouse' ? { ...parquet, kind } : base.targetKind(kind)) };
    const fs = featureSet({ targetKind: 'lakehouse' });
    const res = await runIngestion(fs, { connectors, runId: '1700000000000_5' });
    expect(res.targets[0]).toMatchObject({ name: 'offline', kind: 'lakehouse', rows: 2000 });
    expect(await count(`${dir}/lake/tx/1700000000000_5`)).toBe(2000);
  });

  it('runPlannedIngestion reports status entries through onStatus and leaves the feature set untouched', async () => {
    const fs = featureSet();
    const plan = await planIngestion(fs, { runId: '1700000000000_6' }, builtinConnectors());
    const seen: string[] = [];
    await runPlannedIngestion(plan, { connectors: builtinConnectors(), onStatus: (st) => seen.push(`${st.name}:${st.status}:${st.runId}`) });
    expect(seen).toEqual(['offline:ready:1700000000000_6']);
    expect(fs.status.getTarget('offline')).toBeUndefined();
  });
});

describe('a source with a schedule reads incrementally in a plain ingest too (#10)', () => {
  it('two plain ingests append the rows once: the second reads only (last_written, now]', async () => {
    const fs = featureSet({ source: { schedule: '*/5 * * * *' } });
    const first = await runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000000_1' });
    expect(first.rowsRead).toBe(2000);
    const watermark = fs.status.getTarget('offline')?.lastWritten;
    const plan = await planIngestion(fs, { runId: '1700000000001_1' }, builtinConnectors());
    expect(plan.overwrite).toBe(false);
    expect(plan.startTime).toEqual(watermark);
    const second = await runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000001_1' });
    expect(second.rowsRead).toBe(0);
    expect(await count(`${dir}/lake/tx/1700000000000_1`)).toBe(2000);
  });

  it('lookback_seconds re-reads a margin before the watermark; explicit times win', async () => {
    const fs = featureSet({ source: { schedule: '*/5 * * * *', attributes: { lookback_seconds: 3600 } } });
    await runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000000_1' });
    const watermark = fs.status.getTarget('offline')!.lastWritten!;
    const plan = await planIngestion(fs, {}, builtinConnectors());
    expect(plan.startTime).toEqual(new Date(watermark.getTime() - 3_600_000));
    const explicit = await planIngestion(fs, { startTime: new Date('2024-01-01T00:00:00Z'), endTime: new Date('2024-02-01T00:00:00Z') }, builtinConnectors());
    expect(explicit.startTime).toEqual(new Date('2024-01-01T00:00:00Z'));
  });
});

describe('a plan is plain data (#9: the seam scale-out builds on)', () => {
  it('describePlan gives JSON that rebuildPlan turns back into the same plan, and both ingest the same files', async () => {
    const fs = featureSet({ source: { attributes: { additional_filters: [['amount', '>', 10]], batch_size: 500 } }, target: { compression: 'zstd' } });
    const plan = await planIngestion(fs, { runId: '1700000000000_3', startTime: new Date('2024-01-01T00:00:00Z') }, builtinConnectors());
    const json = JSON.stringify(describePlan(plan));
    const again = await rebuildPlan(JSON.parse(json), builtinConnectors());
    for (const k of ['runId', 'overwrite', 'allowEmpty', 'keyFields', 'timeField', 'startTime', 'endTime', 'filters', 'batchSize'] as const) expect(again[k]).toEqual(plan[k]);
    expect(again.targets.map((t) => [t.name, t.kind, t.file?.resolved.root, t.file?.formatOptions])).toEqual(plan.targets.map((t) => [t.name, t.kind, t.file?.resolved.root, t.file?.formatOptions]));
    const res = await runPlannedIngestion(again, { connectors: builtinConnectors() });
    expect(res.rowsRead).toBeGreaterThan(0);
    expect(await count(`${dir}/lake/tx/1700000000000_3`)).toBe(res.rowsRead);
  });

  it('an append plan rebuilt elsewhere writes into the same run directory, whatever the status says then', async () => {
    const fs = featureSet();
    await runIngestion(fs, { connectors: builtinConnectors(), runId: '1700000000000_1' });
    const plan = await planIngestion(fs, { runId: '1700000000002_1', overwrite: false }, builtinConnectors());
    const d = describePlan(plan);
    expect(d.append_to).toEqual({ offline: '1700000000000_1' });
    (d.feature_set.status as { targets: Array<{ run_id?: string }> }).targets[0]!.run_id = '1700000000009_9';
    const again = await rebuildPlan(d, builtinConnectors());
    expect(again.targets[0]?.file?.resolved.root).toBe(`${dir}/lake/tx/1700000000000_1`);
  });

  it('a plan over a ready in-memory source cannot be described', async () => {
    const fs = featureSet();
    const plan = await planIngestion(fs, { source: { read: async function* () {}, schema: async () => { throw new Error('x'); }, description: 'mem' } }, builtinConnectors());
    expect(() => describePlan(plan)).toThrow(/a plan over a ready source .* cannot be described as data/);
  });
});
