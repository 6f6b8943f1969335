import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { connector, createDataFrameSource } from '../../../connectors/dataframe/index.js';
import { loadConnector } from '../../../connectors/registry.js';
import { AbortedError, BadInputError, DataSource, filterBatches, SpecError } from '../../../src/index.js';
import { readAll } from '../../support/read-all.js';

const types = (s: { fields: { name: string; type: unknown }[] }) => s.fields.map((f) => `${f.name}:${String(f.type)}`);

describe('dataframe source', () => {
  it('infers types from row values', async () => {
    const t = new Date('2024-01-05T10:00:00.123Z');
    const src = createDataFrameSource([
      { id: 1, price: 2, big: 5n, ok: true, name: 'a', ts: t, extra: { x: 1 } },
      { id: 2, price: 2.5, big: null, ok: false, name: '', ts: null },
      { id: 3, price: null, ok: null, name: null, ts: t, only: 'late' },
    ], { keyField: 'id', timeField: 'ts', name: 'mem' });
    expect(types(await src.schema())).toEqual([
      'id:Int64', 'price:Float64', 'big:Int64', 'ok:Bool', 'name:Utf8', 'ts:Timestamp<MICROSECOND, UTC>', 'extra:Utf8', 'only:Utf8',
    ]);
    const { rows } = await readAll(src);
    expect(rows).toEqual([
      { id: 1n, price: 2, big: 5n, ok: true, name: 'a', ts: t.getTime(), extra: '{"x":1}', only: null },
      { id: 2n, price: 2.5, big: null, ok: false, name: '', ts: null, extra: null, only: null },
      { id: 3n, price: null, big: null, ok: null, name: null, ts: t.getTime(), extra: null, only: 'late' },
    ]);
    expect(src.spec.toDict()).toEqual({ kind: 'dataframe', name: 'mem', key_field: 'id', time_field: 'ts' });
  });

  it('takes a declared schema and names the row and column of a value that does not fit', async () => {
    const src = createDataFrameSource([{ id: '1', n: 1 }, { id: 2, n: 'x' }], { schema: { id: 'int64', n: 'int32' } });
    expect(types(await src.schema())).toEqual(['id:Int64', 'n:Int32']);
    const err = await readAll(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/^dataframe row 2, column `n`: "x" does not fit int32/);
    await expect(readAll(createDataFrameSource([{ a: 1 }, { a: true }], { schema: { a: 'float64' } }))).rejects.toThrow(/row 2, column `a`: true does not fit float64/);
  });

  it('mixed kinds become strings; bigints and integral numbers share int64', async () => {
    const src = createDataFrameSource([{ a: 1, b: 1n }, { a: 'x', b: 2 }]);
    expect(types(await src.schema())).toEqual(['a:Utf8', 'b:Int64']);
    expect((await readAll(src)).rows).toEqual([{ a: '1', b: 1n }, { a: 'x', b: 2n }]);
  });

  it('slices rows and tables to batchSize', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ i }));
    expect((await readAll(createDataFrameSource(rows), { batchSize: 10 })).batches.map((b) => b.numRows)).toEqual([10, 10, 5]);
    const table = tableFromArrays({ i: Int32Array.from({ length: 25 }, (_, i) => i) });
    const src = createDataFrameSource(table);
    const { batches, rows: out } = await readAll(src, { batchSize: 10 });
    expect(batches.map((b) => b.numRows)).toEqual([10, 10, 5]);
    expect(out.map((r) => r.i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(() => createDataFrameSource(table, { schema: { i: 'int64' } })).toThrow(/an Arrow table carries its own schema/);
  });

  it('goes through the filter stage', async () => {
    const src = createDataFrameSource([
      { id: 'a', ts: new Date('2024-01-01T00:00:00Z') },
      { id: 'b', ts: new Date('2024-01-02T00:00:00Z') },
    ]);
    const out: unknown[] = [];
    for await (const b of filterBatches(src.read(), { keyFields: ['id'], timeField: 'ts', startTime: new Date('2024-01-01T00:00:00Z'), description: src.description })) {
      out.push(...b.toArray().map((r) => r.toJSON().id));
    }
    expect(out).toEqual(['b']);
  });

  it('refuses to be built from a spec, and stops on abort', async () => {
    const m = await loadConnector('dataframe');
    expect(m).toBe(connector);
    expect(() => m.createSource!(new DataSource({ kind: 'dataframe' }))).toThrow(SpecError);
    expect(() => m.createSource!(new DataSource({ kind: 'dataframe' }))).toThrow(/cannot be built from a spec; build it in code with createDataFrameSource/);
    const ac = new AbortController();
    ac.abort();
    const it = createDataFrameSource([{ a: 1 }]).read({ signal: ac.signal });
    await expect(it.next()).rejects.toThrow(AbortedError);
  });
});
