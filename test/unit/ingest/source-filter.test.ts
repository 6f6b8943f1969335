import {
  Bool, DateDay, DateMillisecond, Field, Float64, Int32, Int64, makeData, RecordBatch, Schema, Struct, TimeUnit, Timestamp, Utf8, vectorFromArray,
} from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BadInputError, filterBatches, SpecError, validateFilters } from '../../../src/index.js';
import type { FilterBatchesOptions, FilterCounts } from '../../../src/index.js';

type Col = [name: string, type: DataType, values: unknown[]];

function batch(...cols: Col[]): RecordBatch {
  const fields = cols.map(([n, t]) => new Field(n, t, true));
  const children = cols.map(([, t, v]) => vectorFromArray(v, t).data[0] as Data);
  const length = cols[0]![2].length;
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}

function timestamps(unit: TimeUnit, tz: string | null, values: Array<bigint | null>): Data {
  const type = new Timestamp(unit, tz);
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => { if (v !== null) nullBitmap[i >> 3]! |= 1 << (i & 7); });
  return makeData({ type, length: values.length, nullCount: values.filter((v) => v === null).length, nullBitmap, data: BigInt64Array.from(values, (v) => v ?? 0n) });
}

function batchOf(cols: Array<[string, Data]>): RecordBatch {
  const fields = cols.map(([n, d]) => new Field(n, d.type, true));
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: cols[0]![1].length, nullCount: 0, children: cols.map((c) => c[1]) }));
}

async function* from(...batches: RecordBatch[]): AsyncGenerator<RecordBatch> {
  for (const b of batches) yield b;
}

async function run(batches: RecordBatch[], o: Partial<FilterBatchesOptions>): Promise<{ out: RecordBatch[]; rows: Record<string, unknown>[] }> {
  const out: RecordBatch[] = [];
  for await (const b of filterBatches(from(...batches), { keyFields: [], description: 'test source', ...o })) out.push(b);
  return { out, rows: out.flatMap((b) => b.toArray().map((r) => r.toJSON() as Record<string, unknown>)) };
}

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.id);
const at = (iso: string) => new Date(iso);

describe('filterBatches: time window', () => {
  const T0 = Date.parse('2024-01-05T10:00:00Z');
  const units: Array<[TimeUnit, bigint]> = [[TimeUnit.SECOND, 1n], [TimeUnit.MILLISECOND, 1000n], [TimeUnit.MICROSECOND, 1_000_000n], [TimeUnit.NANOSECOND, 1_000_000_000n]];
  for (const [unit, perSecond] of units) {
    for (const tz of [null, 'UTC', 'Europe/Berlin', 'America/New_York']) {
      it(`keeps start < t <= end on timestamp[${TimeUnit[unit]}, ${tz ?? 'naive'}]`, async () => {
        const sec = BigInt(T0 / 1000);
        // 09:59:59, 10:00:00 (= start, out), 10:00:01, 10:59:59, 11:00:00 (= end, in), 11:00:01, null
        const secs = [sec - 1n, sec, sec + 1n, sec + 3599n, sec + 3600n, sec + 3601n];
        const data = timestamps(unit, tz, [...secs.map((s) => s * perSecond), null]);
        const b = batchOf([['id', vectorFromArray([1, 2, 3, 4, 5, 6, 7], new Int32()).data[0]!], ['ts', data]]);
        const { rows } = await run([b], { timeField: 'ts', startTime: new Date(T0), endTime: new Date(T0 + 3600_000) });
        expect(ids(rows)).toEqual([3, 4, 5]);
      });
    }
  }

  it('compares nanosecond times exactly beyond 2^53 (1 ns past the end is out)', async () => {
    const end = BigInt(T0) * 1_000_000n;
    const data = timestamps(TimeUnit.NANOSECOND, 'UTC', [end - 1n, end, end + 1n]);
    const b = batchOf([['id', vectorFromArray([1, 2, 3], new Int32()).data[0]!], ['ts', data]]);
    const { rows } = await run([b], { timeField: 'ts', startTime: new Date(T0 - 1), endTime: new Date(T0) });
    expect(ids(rows)).toEqual([1, 2]);
  });

  it('floors a millisecond bound on a seconds column (start 10:00:00.500 excludes 10:00:00, keeps 10:00:01)', async () => {
    const sec = BigInt(T0 / 1000);
    const b = batchOf([['id', vectorFromArray([1, 2], new Int32()).data[0]!], ['ts', timestamps(TimeUnit.SECOND, 'UTC', [sec, sec + 1n])]]);
    const { rows } = await run([b], { timeField: 'ts', startTime: new Date(T0 + 500), endTime: new Date(T0 + 1500) });
    expect(ids(rows)).toEqual([2]);
  });

  it('filters date[day] and date[ms] columns', async () => {
    const days = [19725, 19726, 19727]; // 2024-01-03, 04, 05
    const b = batch(['id', new Int32(), [1, 2, 3]], ['d', new DateDay(), days.map((d) => new Date(d * 86400_000))], ['m', new DateMillisecond(), days.map((d) => new Date(d * 86400_000))]);
    const window = { startTime: at('2024-01-03T00:00:00Z'), endTime: at('2024-01-04T12:00:00Z') };
    expect(ids((await run([b], { timeField: 'd', ...window })).rows)).toEqual([2]);
    expect(ids((await run([b], { timeField: 'm', ...window })).rows)).toEqual([2]);
  });

  it('refuses a window on a column that is not a time, and a window without a time field', async () => {
    const b = batch(['id', new Int32(), [1]], ['ts', new Utf8(), ['2024-01-01']]);
    await expect(run([b], { timeField: 'ts', endTime: at('2024-01-02') })).rejects.toThrow(/time column `ts` is Utf8; a time window needs a timestamp or date column/);
    await expect(run([b], { endTime: at('2024-01-02') })).rejects.toThrow(/need a time_field/);
  });
});

