import { DataType, DateUnit, TimeUnit, makeVector } from 'apache-arrow';
import type { Data, Timestamp } from 'apache-arrow';

/**
 * Python's `str()` of a float (`repr`, shortest round-trip digits): `1.0`, `0.1`, `1e-05`, `1e+16`, `nan`,
 * `inf`, `-0.0`. Fixed notation for exponents -5 < e < 16, scientific otherwise (two-digit exponent minimum).
 */
export function pythonFloatStr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant = '', expStr = '0'] = x.toExponential().split('e');
  const exp = Number(expStr);
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = String(Math.abs(exp)).padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${int}.${frac === '' ? '0' : frac}`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD` of a UTC day number (days since 1970-01-01), as Python's `str(date)`. */
export function pythonDateStr(epochDay: number): string {
  const d = new Date(epochDay * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * Python's / pandas' `str()` of a timestamp given in `unit` since the epoch: `YYYY-MM-DD HH:MM:SS`, then
 * `.ffffff` when there are sub-second digits (`.fffffffff` when there are nanoseconds), then `+00:00` when the
 * column has a time zone. Times are always rendered in UTC (pandas would use the column's zone offset).
 */
export function pythonTimestampStr(value: bigint, unit: TimeUnit, hasZone: boolean): string {
  const perSec = unit === TimeUnit.SECOND ? 1n : unit === TimeUnit.MILLISECOND ? 1000n : unit === TimeUnit.MICROSECOND ? 1_000_000n : 1_000_000_000n;
  let secs = value / perSec;
  let rem = value % perSec;
  if (rem < 0n) {
    rem += perSec;
    secs -= 1n;
  }
  const nanos = Number(rem * (1_000_000_000n / perSec));
  const secNum = Number(secs);
  const day = Math.floor(secNum / 86_400);
  const sod = secNum - day * 86_400;
  let s = `${pythonDateStr(day)} ${pad(Math.floor(sod / 3600))}:${pad(Math.floor(sod / 60) % 60)}:${pad(sod % 60)}`;
  if (nanos % 1000 !== 0) s += `.${pad(nanos, 9)}`;
  else if (nanos !== 0) s += `.${pad(nanos / 1000, 6)}`;
  return hasZone ? `${s}+00:00` : s;
}

/** Reads row `i` of a column as the string Python's `str()` gives (null for a null). */
export type RowStringifier = (i: number) => string | null;

/**
 * A stringifier for one column chunk (not dictionary-encoded; see `column-codes.ts`): strings as they are,
 * integers in decimal, floats as {@link pythonFloatStr}, booleans `True`/`False`, dates `YYYY-MM-DD`,
 * timestamps as {@link pythonTimestampStr}. The type must pass `isPartitionableType`.
 */
export function rowStringifier(data: Data): RowStringifier {
  const type = data.type as DataType;
  const vector = makeVector(data);
  const valid = (i: number): boolean => data.getValid(i);
  if (DataType.isNull(type)) return () => null;
  if (DataType.isFloat(type)) return (i) => (valid(i) ? pythonFloatStr(vector.get(i) as number) : null);
  if (DataType.isBool(type)) return (i) => (valid(i) ? (vector.get(i) ? 'True' : 'False') : null);
  if (DataType.isDate(type)) {
    const values = data.values as Int32Array | BigInt64Array;
    if (type.unit === DateUnit.DAY) return (i) => (valid(i) ? pythonDateStr(values[i] as number) : null);
    return (i) => (valid(i) ? pythonDateStr(Math.floor(Number(values[i]) / 86_400_000)) : null);
  }
  if (DataType.isTimestamp(type)) {
    const values = data.values as BigInt64Array;
    const t = type as Timestamp;
    const hasZone = t.timezone !== null && t.timezone !== undefined && t.timezone !== '';
    return (i) => (valid(i) ? pythonTimestampStr(values[i] as bigint, t.unit, hasZone) : null);
  }
  return (i) => {
    const v = vector.get(i) as unknown;
    return v === null || v === undefined ? null : String(v);
  };
}
