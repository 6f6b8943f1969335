import { describe, expect, it } from 'vitest';
import {
  Bool, DateDay, Decimal, Dictionary, Field, FixedSizeBinary, FixedSizeList, Float32, Int16, Int32, Int64, LargeUtf8, List,
  RecordBatch, Schema, Struct, Table, TimeMicrosecond, Timestamp, TimeUnit, Uint8, Utf8, Binary, vectorFromArray,
} from 'apache-arrow';
import { takeRows } from '../../../src/partition/take-rows.js';

const N = 37;
const pick = <T>(f: (i: number) => T): T[] => Array.from({ length: N }, (_, i) => f(i));

function wideBatch(): RecordBatch {
  const point = new Struct([new Field('x', new Int32(), true), new Field('tag', new Utf8(), true)]);
  const table = new Table({
    i16: vectorFromArray(pick((i) => (i % 5 === 0 ? null : i - 10)), new Int16()),
    i64: vectorFromArray(pick((i) => BigInt(i) * 10_000_000_000n), new Int64()),
    f32: vectorFromArray(pick((i) => i / 4), new Float32()),
    u8: vectorFromArray(pick((i) => i), new Uint8()),
    flag: vectorFromArray(pick((i) => (i % 7 === 0 ? null : i % 3 === 0)), new Bool()),
    s: vectorFromArray(pick((i) => (i % 6 === 0 ? null : `row-${i}-${'é'.repeat(i % 4)}${'x'.repeat(i)}`)), new Utf8()),
    ls: vectorFromArray(pick((i) => `L${i}`), new LargeUtf8()),
    bin: vectorFromArray(pick((i) => Uint8Array.from([i, i + 1])), new Binary()),
    fsb: vectorFromArray(pick((i) => Uint8Array.from([i, 255 - i, 7])), new FixedSizeBinary(3)),
    dict: vectorFromArray(pick((i) => ['red', 'green', null][i % 3] ?? null), new Dictionary(new Utf8(), new Int32())),
    day: vectorFromArray(pick((i) => new Date(Date.UTC(2024, 0, 1 + i))), new DateDay()),
    ts: vectorFromArray(pick((i) => new Date(Date.UTC(2024, 0, 1, i))), new Timestamp(TimeUnit.MICROSECOND, 'UTC')),
    tod: vectorFromArray(pick((i) => BigInt(i) * 1_000_000n), new TimeMicrosecond()),
    list: vectorFromArray(pick((i) => (i % 4 === 0 ? null : Array.from({ length: i % 3 }, (_, k) => i * 10 + k))), new List(new Field('item', new Int32(), true))),
    fsl: vectorFromArray(pick((i) => [i, -i]), new FixedSizeList(2, new Field('item', new Int32(), true))),
    point: vectorFromArray(pick((i) => (i % 9 === 0 ? null : { x: i, tag: i % 2 ? `t${i}` : null })), point),
    dec: vectorFromArray(pick((i) => Uint32Array.from([i, 0, 0, 0])), new Decimal(2, 10, 128)),
  });
  const batch = table.batches[0];
  if (!batch) throw new Error('no batch');
  return batch;
}

const json = (b: RecordBatch): string => JSON.stringify(b.toArray().map((r) => r.toJSON()), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array || v instanceof Uint32Array ? Array.from(v) : v));

describe('takeRows', () => {
  it('selects scattered rows of every column type exactly as row-by-row reading would', () => {
    const batch = wideBatch();
    const all = batch.schema.fields.map((_, i) => i);
    const idx = Int32Array.from([0, 2, 3, 5, 8, 9, 13, 21, 22, 30, 36]);
    const out = takeRows(batch, all, idx);
    expect(out.numRows).toBe(idx.length);
    const expected = JSON.stringify(JSON.parse(json(batch)).filter((_: unknown, i: number) => idx.includes(i)));
    expect(json(out)).toBe(expected);
  });

  it('selects rows of a sliced batch', () => {
    const batch = wideBatch().slice(5, 30);
    const all = batch.schema.fields.map((_, i) => i);
    const idx = Int32Array.from([1, 4, 6, 7, 19, 24]);
    const expected = JSON.stringify(JSON.parse(json(batch)).filter((_: unknown, i: number) => idx.includes(i)));
    expect(json(takeRows(batch, all, idx))).toBe(expected);
  });

  it('slices a contiguous run without copying and keeps only the asked columns and the schema metadata', () => {
    const batch = wideBatch();
    const source = new RecordBatch(new Schema(batch.schema.fields, new Map([['origin', 'test']])), batch.data);
    const out = takeRows(source, [0, 5], Int32Array.from([3, 4, 5]));
    expect(out.schema.fields.map((f) => f.name)).toEqual(['i16', 's']);
    expect(out.getChild('s')?.toArray()).toEqual(['row-3-éééxxx', 'row-4-xxxx', 'row-5-éxxxxx']);
    expect(out.data.children[1]?.values).toBe(source.data.children[5]?.values);
    expect(out.schema.metadata.get('origin')).toBe('test');
  });
});
