import { DataType, DateUnit, TimeUnit } from 'apache-arrow';
import type { Data, Date_, Timestamp } from 'apache-arrow';
import { BadInputError } from '../errors.js';
import { GRANULARITIES } from './partition-spec.js';
import type { Granularity } from './partition-spec.js';

/** The time levels from `year` down to and including `granularity`. */
export function timeLevelNames(granularity: Granularity): Granularity[] {
  return GRANULARITIES.slice(0, GRANULARITIES.indexOf(granularity) + 1);
}

/** Exact floor(v / d) for an integer held in a bigint; fast in doubles, BigInt only near a ±2^53 rounding edge. */
function floorDiv(v: bigint, d: number): number {
  const x = Number(v);
  let q = Math.floor(x / d);
  if (Math.abs(x) <= Number.MAX_SAFE_INTEGER) {
    const r = x - q * d;
    if (r < 0) q -= 1;
    else if (r >= d) q += 1;
    return q;
  }
  const r = x - q * d;
  if (r > 65_536 && r < d - 65_536) return q;
  const db = BigInt(d);
  let qb = v / db;
  if (v % db < 0n) qb -= 1n;
  return Number(qb);
}

const PER_SECOND: Record<TimeUnit, number> = {
  [TimeUnit.SECOND]: 1,
  [TimeUnit.MILLISECOND]: 1_000,
  [TimeUnit.MICROSECOND]: 1_000_000,
  [TimeUnit.NANOSECOND]: 1_000_000_000,
};

/**
 * Whole UTC seconds since the epoch (floored) of every row of an event time column (Timestamp of any unit, zone
 * or not, or Date). Throws {@link BadInputError} naming the row and the column on a null.
 */
export function eventSeconds(data: Data, column: string): Float64Array {
  const n = data.length;
  const out = new Float64Array(n);
  if (data.nullCount > 0) {
    for (let i = 0; i < n; i++) {
      if (!data.getValid(i)) {
        throw new BadInputError(`time_field \`${column}\`: row ${i} of the batch is null; time partitioning needs an event time on every row (drop or fill such rows before ingesting)`);
      }
    }
  }
  const type = data.type as DataType;
  if (DataType.isDate(type) && (type as Date_).unit === DateUnit.DAY) {
    const days = data.values as Int32Array;
    for (let i = 0; i < n; i++) out[i] = (days[i] as number) * 86_400;
    return out;
  }
  const per = DataType.isTimestamp(type) ? PER_SECOND[(type as Timestamp).unit] : 1_000;
  const raw = data.values as BigInt64Array;
  if (per === 1) for (let i = 0; i < n; i++) out[i] = Number(raw[i]);
  else for (let i = 0; i < n; i++) out[i] = floorDiv(raw[i] as bigint, per);
  return out;
}

/** Year, month (1-12) and day of a UTC day number (H. Hinnant's civil_from_days). */
function civil(epochDay: number): [number, number, number] {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** A number identifying the time partition of `sec` at `granularity` (equal iff same partition). */
export function timeBucket(sec: number, granularity: Granularity): number {
  switch (granularity) {
    case 'second':
      return sec;
    case 'minute':
      return Math.floor(sec / 60);
    case 'hour':
      return Math.floor(sec / 3600);
    case 'day':
      return Math.floor(sec / 86_400);
    case 'month': {
      const [y, m] = civil(Math.floor(sec / 86_400));
      return y * 12 + m - 1;
    }
    case 'year':
      return civil(Math.floor(sec / 86_400))[0];
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The zero-padded level values (`['2024', '01', '05', ...]`) of a UTC time, down to `granularity`. */
export function timeLevelValues(sec: number, granularity: Granularity): string[] {
  const day = Math.floor(sec / 86_400);
  const sod = sec - day * 86_400;
  const [y, m, d] = civil(day);
  const all = [pad(y, 4), pad(m), pad(d), pad(Math.floor(sod / 3600)), pad(Math.floor(sod / 60) % 60), pad(sod % 60)];
  return all.slice(0, GRANULARITIES.indexOf(granularity) + 1);
}

/** Per-row time partition codes and, per code, its level values. */
export interface TimeCodes {
  codes: Int32Array;
  values: string[][];
}

/** Codes every row of an event time column by its time partition at `granularity`. */
export function timeCodes(data: Data, column: string, granularity: Granularity): TimeCodes {
  const secs = eventSeconds(data, column);
  const n = secs.length;
  const codes = new Int32Array(n);
  const values: string[][] = [];
  const index = new Map<number, number>();
  let lastBucket = NaN;
  let lastCode = -1;
  for (let i = 0; i < n; i++) {
    const sec = secs[i] as number;
    const b = timeBucket(sec, granularity);
    if (b !== lastBucket) {
      let c = index.get(b);
      if (c === undefined) {
        c = values.length;
        index.set(b, c);
        values.push(timeLevelValues(sec, granularity));
      }
      lastBucket = b;
      lastCode = c;
    }
    codes[i] = lastCode;
  }
  return { codes, values };
}
