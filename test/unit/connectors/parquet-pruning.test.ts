import { describe, expect, it } from 'vitest';
import { mayHoldWindow, mayPassFilters, partitionColumns, timeRangeOf } from '../../../connectors/parquet/index.js';
import type { HiveLevel } from '../../../src/index.js';

const lv = (path: string): HiveLevel[] => path.split('/').map((s) => {
  const [name, value] = s.split('=') as [string, string];
  return { name, value: value === 'NULL' ? null : value };
});
const iso = (ms: number) => new Date(ms).toISOString();

describe('time pruning', () => {
  it('gives the UTC range of a year/month/day/hour chain and ignores levels past a gap', () => {
    const r = timeRangeOf(lv('year=2024/month=02/day=29/hour=23'))!;
    expect([iso(r.lo), iso(r.hi)]).toEqual(['2024-02-29T23:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    const y = timeRangeOf(lv('key=3/year=2023/month=12'))!;
    expect([iso(y.lo), iso(y.hi)]).toEqual(['2023-12-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z']);
    const gap = timeRangeOf(lv('year=2024/day=05'))!;
    expect([iso(gap.lo), iso(gap.hi)]).toEqual(['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
    expect(timeRangeOf(lv('month=01'))).toBeUndefined();
    expect(timeRangeOf(lv('year=abc'))).toBeUndefined();
    expect(timeRangeOf(lv('year=2024/month=NULL'))).toBeNull();
  });

  it('keeps a directory only when its range can meet start < t <= end', () => {
    const day5 = lv('year=2024/month=01/day=05');
    const d = (s: string) => new Date(s);
    expect(mayHoldWindow(day5, d('2024-01-06T00:00:00Z'), undefined)).toBe(false); // hi = start
    expect(mayHoldWindow(day5, d('2024-01-05T23:59:59.999Z'), undefined)).toBe(true);
    expect(mayHoldWindow(day5, undefined, d('2024-01-05T00:00:00Z'))).toBe(true); // lo = end (inclusive)
    expect(mayHoldWindow(day5, undefined, d('2024-01-04T23:59:59.999Z'))).toBe(false);
    expect(mayHoldWindow(lv('year=NULL'), undefined, d('2030-01-01'))).toBe(false);
    expect(mayHoldWindow(lv('year=NULL'), undefined, undefined)).toBe(true);
    expect(mayHoldWindow(lv('country=US'), d('2030-01-01'), undefined)).toBe(true);
  });
});

describe('partition filters', () => {
  const files = [lv('k=1/c=US/year=2024'), lv('k=20/c=NULL/year=2025')].map((levels) => ({ path: '', relPath: '', levels }));
  const cols = new Map(partitionColumns(files).map((p) => [p.name, p]));

  it('types partition columns', () => {
    expect([...cols.values()].map((p) => `${p.name}:${p.kind}`)).toEqual(['k:int64', 'c:string', 'year:int32']);
  });

  it('prunes on = == != in "not in", never on other ops, and a null value passes nothing', () => {
    const [a, b] = [files[0]!.levels, files[1]!.levels];
    expect(mayPassFilters(a, [['k', '=', 1]], cols)).toBe(true);
    expect(mayPassFilters(a, [['k', '==', '01']], cols)).toBe(true);
    expect(mayPassFilters(a, [['k', 'in', [2, 3n]]], cols)).toBe(false);
    expect(mayPassFilters(a, [['k', '!=', 1]], cols)).toBe(false);
    expect(mayPassFilters(a, [['k', 'not in', [20]]], cols)).toBe(true);
    expect(mayPassFilters(a, [['k', '>', 5]], cols)).toBe(true);
    expect(mayPassFilters(a, [['k', '=', 'x']], cols)).toBe(true); // not comparable: left to the row filter
    expect(mayPassFilters(b, [['c', '!=', 'US']], cols)).toBe(false);
    expect(mayPassFilters(a, [['year', 'in', [2024]], ['other', '=', 1]], cols)).toBe(true);
  });
});
