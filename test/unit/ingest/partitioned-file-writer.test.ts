import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Schema, Field, Float64, TimestampMicrosecond, Utf8, DataType, tableFromIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileSystem, Partitioner, PartitionedFileWriter, DEFAULT_FLUSH_SETTINGS } from '../../../src/index.js';
import type { FlushSettings } from '../../../src/index.js';
import { parquetFormat } from '../../../connectors/parquet/parquet-format.js';
import { makeBatch } from '../../support/make-batch.js';
import { tmpDir } from '../../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir()));
afterEach(async () => cleanup());

const SCHEMA = new Schema([new Field('key', new Utf8(), true), new Field('v', new Float64(), true), new Field('ts', new TimestampMicrosecond('UTC'), true)]);

/** A batch of `n` rows: key k<i % keys>, value i, ts 2024-01-05 + i seconds. */
function batch(n: number, keys = 4, offset = 0): RecordBatch {
  return makeBatch(SCHEMA, Array.from({ length: n }, (_, j) => ({ key: `k${(j + offset) % keys}`, v: j + offset, ts: Date.UTC(2024, 0, 5) + (j + offset) * 1000 })));
}

function writer(settings: Partial<FlushSettings>, clock: { t: number }, spec = { keyFields: ['key'], keyBucketingNumber: 0 }, rowGroupSize = 1_000_000) {
  return new PartitionedFileWriter({
    fs: new LocalFileSystem(),
    root: join(dir, 'out'),
    format: parquetFormat,
    formatOptions: parquetFormat.parseOptions({ row_group_size: rowGroupSize }),
    partitioner: new Partitioner({ ...spec, timeField: 'ts' }),
    runId: '1_1',
    settings: { ...DEFAULT_FLUSH_SETTINGS, ...settings },
    timeField: 'ts',
    now: () => clock.t,
  });
}

async function parquetFiles(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.parquet')).map((e) => join(e.parentPath, e.name)).sort();
}

async function rowGroups(path: string): Promise<number> {
  const f = await pq.ParquetFile.fromFile(new Blob([await readFile(path)]));
  return f.metadata().numRowGroups();
}

