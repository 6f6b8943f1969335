import { makeData } from 'apache-arrow';
import type { Data, DateDay, Float64, Int32 } from 'apache-arrow';
import type { ColumnParser } from './column-parser.js';
import { FixedWidthColumn } from './fixed-width-column.js';

/** The Arrow types stored as one JavaScript number per row in a typed array. */
export type NumberArrayType = Int32 | Float64 | DateDay;

/** `makeData` for those types: TypeScript cannot pick one of its overloads for a type parameter. */
const makeNumberData = makeData as <T extends NumberArrayType>(props: {
  type: T;
  length: number;
  nullCount: number;
  nullBitmap: Uint8Array | undefined;
  data: T['TArray'];
}) => Data<T>;

/**
 * A column parser that keeps one number per row in a typed array (int32, float64, date as days). It is built
 * from the Arrow type, the array constructor and `read`, which turns a non-empty cell into its value or
 * `undefined` when the cell does not parse; an empty cell is null.
 *
 * @example
 * const p = new NumberArrayParser(new Int32(), 'int32', Int32Array, (c) => readSafeInt(c), 1024);
 * p.append('7'); p.flush(); // Data<Int32> of [7]
 */
export class NumberArrayParser<T extends NumberArrayType> extends FixedWidthColumn implements ColumnParser {
  private values: T['TArray'];

  constructor(
    readonly type: T,
    /** What a cell must look like, for error messages. */
    readonly expected: string,
    private readonly ArrayOf: new (length: number) => T['TArray'],
    private readonly read: (cell: string) => number | undefined,
    capacity: number,
  ) {
    super(capacity);
    this.values = new ArrayOf(this.capacity);
  }

  protected resize(capacity: number): void {
    const next = new this.ArrayOf(capacity);
    next.set(this.values.subarray(0, this.length));
    this.values = next;
  }

  append(cell: string): boolean {
    if (cell === '') {
      this.appendNull();
      return true;
    }
    const v = this.read(cell);
    if (v === undefined) return false;
    const i = this.next();
    this.values[i] = v;
    this.commit(i);
    return true;
  }

  flush(): Data<T> {
    const data = this.values.subarray(0, this.length);
    return makeNumberData({ type: this.type, ...this.takeRows(), data });
  }
}
