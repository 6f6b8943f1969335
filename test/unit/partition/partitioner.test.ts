import { describe, expect, it } from 'vitest';
import {
  Bool, DateDay, DateMillisecond, Dictionary, Float64, Int32, Int64, Table, Timestamp, TimeUnit, Utf8,
  makeData, makeVector, vectorFromArray,
} from 'apache-arrow';
import type { RecordBatch, Vector } from 'apache-arrow';
import { BadInputError, SluiceError, SpecError } from '../../../src/errors.js';
import { Partitioner } from '../../../src/partition/partitioner.js';

function batchOf(columns: Record<string, Vector>): RecordBatch {
  const batch = new Table(columns).batches[0];
  if (!batch) throw new Error('no batch');
  return batch;
}

function timestamps(unit: TimeUnit, tz: string | null, values: Array<bigint | null>): Vector {
  const data = BigInt64Array.from(values.map((v) => v ?? 0n));
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v !== null) nullBitmap[i >> 3] = (nullBitmap[i >> 3] as number) | (1 << (i & 7));
  });
  const nullCount = values.filter((v) => v === null).length;
  return makeVector(makeData({ type: new Timestamp(unit, tz), length: values.length, data, nullBitmap, nullCount } as never));
}

const ms = (iso: string): bigint => BigInt(Date.parse(iso));
const rows = (b: RecordBatch): unknown[] => b.toArray().map((r) => r.toJSON());

