import { describe, expect, it } from 'vitest';
import { TimeUnit } from 'apache-arrow';
import { pythonDateStr, pythonFloatStr, pythonTimestampStr } from '../../../src/partition/python-str.js';

describe('Python str() of values', () => {
  it('formats floats as Python 3 str() does (expected strings printed by python3)', () => {
    const cases: Array<[number, string]> = [
      [1.0, '1.0'], [0.1, '0.1'], [1e-5, '1e-05'], [1e16, '1e+16'], [1e15, '1000000000000000.0'],
      [123456789.125, '123456789.125'], [-2.5e-7, '-2.5e-07'], [1.5e300, '1.5e+300'], [NaN, 'nan'],
      [Infinity, 'inf'], [-Infinity, '-inf'], [-0, '-0.0'], [0.0001, '0.0001'], [100.0, '100.0'],
      [1 / 3, '0.3333333333333333'], [3e20, '3e+20'],
    ];
    for (const [x, s] of cases) expect(pythonFloatStr(x)).toBe(s);
  });

  it('formats dates and timestamps as Python/pandas str() (in UTC)', () => {
    expect(pythonDateStr(19727)).toBe('2024-01-05');
    expect(pythonTimestampStr(1704448800n, TimeUnit.SECOND, false)).toBe('2024-01-05 10:00:00');
    expect(pythonTimestampStr(1704448800123n, TimeUnit.MILLISECOND, false)).toBe('2024-01-05 10:00:00.123000');
    expect(pythonTimestampStr(1704448800000000n, TimeUnit.MICROSECOND, true)).toBe('2024-01-05 10:00:00+00:00');
    expect(pythonTimestampStr(1704448800000000500n, TimeUnit.NANOSECOND, false)).toBe('2024-01-05 10:00:00.000000500');
    expect(pythonTimestampStr(-1n, TimeUnit.MILLISECOND, false)).toBe('1969-12-31 23:59:59.999000');
  });
});
