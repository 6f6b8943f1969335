import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, Float64, Int64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC, TimeUnit, Timestamp, Utf8, vectorFromArray } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connector, localFileAccess, ParquetSource, parseParquetSourceOptions, rangedBlob } from '../../../connectors/parquet/index.js';
import type { ParquetFileAccess } from '../../../connectors/parquet/index.js';
import { loadConnector } from '../../../connectors/registry.js';
import { AbortedError, BadInputError, DataSource, filterBatches, NotFoundError, SpecError } from '../../../src/index.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { readAll } from '../../support/read-all.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-parquet-')));
afterEach(async () => cleanup());

const T0 = Date.parse('2024-01-04T00:00:00Z');

/** An Arrow table of `n` events starting at `start` (ms), one per `step` ms; ids start at `firstId`. */
function events(n: number, start: number, step: number, firstId = 0, tz: string | null = 'UTC'): Table {
  const cols: Array<[string, DataType, Data]> = [
    ['id', new Int64(), makeData({ type: new Int64(), length: n, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(firstId + i)) })],
    ['ts', new Timestamp(TimeUnit.MICROSECOND, tz), makeData({ type: new Timestamp(TimeUnit.MICROSECOND, tz), length: n, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(start + i * step) * 1000n) })],
    ['user', new Utf8(), vectorFromArray(Array.from({ length: n }, (_, i) => `u${(firstId + i) % 3}`), new Utf8()).data[0] as Data],
    ['amount', new Float64(), makeData({ type: new Float64(), length: n, data: Float64Array.from({ length: n }, (_, i) => i / 2) })],
  ];
  const fields = cols.map(([name, type]) => new Field(name, type, true));
  return new Table(new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children: cols.map((c) => c[2]) })));
}

async function writeParquet(path: string, table: Table, rowGroupSize = 1000): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupSize).build();
  await writeFile(path, pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')), props));
}

function source(path: string, o: { startTime?: string; endTime?: string; filters?: unknown } = {}, access?: ParquetFileAccess): ParquetSource {
  const spec = new DataSource({
    kind: 'parquet', path, timeField: 'ts', startTime: o.startTime, endTime: o.endTime,
    ...(o.filters ? { attributes: { additional_filters: o.filters } } : {}),
  });
  return new ParquetSource(parseParquetSourceOptions(spec, dir), access);
}

const types = (s: Schema) => s.fields.map((f) => `${f.name}:${String(f.type)}`);

describe('parquet source: one file', () => {
  it('reads every row group in batches of at most batchSize, keeping types and time zones', async () => {
    await writeParquet(join(dir, 'e.parquet'), events(2500, T0, 1000, 0, 'Europe/Berlin'), 1000);
    const src = connector.createSource!(new DataSource({ kind: 'parquet', path: 'e.parquet' }), { cwd: dir });
    expect(types(await src.schema())).toEqual(['id:Int64', 'ts:Timestamp<MICROSECOND, Europe/Berlin>', 'user:Utf8', 'amount:Float64']);
    const { batches, rows } = await readAll(src.read({ batchSize: 300 }));
    expect(batches.every((b) => b.numRows <= 300)).toBe(true);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 2500 }, (_, i) => BigInt(i)));
    expect(rows[1]).toEqual({ id: 1n, ts: T0 + 1000, user: 'u1', amount: 0.5 });
    expect(src.stats).toEqual({ rowsRead: 2500, rowsSkipped: 0, rowsQuarantined: 0 });
  });

  it('reads by byte ranges: no single read comes near the whole file', async () => {
    const path = join(dir, 'big.parquet');
    await writeParquet(path, events(40_000, T0, 1000), 5000);
    const reads: Array<[number, number]> = [];
    const access: ParquetFileAccess = {
      ...localFileAccess,
      async openBlob(p) {
        const blob = await localFileAccess.openBlob(p);
        return rangedBlob(blob.size, async (s, e) => {
          reads.push([s, e]);
          return new Uint8Array(await blob.slice(s, e).arrayBuffer());
        });
      },
    };
    const size = (await localFileAccess.stat(path))!.size;
    const { rows } = await readAll(source('big.parquet', {}, access).read({ batchSize: 4096 }));
    expect(rows).toHaveLength(40_000);
    expect(reads.length).toBeGreaterThan(8);
    expect(Math.max(...reads.map(([s, e]) => e - s))).toBeLessThan(size / 4);
  });

  it('names a missing path and a file that is not Parquet', async () => {
    await expect(readAll(source('nope.parquet').read())).rejects.toThrow(NotFoundError);
    await writeFile(join(dir, 'bad.parquet'), 'not parquet at all');
    await expect(readAll(source('bad.parquet').read())).rejects.toThrow(/parquet bad.parquet: not a readable Parquet file/);
    expect(() => source('')).toThrow(SpecError);
  });

  it('stops with an AbortedError when the signal fires', async () => {
    await writeParquet(join(dir, 'e.parquet'), events(3000, T0, 1000), 1000);
    const ac = new AbortController();
    const it = source('e.parquet').read({ batchSize: 100, signal: ac.signal });
    await expect((async () => {
      for await (const _ of it) ac.abort();
    })()).rejects.toThrow(AbortedError);
  });

  it('is loaded by the registry as kind parquet', async () => {
    const m = await loadConnector('parquet');
    expect(m.kind).toBe('parquet');
  });
});