// Bucket numbers computed with python3: int(hashlib.sha1(str(key).encode()).hexdigest(), 16) % N
// AAPL: %4 = 1, %16 = 1; MSFT: %4 = 3, %16 = 3; GOOG: %16 = 6; 'US.42': %16 = 10.
describe('Partitioner', () => {
  const trades = (): RecordBatch =>
    batchOf({
      id: vectorFromArray(['AAPL', 'MSFT', 'AAPL', 'GOOG'], new Utf8()),
      country: vectorFromArray(['US', 'US', 'DE', 'US'], new Utf8()),
      price: vectorFromArray([1.5, 2.5, 3.5, 4.5], new Float64()),
      ts: timestamps(TimeUnit.MILLISECOND, null, [ms('2024-01-05T10:00:00Z'), ms('2024-01-05T11:00:00Z'), ms('2024-01-06T10:00:00Z'), ms('2024-01-05T23:59:59.999Z')]),
    });

  it('names levels in MLRun order: key bucket, partition columns, time', () => {
    const p = new Partitioner({ keyFields: ['id'], keyBucketingNumber: 4, partitionCols: ['country'], granularity: 'day', timeField: 'ts' });
    const groups = p.split(trades());
    expect(groups.map((g) => g.key)).toEqual([
      'hash4_key=1/country=US/year=2024/month=01/day=05',
      'hash4_key=3/country=US/year=2024/month=01/day=05',
      'hash4_key=1/country=DE/year=2024/month=01/day=06',
      'hash4_key=2/country=US/year=2024/month=01/day=05', // GOOG % 4 = 2 (python3)
    ]);
    expect(groups[0]?.values).toEqual({ hash4_key: '1', country: 'US', year: '2024', month: '01', day: '05' });
    expect(p.partitionCount()).toBe(4);
  });

  it('groups rows, removes partition columns and keeps the key and time columns', () => {
    const p = new Partitioner({ keyFields: ['id'], keyBucketingNumber: 16, partitionCols: ['country'] });
    const groups = p.split(trades());
    expect(groups.map((g) => g.key)).toEqual(['hash16_key=1/country=US', 'hash16_key=3/country=US', 'hash16_key=1/country=DE', 'hash16_key=6/country=US']);
    for (const g of groups) expect(g.batch.schema.fields.map((f) => f.name)).toEqual(['id', 'price', 'ts']);
    expect(rows(groups[2]!.batch)).toEqual([{ id: 'AAPL', price: 3.5, ts: Date.parse('2024-01-06T10:00:00Z') }]);
  });

  it('cuts time levels at each granularity, zero-padded', () => {
    const batch = batchOf({ id: vectorFromArray(['a'], new Utf8()), ts: timestamps(TimeUnit.MICROSECOND, null, [ms('2024-03-07T08:09:05.123Z') * 1000n]) });
    const expected = {
      year: 'year=2024',
      month: 'year=2024/month=03',
      day: 'year=2024/month=03/day=07',
      hour: 'year=2024/month=03/day=07/hour=08',
      minute: 'year=2024/month=03/day=07/hour=08/minute=09',
      second: 'year=2024/month=03/day=07/hour=08/minute=09/second=05',
    } as const;
    for (const [granularity, key] of Object.entries(expected)) {
      const p = new Partitioner({ keyFields: ['id'], granularity: granularity as keyof typeof expected, timeField: 'ts' });
      expect(p.split(batch).map((g) => g.key)).toEqual([key]);
    }
  });

  it('partitions by UTC whatever the column time zone and unit', () => {
    const at = ms('2024-01-05T03:30:00Z'); // 22:30 on Jan 4 in New York
    const cases: Vector[] = [
      timestamps(TimeUnit.MILLISECOND, 'America/New_York', [at]),
      timestamps(TimeUnit.SECOND, 'UTC', [at / 1000n]),
      timestamps(TimeUnit.MICROSECOND, '+05:30', [at * 1000n]),
      timestamps(TimeUnit.NANOSECOND, null, [at * 1_000_000n]),
    ];
    for (const ts of cases) {
      const p = new Partitioner({ keyFields: [], granularity: 'hour', timeField: 'ts' });
      expect(p.split(batchOf({ ts })).map((g) => g.key)).toEqual(['year=2024/month=01/day=05/hour=03']);
    }
  });

  it('floors exactly at unit edges, before 1970 and for nanoseconds beyond 2^53', () => {
    const ts = timestamps(TimeUnit.NANOSECOND, null, [1704448799999999999n, 1704448800000000000n, -1n, -86_400_000_000_000n]);
    const p = new Partitioner({ keyFields: [], granularity: 'second', timeField: 'ts' });
    expect(p.split(batchOf({ ts })).map((g) => g.key)).toEqual([
      'year=2024/month=01/day=05/hour=09/minute=59/second=59',
      'year=2024/month=01/day=05/hour=10/minute=00/second=00',
      'year=1969/month=12/day=31/hour=23/minute=59/second=59',
      'year=1969/month=12/day=31/hour=00/minute=00/second=00',
    ]);
  });

  it('reads Date columns as UTC midnight', () => {
    const day = vectorFromArray([new Date('2024-02-29T00:00:00Z'), new Date('2023-12-31T00:00:00Z')], new DateDay());
    const milli = vectorFromArray([new Date('2024-02-29T13:00:00Z'), new Date('2023-12-31T00:00:00Z')], new DateMillisecond());
    for (const d of [day, milli]) {
      const p = new Partitioner({ keyFields: [], granularity: 'month', timeField: 'd' });
      expect(p.split(batchOf({ d })).map((g) => g.key)).toEqual(['year=2024/month=02', 'year=2023/month=12']);
    }
  });

  it('refuses a null event time, naming the row and the column', () => {
    const p = new Partitioner({ keyFields: [], granularity: 'day', timeField: 'ts' });
    const batch = batchOf({ ts: timestamps(TimeUnit.MILLISECOND, null, [ms('2024-01-05T00:00:00Z'), null]) });
    expect(() => p.split(batch)).toThrow(BadInputError);
    expect(() => p.split(batch)).toThrow(/time_field `ts`: row 1 of the batch is null/);
  });

  it('uses key=<key> for N = 0, joins multi-column keys with "." and encodes them', () => {
    const batch = batchOf({
      country: vectorFromArray(['US', 'US', 'a/b'], new Utf8()),
      n: vectorFromArray([42n, 42n, 7n], new Int64()),
    });
    const plain = new Partitioner({ keyFields: ['country', 'n'], keyBucketingNumber: 0 });
    expect(plain.split(batch).map((g) => g.key)).toEqual(['key=US.42', 'key=a%2Fb.7']);
    expect(plain.split(batch)[1]?.values).toEqual({ key: 'a/b.7' });
    const hashed = new Partitioner({ keyFields: ['country', 'n'], keyBucketingNumber: 16 });
    expect(hashed.split(batch)[0]?.key).toBe('hash16_key=10'); // python3: sha1('US.42') % 16 = 10
  });

  it('treats ("a.b", "c") and ("a", "b.c") as one key, as storey does', () => {
    const batch = batchOf({ x: vectorFromArray(['a.b', 'a'], new Utf8()), y: vectorFromArray(['c', 'b.c'], new Utf8()) });
    const groups = new Partitioner({ keyFields: ['x', 'y'], keyBucketingNumber: 0 }).split(batch);
    expect(groups.map((g) => [g.key, g.batch.numRows])).toEqual([['key=a.b.c', 2]]);
  });

  it('gives the same buckets for sliced, dictionary-encoded and integer key columns', () => {
    const p = new Partitioner({ keyFields: ['id'], keyBucketingNumber: 16 });
    expect(p.split(trades().slice(1, 3)).map((g) => g.key)).toEqual(['hash16_key=3', 'hash16_key=1']);
    const dict = batchOf({ id: vectorFromArray(['GOOG', 'AAPL', 'GOOG'], new Dictionary(new Utf8(), new Int32())) });
    expect(p.split(dict).map((g) => [g.key, g.batch.numRows])).toEqual([['hash16_key=6', 2], ['hash16_key=1', 1]]);
    // python3: int(hashlib.sha1(str(12345).encode()).hexdigest(), 16) % 16 == 4; str(-7) → 1
    const ints = batchOf({ id: vectorFromArray([12345n, -7n], new Int64()) });
    expect(p.split(ints).map((g) => g.key)).toEqual(['hash16_key=4', 'hash16_key=1']);
  });

  it('refuses a null key, naming the row and the column', () => {
    const batch = batchOf({ id: vectorFromArray(['a', null, 'b'], new Utf8()) });
    expect(() => new Partitioner({ keyFields: ['id'], keyBucketingNumber: 8 }).split(batch)).toThrow(/key_field `id`: row 1 of the batch is null/);
  });

  it('writes partition values as Python str() would, nulls as the Hive default partition', () => {
    const batch = batchOf({
      i: vectorFromArray([42, 42, null, 42], new Int32()),
      f: vectorFromArray([1, 1, 1, 0.5], new Float64()),
      b: vectorFromArray([true, true, false, true], new Bool()),
      s: vectorFromArray(['x y', 'x y', 'Zürich', ''], new Dictionary(new Utf8(), new Int32())),
      v: vectorFromArray([1, 2, 3, 4], new Int32()),
    });
    const groups = new Partitioner({ keyFields: [], partitionCols: ['i', 'f', 'b', 's'] }).split(batch);
    expect(groups.map((g) => g.key)).toEqual([
      'i=42/f=1.0/b=True/s=x%20y',
      'i=__HIVE_DEFAULT_PARTITION__/f=1.0/b=False/s=Z%C3%BCrich',
      'i=42/f=0.5/b=True/s=__HIVE_DEFAULT_PARTITION__',
    ]);
    expect(groups.map((g) => g.values)).toEqual([
      { i: '42', f: '1.0', b: 'True', s: 'x y' },
      { i: null, f: '1.0', b: 'False', s: 'Zürich' },
      { i: '42', f: '0.5', b: 'True', s: '' },
    ]);
    expect(groups.map((g) => rows(g.batch))).toEqual([[{ v: 1 }, { v: 2 }], [{ v: 3 }], [{ v: 4 }]]);
  });

  it('merges values that encode to the same directory ("" and null)', () => {
    const batch = batchOf({ c: vectorFromArray(['', null, 'x', ''], new Utf8()), v: vectorFromArray([1, 2, 3, 4], new Int32()) });
    const groups = new Partitioner({ keyFields: [], partitionCols: ['c'] }).split(batch);
    expect(groups.map((g) => [g.key, rows(g.batch)])).toEqual([
      ['c=__HIVE_DEFAULT_PARTITION__', [{ v: 1 }, { v: 2 }, { v: 4 }]],
      ['c=x', [{ v: 3 }]],
    ]);
  });

  it('does not copy a batch that falls in one partition', () => {
    const batch = trades();
    const [only, ...rest] = new Partitioner({ keyFields: ['id'], partitionCols: ['country'], granularity: 'year', timeField: 'ts' }).split(batch.slice(0, 2));
    expect(rest).toEqual([]);
    expect(only?.key).toBe('country=US/year=2024');
    expect(only?.batch.data.children[0]?.values).toBe(batch.slice(0, 2).data.children[0]?.values);
  });

  it('yields one group with key "" when unpartitioned', () => {
    const batch = trades();
    const groups = new Partitioner({ keyFields: ['id'] }).split(batch);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.key).toBe('');
    expect(groups[0]?.values).toEqual({});
    expect(rows(groups[0]!.batch)).toEqual(rows(batch));
  });

  it('refuses to exceed max_partitions, naming the count and the setting, and counts nothing of that batch', () => {
    const p = new Partitioner({ keyFields: ['id'], keyBucketingNumber: 0 }, { maxPartitions: 3 });
    const ids = (xs: string[]): RecordBatch => batchOf({ id: vectorFromArray(xs, new Utf8()) });
    p.split(ids(['a', 'b']));
    expect(p.partitionCount()).toBe(2);
    let err: unknown;
    try {
      p.split(ids(['a', 'c', 'd']));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as Error).message).toMatch(/partitioning would open 4 partitions, more than max_partitions=3/);
    expect(p.partitionCount()).toBe(2);
    p.split(ids(['a', 'c']));
    expect(p.partitionCount()).toBe(3);
  });

  it('defaults max_partitions to 10,000', () => {
    const p = new Partitioner({ keyFields: ['id'], keyBucketingNumber: 0 });
    const many = (from: number, n: number): RecordBatch => batchOf({ id: vectorFromArray(Array.from({ length: n }, (_, i) => `k${from + i}`), new Utf8()) });
    p.split(many(0, 10_000));
    expect(p.partitionCount()).toBe(10_000);
    expect(() => p.split(many(10_000, 1))).toThrow(/10001 partitions, more than max_partitions=10000/);
  });

  it('checks the spec and the batch schema', () => {
    expect(() => new Partitioner({ keyFields: ['id'], granularity: 'day' })).toThrow(SpecError);
    const p = new Partitioner({ keyFields: ['id'], partitionCols: ['region'] });
    expect(() => p.split(trades())).toThrow('partition_cols: column `region` is not in the source; columns: id, country, price, ts');
  });

  it('handles an empty batch', () => {
    const batch = trades().slice(0, 0);
    expect(new Partitioner({ keyFields: ['id'], keyBucketingNumber: 4 }).split(batch)).toEqual([]);
  });
});
