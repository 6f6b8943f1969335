import { makeVector } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { SpecError } from '../errors.js';
import type { FilterOp } from '../model/data-source.js';
import type { Bound } from './filter-value.js';

/** Whether row `i` of a batch passes. */
export type RowTest = (i: number) => boolean;

const TWO32 = 4294967296n;

/** A 64-bit value split into a signed high and an unsigned low 32-bit half (little-endian layout). */
function halves(v: bigint): [number, number] {
  const lo = Number(BigInt.asUintN(32, v));
  const hi = Number((v - BigInt(lo)) / TWO32);
  return [hi, lo];
}

/**
 * Tests on an Int64/timestamp buffer without a BigInt per row: the values are read as pairs of 32-bit halves
 * and compared to the bound's halves (exact over the whole int64 range).
 */
function int64Test(values: BigInt64Array, op: FilterOp, bounds: Bound[]): RowTest {
  const v = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const cmp = (i: number, h: number, l: number): number => {
    const vh = v[2 * i + 1]!;
    if (vh !== h) return vh < h ? -1 : 1;
    const vl = v[2 * i]! >>> 0;
    return vl === l ? 0 : vl < l ? -1 : 1;
  };
  const b = bounds as Array<Extract<Bound, { kind: 'int64' }>>;
  if (op === 'in' || op === 'not in') {
    const exact = b.filter((x) => x.exact).map((x) => halves(x.floor));
    const hs = exact.map((x) => x[0]);
    const ls = exact.map((x) => x[1]);
    const n = exact.length;
    const inSet = (i: number): boolean => {
      for (let k = 0; k < n; k++) if (cmp(i, hs[k]!, ls[k]!) === 0) return true;
      return false;
    };
    return op === 'in' ? inSet : (i) => !inSet(i);
  }
  const { floor, exact } = b[0]!;
  const [h, l] = halves(floor);
  switch (op) {
    case '<': return exact ? (i) => cmp(i, h, l) < 0 : (i) => cmp(i, h, l) <= 0;
    case '<=': return (i) => cmp(i, h, l) <= 0;
    case '>': return (i) => cmp(i, h, l) > 0;
    case '>=': return exact ? (i) => cmp(i, h, l) >= 0 : (i) => cmp(i, h, l) > 0;
    case '!=': return exact ? (i) => cmp(i, h, l) !== 0 : () => true;
    default: return exact ? (i) => cmp(i, h, l) === 0 : () => false;
  }
}

function valueTest<T>(get: (i: number) => T, op: FilterOp, targets: T[]): RowTest {
  if (op === 'in' || op === 'not in') {
    const set = new Set(targets);
    return op === 'in' ? (i) => set.has(get(i)) : (i) => !set.has(get(i));
  }
  const t = targets[0]!;
  switch (op) {
    case '=': case '==': return (i) => get(i) === t;
    case '!=': return (i) => get(i) !== t;
    case '<': return (i) => get(i) < t;
    case '<=': return (i) => get(i) <= t;
    case '>': return (i) => get(i) > t;
    default: return (i) => get(i) >= t;
  }
}

/**
 * Compiles one filter (already coerced to the column, see `coerceFilterValue`) against one column chunk.
 * A null value never passes (SQL semantics, also for `!=` and `not in`). `what` names the filter in errors.
 */
export function compileRowTest(data: Data, op: FilterOp, bounds: Bound[], what: string): RowTest {
  const kind = bounds[0]!.kind;
  let test: RowTest;
  if (kind === 'int64') {
    test = int64Test(data.values as BigInt64Array, op, bounds);
  } else if (kind === 'number') {
    const values = data.values as unknown as ArrayLike<number>;
    test = valueTest((i) => values[i]!, op, bounds.map((b) => (b as { value: number }).value));
  } else {
    if (kind === 'text' && !['=', '==', '!=', 'in', 'not in'].includes(op)) {
      throw new SpecError(`${what}: "${op}" compares only numbers, times and strings; column type ${String(data.type)} takes = != in "not in"`);
    }
    const vector = makeVector(data);
    const get = kind === 'text' ? (i: number) => String(vector.get(i)) : (i: number) => vector.get(i) as string | boolean;
    test = valueTest<string | boolean>(get, op, bounds.map((b) => (b as { value: string | boolean }).value));
  }
  if (data.nullCount === 0) return test;
  return (i) => data.getValid(i) && test(i);
}
