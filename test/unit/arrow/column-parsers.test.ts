import { describe, expect, it } from 'vitest';
import { makeColumnParser } from '../../../src/arrow/make-column-parser.js';
import { makeVector } from 'apache-arrow';
import type { ColumnSpec } from '../../../src/arrow/column-types.js';
import type { ColumnParserOptions } from '../../../src/arrow/make-column-parser.js';

/** Appends the cells, returns the values read back from Arrow and the cells refused. */
function run(spec: ColumnSpec, cells: string[], o: ColumnParserOptions = {}): { values: unknown[]; refused: string[] } {
  const p = makeColumnParser(spec, { capacity: 2, ...o });
  const refused = cells.filter((c) => !p.append(c));
  return { values: [...makeVector(p.flush())], refused };
}

describe('column parsers', () => {
  it('int64: integers incl. beyond 2^53; empty is null; text, decimals and overflow are refused', () => {
    const r = run({ type: 'int64' }, ['1', '-42', '+7', '', '9007199254740993', '-9223372036854775808', '1.5', 'x', '9223372036854775808', ' ']);
    expect(r.values).toEqual([1n, -42n, 7n, null, 9007199254740993n, -9223372036854775808n]);
    expect(r.refused).toEqual(['1.5', 'x', '9223372036854775808', ' ']);
  });

  it('int64: writes negative and large safe integers exactly (two 32-bit halves)', () => {
    const cells = ['-1', '4294967296', '-4294967297', '3000000000', String(Number.MAX_SAFE_INTEGER), String(Number.MIN_SAFE_INTEGER)];
    expect(run({ type: 'int64' }, cells).values).toEqual(cells.map((c) => BigInt(c)));
  });

  it('int32 refuses values outside its range', () => {
    const r = run({ type: 'int32' }, ['2147483647', '-2147483648', '2147483648', '']);
    expect(r.values).toEqual([2147483647, -2147483648, null]);
    expect(r.refused).toEqual(['2147483648']);
  });

  it('float64: decimals, exponents, NaN and infinities; hex and blanks are refused', () => {
    const r = run({ type: 'float64' }, ['1.5', '-2e3', '0', '.5', 'NaN', 'inf', '-Infinity', '', '0x10', '  ', 'abc', '1,5']);
    expect(r.values.slice(0, 4)).toEqual([1.5, -2000, 0, 0.5]);
    expect(r.values[4]).toBeNaN();
    expect(r.values.slice(5)).toEqual([Infinity, -Infinity, null]);
    expect(r.refused).toEqual(['0x10', '  ', 'abc', '1,5']);
  });

  it('bool: true/false words in any case, 1/0, yes/no', () => {
    const r = run({ type: 'bool' }, ['true', 'FALSE', 'T', 'f', '1', '0', 'yes', 'No', '', 'maybe']);
    expect(r.values).toEqual([true, false, true, false, true, false, true, false, null]);
    expect(r.refused).toEqual(['maybe']);
  });

  it('string: as is; empty is null; multibyte text keeps its offsets', () => {
    const r = run({ type: 'string' }, ['a', '', 'grüße', '日本', 'z']);
    expect(r.values).toEqual(['a', null, 'grüße', '日本', 'z']);
  });

  it('date: YYYY-MM-DD only', () => {
    const r = run({ type: 'date' }, ['2024-01-05', '1969-12-31', '', '2024-01-05T00:00:00Z', '2024-02-30']);
    expect(r.values).toEqual([Date.UTC(2024, 0, 5), Date.UTC(1969, 11, 31), null]);
    expect(r.refused).toEqual(['2024-01-05T00:00:00Z', '2024-02-30']);
  });

  it('timestamp: offsets, naive = UTC, dates at midnight, microsecond precision', () => {
    const p = makeColumnParser({ type: 'timestamp', unit: 'us' });
    for (const c of ['2024-01-05T10:00:00Z', '2024-01-05T12:00:00+02:00', '2024-01-05T10:00:00.123456', '2024-01-05', '']) expect(p.append(c)).toBe(true);
    const d = p.flush();
    const base = BigInt(Date.UTC(2024, 0, 5, 10)) * 1000n;
    expect([...(d.values as BigInt64Array)].slice(0, 4)).toEqual([base, base, base + 123456n, BigInt(Date.UTC(2024, 0, 5)) * 1000n]);
    expect(d.nullCount).toBe(1);
  });

  it('timestamp: naive times in a declared zone (attributes.time_zone or the column tz), across DST', () => {
    const values = (spec: ColumnSpec, o: ColumnParserOptions, cells: string[]) => {
      const p = makeColumnParser(spec, o);
      for (const c of cells) expect(p.append(c)).toBe(true);
      return [...(p.flush().values as BigInt64Array)].map((v) => new Date(Number(v / 1000n)).toISOString());
    };
    expect(values({ type: 'timestamp', unit: 'us' }, { naiveZone: 'Europe/Berlin' }, ['2024-01-05T10:00:00', '2024-07-05T10:00:00', '2024-07-05T10:00:00Z']))
      .toEqual(['2024-01-05T09:00:00.000Z', '2024-07-05T08:00:00.000Z', '2024-07-05T10:00:00.000Z']);
    expect(values({ type: 'timestamp', unit: 'us', tz: 'America/New_York' }, { naiveZone: 'Europe/Berlin' }, ['2024-03-10T01:30:00', '2024-03-10T03:30:00']))
      .toEqual(['2024-03-10T06:30:00.000Z', '2024-03-10T07:30:00.000Z']);
  });

  it('timestamp: epoch numbers in the declared unit, converted to the storage unit', () => {
    const raw = (spec: ColumnSpec, o: ColumnParserOptions, cells: string[]) => {
      const p = makeColumnParser(spec, o);
      const ok = cells.map((c) => p.append(c));
      return { ok, values: [...(p.flush().values as BigInt64Array)] };
    };
    expect(raw({ type: 'timestamp', unit: 'us' }, { epochUnit: 's' }, ['1704448800', '1704448800.5', '-1']).values)
      .toEqual([1704448800000000n, 1704448800500000n, -1000000n]);
    expect(raw({ type: 'timestamp[ms]', unit: 'ms' }, { epochUnit: 'ns' }, ['1704448800123456789', '-1']).values).toEqual([1704448800123n, -1n]);
    expect(raw({ type: 'timestamp[ns]', unit: 'ns', epochUnit: 'ms' }, {}, ['1704448800123', '2024-01-05T10:00:00.123456789Z']).values)
      .toEqual([1704448800123000000n, 1704448800123456789n]);
    // without an epoch unit, numbers are refused
    const p = makeColumnParser({ type: 'timestamp', unit: 'us' });
    expect(p.append('1704448800')).toBe(false);
    expect(p.expected).toMatch(/to read epoch numbers set attributes.epoch_unit/);
  });

  it('truncate drops a partly appended row, nulls included', () => {
    const p = makeColumnParser({ type: 'float64' });
    p.append('1');
    p.append('');
    p.append('3');
    p.truncate(1);
    p.append('4');
    const d = p.flush();
    expect([...makeVector(d)]).toEqual([1, 4]);
    expect(d.nullCount).toBe(0);
    expect(p.length).toBe(0);
  });
});