describe('parquet source: directories and Hive partitions', () => {
  /** country=<c>/year=2024/month=01/day=<d>/part-0.parquet, one day of hourly events per file. */
  async function hiveTree(corrupt: (rel: string) => boolean = () => false): Promise<void> {
    const days = ['03', '04', '05', '06'];
    let id = 0;
    for (const country of ['DE', 'US', '__HIVE_DEFAULT_PARTITION__']) {
      for (const d of days) {
        const rel = `country=${country}/year=2024/month=01/day=${d}/part-0.parquet`;
        const start = Date.parse(`2024-01-${d}T00:00:00Z`);
        if (corrupt(rel)) await writeFile(join(dir, 'tree', rel), 'corrupt').catch(async () => {
          await mkdir(join(dir, 'tree', rel, '..'), { recursive: true });
          await writeFile(join(dir, 'tree', rel), 'corrupt');
        });
        else await writeParquet(join(dir, 'tree', rel), events(24, start, 3600_000, id), 10);
        id += 24;
      }
    }
    await writeFile(join(dir, 'tree', '_SUCCESS'), '');
    await mkdir(join(dir, 'tree', '_manifests'), { recursive: true });
    await writeFile(join(dir, 'tree', '_manifests', 'm.json'), '{}');
    await writeFile(join(dir, 'tree', 'country=US', '.part-0.parquet.crc'), 'x');
  }

  it('adds decoded partition columns (time levels int32, null partition null) and skips hidden files', async () => {
    await hiveTree();
    const src = source('tree');
    expect(types(await src.schema())).toEqual([
      'id:Int64', 'ts:Timestamp<MICROSECOND, UTC>', 'user:Utf8', 'amount:Float64', 'country:Utf8', 'year:Int32', 'month:Int32', 'day:Int32',
    ]);
    const { rows } = await readAll(src.read());
    expect(rows).toHaveLength(3 * 4 * 24);
    expect(src.filesRead.map((p) => p.slice(dir.length + 6))).toEqual([
      ...['03', '04', '05', '06'].map((d) => `country=DE/year=2024/month=01/day=${d}/part-0.parquet`),
      ...['03', '04', '05', '06'].map((d) => `country=US/year=2024/month=01/day=${d}/part-0.parquet`),
      ...['03', '04', '05', '06'].map((d) => `country=__HIVE_DEFAULT_PARTITION__/year=2024/month=01/day=${d}/part-0.parquet`),
    ]);
    expect(rows[0]).toMatchObject({ id: 0n, country: 'DE', year: 2024, month: 1, day: 3 });
    expect(rows[3 * 24 + 5]).toMatchObject({ country: 'DE', day: 6 });
    expect(rows[8 * 24]).toMatchObject({ country: null, day: 3 });
  });

  it('types an all-integer partition int64 and decodes percent-escapes', async () => {
    await writeParquet(join(dir, 'b', 'hash4_key=3', 'city=S%C3%A3o%20Paulo', 'p.parquet'), events(2, T0, 1000));
    await writeParquet(join(dir, 'b', 'hash4_key=12', 'city=__HIVE_DEFAULT_PARTITION__', 'p.parquet'), events(1, T0, 1000));
    const src = source('b');
    expect(types(await src.schema()).slice(4)).toEqual(['hash4_key:Int64', 'city:Utf8']);
    const { rows } = await readAll(src.read());
    expect(rows.map((r) => [r.hash4_key, r.city])).toEqual([[12n, null], [3n, 'São Paulo'], [3n, 'São Paulo']]);
  });

  it('prunes day directories outside start < t <= end and never opens them', async () => {
    // Days 03 and 04 end at or before the (exclusive) start; they are corrupt, so opening one would fail.
    await hiveTree((rel) => rel.includes('day=03') || rel.includes('day=04'));
    const window = { startTime: new Date('2024-01-05T00:00:00Z'), endTime: new Date('2024-01-06T00:00:00Z') };
    const src = source('tree', { startTime: '2024-01-05T00:00:00Z', endTime: '2024-01-06T00:00:00Z' });
    const { rows } = await readAll(filterBatches(src.read(), { keyFields: ['id'], timeField: 'ts', ...window, description: src.description }));
    expect(src.filesRead.map((p) => p.slice(dir.length + 6))).toEqual(
      ['DE', 'US', '__HIVE_DEFAULT_PARTITION__'].flatMap((c) => ['05', '06'].map((d) => `country=${c}/year=2024/month=01/day=${d}/part-0.parquet`)),
    );
    // Day 05 without its midnight row (start is exclusive), plus 06T00:00 (end is inclusive), per country.
    expect(rows).toHaveLength(3 * 24);
    expect(rows.map((r) => new Date(r.ts as number).toISOString()).filter((t) => t.startsWith('2024-01-06'))).toEqual(Array(3).fill('2024-01-06T00:00:00.000Z'));
    expect(rows.some((r) => r.ts === window.startTime.getTime())).toBe(false);
  });

  it('prunes a null time partition under a window, and prunes by month and year', async () => {
    await writeParquet(join(dir, 't', 'year=2023', 'month=12', 'p.parquet'), events(2, Date.parse('2023-12-31T00:00:00Z'), 1000));
    await writeParquet(join(dir, 't', 'year=2024', 'month=01', 'p.parquet'), events(2, Date.parse('2024-01-31T23:59:59Z'), 1));
    await writeFile(join(dir, 't', 'year=2023', 'month=12', 'p.parquet'), 'corrupt');
    await mkdir(join(dir, 't', 'year=2024', 'month=02'), { recursive: true });
    await writeFile(join(dir, 't', 'year=2024', 'month=02', 'p.parquet'), 'corrupt');
    await mkdir(join(dir, 't', 'year=__HIVE_DEFAULT_PARTITION__'), { recursive: true });
    await writeFile(join(dir, 't', 'year=__HIVE_DEFAULT_PARTITION__', 'p.parquet'), 'corrupt');
    const src = source('t', { startTime: '2024-01-01T00:00:00Z', endTime: '2024-01-31T23:59:59.999Z' });
    const { rows } = await readAll(src.read());
    expect(rows).toHaveLength(2);
    expect(src.filesRead.map((p) => p.slice(dir.length + 3))).toEqual(['year=2024/month=01/p.parquet']);
  });

  it('prunes partitions on additional_filters (= / in / != / not in) and never opens them', async () => {
    await hiveTree((rel) => !rel.startsWith('country=US'));
    const onlyUs = [
      [['country', 'in', ['US', 'FR']]],
      [['country', '==', 'US']],
      [['country', 'not in', ['DE']]],
    ];
    for (const filters of onlyUs) {
      const src = source('tree', { filters });
      const { rows } = await readAll(src.read());
      expect(rows).toHaveLength(4 * 24);
      expect(new Set(rows.map((r) => r.country))).toEqual(new Set(['US']));
    }
    const byDay = source('tree', { filters: [['country', '=', 'US'], ['day', 'in', [4, '5']]] });
    await readAll(byDay.read());
    expect(byDay.filesRead.map((p) => p.slice(dir.length + 6))).toEqual([
      'country=US/year=2024/month=01/day=04/part-0.parquet', 'country=US/year=2024/month=01/day=05/part-0.parquet',
    ]);
  });

  it('names a corrupt file that is not pruned, and files whose columns differ', async () => {
    await hiveTree((rel) => rel === 'country=US/year=2024/month=01/day=05/part-0.parquet');
    await expect(readAll(source('tree').read())).rejects.toThrow(/parquet tree: file country=US\/year=2024\/month=01\/day=05\/part-0.parquet: not a readable Parquet file/);
    await writeParquet(join(dir, 'mixed', 'a.parquet'), events(2, T0, 1000));
    const other = events(2, T0, 1000, 0, null);
    await writeParquet(join(dir, 'mixed', 'b.parquet'), other);
    const err = await readAll(source('mixed').read()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/file b.parquet has columns \(id: Int64, ts: Timestamp<MICROSECOND>.*but a.parquet has/);
  });

  it('reads a directory without partitions in sorted order', async () => {
    await writeParquet(join(dir, 'flat', 'part-1.parquet'), events(3, T0, 1000, 100));
    await writeParquet(join(dir, 'flat', 'part-0.parquet'), events(3, T0, 1000, 0));
    await writeFile(join(dir, 'flat', '.hidden.parquet'), 'junk');
    const { rows } = await readAll(source('flat').read());
    expect(rows.map((r) => r.id)).toEqual([0n, 1n, 2n, 100n, 101n, 102n]);
  });

  it('reports an empty directory', async () => {
    await mkdir(join(dir, 'empty'));
    await expect(source('empty').schema()).rejects.toThrow(/holds no data files/);
  });
});