describe('PartitionedFileWriter', () => {
  it('holds rows per partition until max_events, then appends them to the partition’s open file', async () => {
    const clock = { t: 0 };
    const w = writer({ maxEvents: 100 }, clock, { keyFields: ['key'], keyBucketingNumber: 0 }, 50);
    await w.write(batch(40)); // 10 rows per key: below max_events, nothing written yet
    expect(await readdir(dir)).toEqual([]);
    await w.write(batch(400, 4, 40)); // each key passes 100 rows → written
    const res = await w.commit();
    expect(res.rows).toBe(440);
    const files = await parquetFiles(join(dir, 'out'));
    expect(files.map((f) => f.slice(dir.length))).toEqual(['/out/key=k0/part-1_1-0-0.parquet', '/out/key=k1/part-1_1-0-0.parquet', '/out/key=k2/part-1_1-0-0.parquet', '/out/key=k3/part-1_1-0-0.parquet']);
    expect(await rowGroups(files[0] as string)).toBe(3); // 110 rows in row groups of at most 50
    const manifest = JSON.parse(await readFile(join(dir, 'out/_manifests/1_1.json'), 'utf8'));
    expect(manifest.files.map((f: { rows: number }) => f.rows)).toEqual([110, 110, 110, 110]);
    expect(res.lastWritten?.toISOString()).toBe('2024-01-05T00:07:19.000Z');
  });

  it('flush_after_seconds writes old buffers and rolls files that stayed open too long', async () => {
    const clock = { t: 0 };
    const w = writer({ maxEvents: 1_000_000, flushAfterSeconds: 10 }, clock);
    await w.write(batch(8));
    clock.t = 11_000; // the buffered rows are now older than 10 s: written on the next write
    await w.write(batch(4, 4, 8));
    expect((await parquetFiles(join(dir, 'out'))).length).toBe(0); // still open (visible only when closed)
    clock.t = 22_000; // open files older than 10 s are closed; a new file starts for new rows
    await w.write(batch(4, 4, 12));
    expect((await parquetFiles(join(dir, 'out'))).length).toBe(4);
    await w.commit();
    const files = await parquetFiles(join(dir, 'out'));
    expect(files.filter((f) => f.includes('key=k0'))).toHaveLength(2);
    expect(files.some((f) => f.endsWith('part-1_1-0-1.parquet'))).toBe(true);
  });

  it('rolls a file at max_file_bytes', async () => {
    const clock = { t: 0 };
    const w = writer({ maxEvents: 100, maxFileBytes: 1 }, clock, { keyFields: ['key'], keyBucketingNumber: 0 }, 100);
    for (let i = 0; i < 10; i++) await w.write(batch(100, 1, i * 100));
    const res = await w.commit();
    expect(res.files).toHaveLength(10);
    expect(res.files.map((f) => f.path)).toContain('key=k0/part-1_1-0-9.parquet');
  });

  it('abort leaves nothing under final names and removes the directories the run created', async () => {
    const clock = { t: 0 };
    const w = writer({ maxEvents: 10, maxFileBytes: 1 }, clock);
    await w.write(batch(200));
    expect((await parquetFiles(join(dir, 'out'))).length).toBeGreaterThan(0);
    await w.abort();
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('keeps Arrow types exactly: timestamp unit and time zone', async () => {
    const clock = { t: 0 };
    const w = writer({}, clock);
    await w.write(batch(10));
    await w.commit();
    const file = (await parquetFiles(join(dir, 'out')))[0] as string;
    const t = tableFromIPC(pq.readParquet(await readFile(file)).intoIPCStream());
    const ts = t.schema.fields.find((f) => f.name === 'ts')?.type as DataType & { unit: number; timezone: string };
    expect(DataType.isTimestamp(ts)).toBe(true);
    expect(ts.unit).toBe(2); // microsecond
    expect(ts.timezone).toBe('UTC');
  });
});

describe('timeRangeMs', () => {
  it('reads the rows of a sliced batch, not the parent’s', async () => {
    const { timeRangeMs } = await import('../../../src/index.js');
    const b = batch(10).slice(6, 10);
    expect(timeRangeMs(b, 'ts')).toEqual({ min: Date.UTC(2024, 0, 5) + 6000, max: Date.UTC(2024, 0, 5) + 9000 });
  });
});

describe('max_open_files', () => {
  it('closes the least recently written file when too many are open; the partition goes on in a new file', async () => {
    const clock = { t: 0 };
    const w = writer({ maxEvents: 5, maxOpenFiles: 2 }, clock);
    await w.write(batch(20, 4)); // four partitions flush: at most two files stay open
    clock.t = 1;
    await w.write(batch(20, 4, 20));
    const res = await w.commit();
    expect(res.rows).toBe(40);
    expect(res.files.length).toBeGreaterThan(4);
    expect(res.files.map((f) => f.path)).toContain('key=k0/part-1_1-0-1.parquet');
    const back = await Promise.all(res.files.map(async (f) => {
      const t = tableFromIPC(pq.readParquet(await readFile(join(dir, 'out', f.path))).intoIPCStream());
      return t.numRows;
    }));
    expect(back.reduce((a, b) => a + b, 0)).toBe(40);
  });
});

describe('whole-file writes at commit', () => {
  it('a partition still buffered at commit is encoded in one go, with row groups of row_group_size', async () => {
    const clock = { t: 0 };
    const w = writer({ maxEvents: 1_000_000 }, clock, { keyFields: ['key'], keyBucketingNumber: 0 }, 30);
    await w.write(batch(100, 1));
    await w.write(batch(100, 1, 100));
    expect(existsSync(join(dir, 'out'))).toBe(false); // nothing is written before commit
    const res = await w.commit();
    expect(res.files).toEqual([expect.objectContaining({ path: 'key=k0/part-1_1-0-0.parquet', rows: 200 })]);
    const file = join(dir, 'out', 'key=k0/part-1_1-0-0.parquet');
    expect(await rowGroups(file)).toBe(7); // 200 rows in groups of at most 30
    const t = tableFromIPC(pq.readParquet(await readFile(file)).intoIPCStream());
    expect(t.numRows).toBe(200);
    expect(t.getChild('v')?.get(199)).toBe(199);
  });
});
