import { DataType, DateUnit, TimeUnit, makeVector } from 'apache-arrow';
import type { Data, Timestamp } from 'apache-arrow';

/** One column of a batch in its stored string form, row by row; a null removes the hash field (HDEL). */
export type EncodedColumn = ReadonlyArray<string | null>;

/** A float in shortest round-trip form; whole values print without `.0` (as storey turns whole floats to int). */
export function encodeFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/** A float32 in the shortest decimal that reads back to the same float32 (`0.1`, not `0.10000000149011612`). */
export function encodeFloat32(x: number): string {
  if (!Number.isFinite(x)) return encodeFloat(x);
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/** An exact decimal of `n / 10^digits` for an integer `n` (`1500, 3` → `1.5`), without float rounding. */
function scaledDecimal(n: bigint, digits: number): string {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const scale = 10n ** BigInt(digits);
  const int = a / scale;
  const frac = a % scale;
  let s = int.toString();
  if (frac !== 0n) s += `.${frac.toString().padStart(digits, '0').replace(/0+$/, '')}`;
  return neg ? `-${s}` : s;
}

/** Same as {@link scaledDecimal} for a safe integer number (the fast path for s/ms/us). */
function scaledDecimalNum(n: number, scale: number, digits: number): string {
  const a = n < 0 ? -n : n;
  const int = Math.floor(a / scale);
  let frac = a - int * scale;
  let s = String(int);
  if (frac !== 0) {
    let d = digits;
    while (frac % 10 === 0) {
      frac /= 10;
      d--;
    }
    const f = String(frac);
    s += f.length < d ? `.${'0'.repeat(d - f.length)}${f}` : `.${f}`;
  }
  return n < 0 ? `-${s}` : s;
}

const DIGITS: Record<number, number> = { [TimeUnit.SECOND]: 0, [TimeUnit.MILLISECOND]: 3, [TimeUnit.MICROSECOND]: 6, [TimeUnit.NANOSECOND]: 9 };

/** `_dt:<epoch seconds>` of a timestamp in `unit`, exact (`_dt:1700000000.123456`). */
export function encodeTimestamp(v: bigint | number, unit: TimeUnit): string {
  const digits = DIGITS[unit] ?? 3;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return `_dt:${scaledDecimalNum(v, 10 ** digits, digits)}`;
  return `_dt:${scaledDecimal(BigInt(v), digits)}`;
}

/**
 * Encodes one column chunk into stored strings (SPEC §6): integers in decimal, floats shortest round-trip,
 * booleans `true`/`false`, timestamps and dates `_dt:<epoch seconds>`, strings raw; a null is null.
 * Reads the typed arrays directly; dictionary columns encode each dictionary value once.
 */
export function encodeColumn(data: Data, dictionaries?: Map<unknown, EncodedColumn>): EncodedColumn {
  const type = data.type as DataType;
  const n = data.length;
  const out = new Array<string | null>(n);
  const nulls = data.nullCount > 0;
  if (DataType.isDictionary(type)) {
    let values = dictionaries?.get(data.dictionary);
    if (!values) {
      const all: Array<string | null> = [];
      for (const d of (data.dictionary as { data: Data[] } | undefined)?.data ?? []) for (const v of encodeColumn(d)) all.push(v);
      values = all;
      dictionaries?.set(data.dictionary, all);
    }
    const idx = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < n; i++) out[i] = nulls && !data.getValid(i) ? null : (values[Number(idx[i])] ?? null);
    return out;
  }
  if (DataType.isNull(type)) return out.fill(null);
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
    const offsets = data.valueOffsets as Int32Array | BigInt64Array;
    const bytes = data.values as Uint8Array;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++) {
      out[i] = nulls && !data.getValid(i) ? null : buf.toString('utf8', Number(offsets[i]), Number(offsets[i + 1]));
    }
    return out;
  }
  if (DataType.isInt(type)) {
    const values = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < n; i++) out[i] = nulls && !data.getValid(i) ? null : String(values[i]);
    return out;
  }
  if (DataType.isFloat(type)) {
    const vec = makeVector(data);
    const f = type.precision === 1 ? encodeFloat32 : encodeFloat;
    const values = type.precision === 0 ? undefined : (data.values as Float32Array | Float64Array);
    for (let i = 0; i < n; i++) out[i] = nulls && !data.getValid(i) ? null : f(values ? (values[i] as number) : (vec.get(i) as number));
    return out;
  }
  if (DataType.isBool(type)) {
    const vec = makeVector(data);
    for (let i = 0; i < n; i++) out[i] = nulls && !data.getValid(i) ? null : vec.get(i) ? 'true' : 'false';
    return out;
  }
  if (DataType.isTimestamp(type)) {
    const unit = (type as Timestamp).unit;
    const values = data.values as BigInt64Array;
    const big = unit === TimeUnit.NANOSECOND;
    for (let i = 0; i < n; i++) {
      if (nulls && !data.getValid(i)) out[i] = null;
      else out[i] = encodeTimestamp(big ? (values[i] as bigint) : Number(values[i]), unit);
    }
    return out;
  }
  if (DataType.isDate(type)) {
    const values = data.values as Int32Array | BigInt64Array;
    const day = type.unit === DateUnit.DAY;
    for (let i = 0; i < n; i++) {
      if (nulls && !data.getValid(i)) out[i] = null;
      else out[i] = day ? `_dt:${Number(values[i]) * 86_400}` : encodeTimestamp(Number(values[i]), TimeUnit.MILLISECOND);
    }
    return out;
  }
  throw new TypeError(`encodeColumn: unsupported Arrow type ${String(type)}`);
}

const MICROS_PER_UNIT: Record<number, number> = { [TimeUnit.SECOND]: 1e6, [TimeUnit.MILLISECOND]: 1e3, [TimeUnit.MICROSECOND]: 1, [TimeUnit.NANOSECOND]: 1e-3 };

/**
 * The event time of every row as integer epoch microseconds (exact in a double until year 2255), NaN for a null.
 * Undefined when the column is not a timestamp or date.
 */
export function eventMicros(data: Data): Float64Array | undefined {
  const type = data.type as DataType;
  const n = data.length;
  const out = new Float64Array(n);
  const nulls = data.nullCount > 0;
  if (DataType.isTimestamp(type)) {
    const unit = (type as Timestamp).unit;
    const values = data.values as BigInt64Array;
    if (unit === TimeUnit.NANOSECOND) {
      for (let i = 0; i < n; i++) {
        const v = values[i] as bigint;
        out[i] = nulls && !data.getValid(i) ? NaN : Number(v / 1000n - (v < 0n && v % 1000n !== 0n ? 1n : 0n));
      }
      return out;
    }
    const m = MICROS_PER_UNIT[unit] ?? 1e3;
    for (let i = 0; i < n; i++) out[i] = nulls && !data.getValid(i) ? NaN : Number(values[i]) * m;
    return out;
  }
  if (DataType.isDate(type)) {
    const values = data.values as Int32Array | BigInt64Array;
    const m = type.unit === DateUnit.DAY ? 86_400e6 : 1e3;
    for (let i = 0; i < n; i++) out[i] = nulls && !data.getValid(i) ? NaN : Number(values[i]) * m;
    return out;
  }
  return undefined;
}