describe('filterBatches: additional_filters', () => {
  const big = 2n ** 60n;
  const b = () => batch(
    ['id', new Int32(), [1, 2, 3, 4, 5]],
    ['n', new Int64(), [1n, 5n, big, big + 1n, null]],
    ['f', new Float64(), [0.5, 1.5, 2.5, null, 4]],
    ['s', new Utf8(), ['US', 'DE', '', null, 'FR']],
    ['ok', new Bool(), [true, false, true, null, false]],
    ['ts', new Timestamp(TimeUnit.MICROSECOND, 'UTC'), [Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-01-02T00:00:00Z'), Date.parse('2024-01-03T00:00:00Z'), null, Date.parse('2024-01-05T00:00:00Z')]],
  );
  const cases: Array<[string, unknown, number[]]> = [
    ['n = 5', ['n', '=', 5], [2]],
    ['n == "5" (string coerced)', ['n', '==', '5'], [2]],
    ['n != 5 (null never passes)', ['n', '!=', 5], [1, 3, 4]],
    ['n > 2^60 exact', ['n', '>', big], [4]],
    ['n >= 2^60 as bigint', ['n', '>=', big], [3, 4]],
    ['n < 4.5 (fraction on an int column)', ['n', '<', 4.5], [1]],
    ['n <= 5', ['n', '<=', 5], [1, 2]],
    ['n in', ['n', 'in', [1, 2n ** 60n + 1n, 7]], [1, 4]],
    ['n not in', ['n', 'not in', [1]], [2, 3, 4]],
    ['f > 1', ['f', '>', 1], [2, 3, 5]],
    ['f < "2"', ['f', '<', '2'], [1, 2]],
    ['s = ""', ['s', '=', ''], [3]],
    ['s in', ['s', 'in', ['US', 'FR']], [1, 5]],
    ['s not in', ['s', 'not in', ['US']], [2, 3, 5]],
    ['s >= "E"', ['s', '>=', 'E'], [1, 5]],
    ['ok = true', ['ok', '=', true], [1, 3]],
    ['ok != "true"', ['ok', '!=', 'true'], [2, 5]],
    ['ts >= ISO string', ['ts', '>=', '2024-01-02T00:00:00Z'], [2, 3, 5]],
    ['ts < ISO with offset', ['ts', '<', '2024-01-02T01:00:00+01:00'], [1]],
    ['ts = Date', ['ts', '=', new Date('2024-01-03T00:00:00Z')], [3]],
    ['ts in naive strings (UTC)', ['ts', 'in', ['2024-01-01T00:00:00', '2024-01-05']], [1, 5]],
  ];
  for (const [name, filter, expected] of cases) {
    it(name, async () => {
      const { rows } = await run([b()], { additionalFilters: validateFilters([filter]) });
      expect(ids(rows)).toEqual(expected);
    });
  }

  it('combines filters with the window (all must pass)', async () => {
    const { rows } = await run([b()], { timeField: 'ts', startTime: at('2024-01-01T00:00:00Z'), additionalFilters: [['f', '>', 2]] });
    expect(ids(rows)).toEqual([3, 5]);
  });

  it('names the filter, value and column type when the value does not fit', async () => {
    await expect(run([b()], { additionalFilters: [['n', '>', 'abc']] })).rejects.toThrow(SpecError);
    await expect(run([b()], { additionalFilters: [['n', '>', 'abc']] })).rejects.toThrow(/additional_filters\[0\].*value "abc" does not fit column `n` \(Int64\); expected an integer/);
    await expect(run([b()], { additionalFilters: [['ts', '>', 5]] })).rejects.toThrow(/value 5 does not fit column `ts`.*expected a time/);
  });

  it('lists the columns when a filter column is missing', async () => {
    const err = await run([b()], { additionalFilters: [['nope', '=', 1]] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toBe('test source: additional_filters[0] column `nope` is not in the data; columns: id, n, f, s, ok, ts');
  });
});

describe('filterBatches: keys and batches', () => {
  const b1 = () => batch(['id', new Int32(), [1, 2, 3]], ['k', new Utf8(), ['a', 'b', 'c']]);
  const b2 = () => batch(['id', new Int32(), [4, 5, 6]], ['k', new Utf8(), ['d', null, 'f']]);

  it('names the source, the running row number and the key column of a null key', async () => {
    const err = await run([b1(), b2()], { keyFields: ['id', 'k'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/^test source: row 5: key column `k` is null/);
  });

  it('skips null keys when asked and counts them', async () => {
    const counts: FilterCounts = { rowsIn: 0, rowsOut: 0, nullKeysSkipped: 0 };
    const { rows } = await run([b1(), b2()], { keyFields: ['k'], nullKeys: 'skip', counts });
    expect(ids(rows)).toEqual([1, 2, 3, 4, 6]);
    expect(counts).toEqual({ rowsIn: 6, rowsOut: 5, nullKeysSkipped: 1 });
  });

  it('checks keys only on rows that pass the filters', async () => {
    const { rows } = await run([b1(), b2()], { keyFields: ['k'], additionalFilters: [['id', '!=', 5]] });
    expect(ids(rows)).toEqual([1, 2, 3, 4, 6]);
  });

  it('lists the columns when a key column is missing', async () => {
    await expect(run([b1()], { keyFields: ['user'] })).rejects.toThrow('test source: key column `user` is not in the data; columns: id, k');
  });

  it('passes untouched batches through and drops emptied ones', async () => {
    const first = b1();
    const { out } = await run([first, b2()], { keyFields: ['id'], additionalFilters: [['id', '<', 4]] });
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(first);
  });
});

describe('validateFilters', () => {
  it('accepts MLRun-shaped filters', () => {
    expect(validateFilters([['a', 'not in', [1, 2]], ['b', '==', 'x']])).toEqual([['a', 'not in', [1, 2]], ['b', '==', 'x']]);
    expect(validateFilters(undefined)).toEqual([]);
  });

  it('names the bad op and lists the valid ones', () => {
    expect(() => validateFilters([['a', '=~', 1]])).toThrow('additional_filters[0]: op "=~" is not known; valid ops: "=", "==", "!=", "<", "<=", ">", ">=", "in", "not in"');
  });

  it('refuses bad shapes with the entry named', () => {
    expect(() => validateFilters('a > 1')).toThrow(/additional_filters: "a > 1" is not a list/);
    expect(() => validateFilters([['a', '>']])).toThrow(/additional_filters\[0\]: \["a", ">"\] is not \[column, op, value\]/);
    expect(() => validateFilters([['a', 'in', 3]])).toThrow(/"in" needs a non-empty list of values/);
    expect(() => validateFilters([['a', '=', null]])).toThrow(/"=" needs one value/);
    expect(() => validateFilters([[1n, '=', 1]])).toThrow(/the column 1n is not a column name/);
  });
});
