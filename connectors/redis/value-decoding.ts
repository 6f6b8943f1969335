import { parseTime } from '../../src/index.js';
import type { StoredColumn } from './table-schema.js';

/** Epoch milliseconds of an exact decimal seconds string (`1700000000.123456` → 1700000000123), floored. */
export function decimalSecondsToMs(s: string): number | undefined {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) {
    const x = Number(s);
    return Number.isFinite(x) ? Math.floor(x * 1000) : undefined;
  }
  const neg = m[1] === '-';
  const frac = (m[3] ?? '').padEnd(3, '0');
  const whole = Number(m[2]) * 1000 + Number(frac.slice(0, 3));
  const rest = /[1-9]/.test(frac.slice(3));
  return neg ? -whole - (rest ? 1 : 0) : whole;
}

/** An integer in JS form: a number when it is a safe integer, else a bigint. */
export function intValue(s: string): number | bigint | undefined {
  const t = s.trim();
  if (!/^[-+]?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : BigInt(t);
}

/**
 * A stored string read back as its column's type (from `.schema`): integers as numbers (bigint past 2^53),
 * floats as numbers (`nan`, `inf`, `-inf` too), booleans, timestamps and dates as `Date`, strings as they are.
 * A null (missing field) stays null. A value that does not fit the stored type (written by another tool) is
 * returned as the raw string rather than guessed.
 */
export function decodeValue(raw: string | null, col: StoredColumn): unknown {
  if (raw === null) return null;
  switch (col.type) {
    case 'string':
      return raw;
    case 'bool': {
      const s = raw.toLowerCase();
      return s === 'true' ? true : s === 'false' ? false : raw;
    }
    case 'float16':
    case 'float32':
    case 'float64': {
      const s = raw.toLowerCase();
      if (s === 'nan' || s === '-nan') return NaN;
      if (s === 'inf') return Infinity;
      if (s === '-inf') return -Infinity;
      const x = Number(raw);
      return raw.trim() === '' || Number.isNaN(x) ? raw : x;
    }
    case 'timestamp':
    case 'date': {
      if (!/^_dt:/i.test(raw)) return raw;
      const ms = decimalSecondsToMs(raw.slice(4));
      return ms === undefined ? raw : new Date(ms);
    }
    default:
      return intValue(raw) ?? raw;
  }
}

/** A key value the caller gave, in the entity column's type (for the reader's output rows). */
export function entityValue(value: unknown, col: StoredColumn): unknown {
  if (value === null || value === undefined) return null;
  switch (col.type) {
    case 'string':
      return String(value);
    case 'bool':
      return value === true || /^(true|1)$/i.test(String(value));
    case 'float16':
    case 'float32':
    case 'float64':
      return typeof value === 'number' ? value : Number(value);
    case 'timestamp':
    case 'date':
      return typeof value === 'number' ? new Date(value) : parseTime(value, `entity "${col.name}"`);
    default:
      return typeof value === 'number' ? value : (intValue(String(value)) ?? value);
  }
}
