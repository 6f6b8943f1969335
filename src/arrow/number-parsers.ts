import { Bool, Float64, Int32, Int64, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { readBool, readFloat, readInt64, readSafeInt } from './cell-readers.js';
import type { ColumnParser } from './column-parser.js';
import { FixedWidthColumn } from './fixed-width-column.js';
import { NumberArrayParser } from './number-array-parser.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_32 = 4294967296;

/**
 * A growable int64 buffer that writes safe integers as two 32-bit halves (no BigInt per value on
 * little-endian machines). Shared by the int64 and timestamp parsers.
 */
export abstract class Int64Column extends FixedWidthColumn {
  protected values: BigInt64Array;
  private halves: Int32Array;

  constructor(capacity: number) {
    super(capacity);
    this.values = new BigInt64Array(this.capacity);
    this.halves = new Int32Array(this.values.buffer);
  }

  protected resize(capacity: number): void {
    const next = new BigInt64Array(capacity);
    next.set(this.values.subarray(0, this.length));
    this.values = next;
    this.halves = new Int32Array(next.buffer);
  }

  /** Stores a safe integer at row `i`. */
  protected put(i: number, v: number): void {
    if (LITTLE_ENDIAN) {
      this.halves[2 * i] = v % TWO_32 | 0;
      this.halves[2 * i + 1] = Math.floor(v / TWO_32);
    } else this.values[i] = BigInt(v);
  }

  protected putBig(i: number, v: bigint): void {
    this.values[i] = v;
  }

  protected takeValues(): BigInt64Array {
    return this.values.subarray(0, this.length);
  }
}

/** int64 cells: optional sign and decimal digits, within the int64 range. */
export class Int64Parser extends Int64Column implements ColumnParser {
  readonly type = new Int64();
  readonly expected = 'int64 (an integer such as 42)';

  append(cell: string): boolean {
    if (cell === '') {
      this.appendNull();
      return true;
    }
    const i = this.next();
    const v = readSafeInt(cell);
    if (v === v) this.put(i, v);
    else {
      const big = readInt64(cell);
      if (big === undefined) return false;
      this.putBig(i, big);
    }
    this.commit(i);
    return true;
  }

  flush(): Data {
    const data = this.takeValues();
    return makeData({ type: this.type, ...this.takeRows(), data });
  }
}

/** The value of an int32 cell (optional sign and decimal digits, within -2^31..2^31-1); `undefined` otherwise. */
function readInt32(cell: string): number | undefined {
  const v = readSafeInt(cell);
  return v >= -2147483648 && v <= 2147483647 ? v : undefined;
}

/** int32 cells: optional sign and decimal digits, within -2^31..2^31-1. */
export class Int32Parser extends NumberArrayParser<Int32> {
  constructor(capacity: number) {
    super(new Int32(), 'int32 (an integer between -2147483648 and 2147483647)', Int32Array, readInt32, capacity);
  }
}

/** float64 cells: decimal numbers, `NaN`, `inf`, `-inf` (any case). */
export class Float64Parser extends NumberArrayParser<Float64> {
  constructor(capacity: number) {
    super(new Float64(), 'float64 (a number such as 1.5 or -2e3)', Float64Array, readFloat, capacity);
  }
}

/** bool cells: true/false, t/f, yes/no, y/n, 1/0 in any case. */
export class BoolParser extends FixedWidthColumn implements ColumnParser {
  readonly type = new Bool();
  readonly expected = 'bool (true or false)';
  private values: Uint8Array;

  constructor(capacity: number) {
    super(capacity);
    this.values = new Uint8Array((this.capacity + 7) >> 3);
  }

  protected resize(capacity: number): void {
    const next = new Uint8Array((capacity + 7) >> 3);
    next.set(this.values.subarray(0, (this.length + 7) >> 3));
    this.values = next;
  }

  append(cell: string): boolean {
    if (cell === '') {
      this.appendNull();
      return true;
    }
    const v = readBool(cell);
    if (v === undefined) return false;
    const i = this.next();
    if (v) this.values[i >> 3]! |= 1 << (i & 7);
    else this.values[i >> 3]! &= ~(1 << (i & 7));
    this.commit(i);
    return true;
  }

  flush(): Data {
    const data = this.values.slice(0, (this.length + 7) >> 3);
    return makeData({ type: this.type, ...this.takeRows(), data });
  }
}
