import { DataType, RecordBatch, Schema, Struct, makeBuilder, makeData, makeVector } from 'apache-arrow';
import type { Data, Field, FixedSizeList } from 'apache-arrow';

type TypedArray = Exclude<ArrayLike<number | bigint>, number[]> & { constructor: new (n: number) => TypedArray; [i: number]: number | bigint };

/** Validity bitmap and null count of `data` restricted to rows `idx` (no bitmap when nothing is null). */
function takeValidity(data: Data, idx: Int32Array): { nullBitmap?: Uint8Array; nullCount: number } {
  if (data.nullCount === 0 || DataType.isNull(data.type)) return { nullCount: DataType.isNull(data.type) ? idx.length : 0 };
  const out = new Uint8Array((idx.length + 7) >> 3);
  let nulls = 0;
  for (let j = 0; j < idx.length; j++) {
    if (data.getValid(idx[j] as number)) out[j >> 3] = (out[j >> 3] as number) | (1 << (j & 7));
    else nulls++;
  }
  return { nullBitmap: out, nullCount: nulls };
}

function takeFixed(values: TypedArray, stride: number, idx: Int32Array): TypedArray {
  const out = new values.constructor(idx.length * stride);
  if (stride === 1) {
    for (let j = 0; j < idx.length; j++) out[j] = values[idx[j] as number] as number;
  } else {
    for (let j = 0; j < idx.length; j++) {
      const from = (idx[j] as number) * stride;
      for (let k = 0; k < stride; k++) out[j * stride + k] = values[from + k] as number;
    }
  }
  return out;
}

function takeBits(bits: Uint8Array, offset: number, idx: Int32Array): Uint8Array {
  const out = new Uint8Array((idx.length + 7) >> 3);
  for (let j = 0; j < idx.length; j++) {
    const bit = offset + (idx[j] as number);
    if (((bits[bit >> 3] as number) >> (bit & 7)) & 1) out[j >> 3] = (out[j >> 3] as number) | (1 << (j & 7));
  }
  return out;
}

/** Variable-width rows: new offsets plus the copied bytes (or the child row indices, for lists). */
function takeRanges(offsets: Int32Array | BigInt64Array, idx: Int32Array): { offsets: Int32Array | BigInt64Array; ranges: Int32Array; total: number } {
  const big = offsets instanceof BigInt64Array;
  const ranges = new Int32Array(idx.length * 2);
  let total = 0;
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j] as number;
    const start = Number(offsets[i]);
    const end = Number(offsets[i + 1]);
    ranges[2 * j] = start;
    ranges[2 * j + 1] = end;
    total += end - start;
  }
  const out = big ? new BigInt64Array(idx.length + 1) : new Int32Array(idx.length + 1);
  let pos = 0;
  for (let j = 0; j < idx.length; j++) {
    pos += (ranges[2 * j + 1] as number) - (ranges[2 * j] as number);
    out[j + 1] = big ? BigInt(pos) : pos;
  }
  return { offsets: out, ranges, total };
}

function copyBytes(values: Uint8Array, ranges: Int32Array, total: number): Uint8Array {
  const out = new Uint8Array(total);
  let pos = 0;
  for (let j = 0; j < ranges.length; j += 2) {
    const start = ranges[j] as number;
    const end = ranges[j + 1] as number;
    if (end - start > 16) out.set(values.subarray(start, end), pos);
    else for (let k = start; k < end; k++) out[pos + k - start] = values[k] as number;
    pos += end - start;
  }
  return out;
}

function expandRanges(ranges: Int32Array, total: number): Int32Array {
  const out = new Int32Array(total);
  let pos = 0;
  for (let j = 0; j < ranges.length; j += 2) for (let k = ranges[j] as number; k < (ranges[j + 1] as number); k++) out[pos++] = k;
  return out;
}

/**
 * The rows `idx` (ascending) of one column chunk, as new Data of the same type. A contiguous run is a zero-copy
 * slice. Flat, string/binary, dictionary, struct and list types are copied buffer-wise; other types (views,
 * unions, maps) go through an Arrow builder.
 */
export function takeData(data: Data, idx: Int32Array): Data {
  const n = idx.length;
  if (n === 0) return data.slice(0, 0);
  if ((idx[n - 1] as number) - (idx[0] as number) === n - 1) return data.slice(idx[0] as number, n);
  const type = data.type as DataType;
  const validity = takeValidity(data, idx);
  const base = { type, length: n, ...validity };
  if (DataType.isNull(type)) return makeData({ type, length: n });
  if (DataType.isBool(type)) return makeData({ ...base, data: takeBits(data.values as Uint8Array, data.offset, idx) } as never);
  if (DataType.isUtf8(type) || DataType.isBinary(type) || DataType.isLargeUtf8(type) || DataType.isLargeBinary(type)) {
    const { offsets, ranges, total } = takeRanges(data.valueOffsets as Int32Array | BigInt64Array, idx);
    return makeData({ ...base, valueOffsets: offsets, data: copyBytes(data.values as Uint8Array, ranges, total) } as never);
  }
  if (DataType.isList(type) || DataType.isLargeList(type)) {
    const { offsets, ranges, total } = takeRanges(data.valueOffsets as Int32Array | BigInt64Array, idx);
    const child = takeData(data.children[0] as Data, expandRanges(ranges, total));
    return makeData({ ...base, valueOffsets: offsets, child } as never);
  }
  if (DataType.isFixedSizeList(type)) {
    const size = (type as FixedSizeList).listSize;
    const childIdx = new Int32Array(n * size);
    for (let j = 0; j < n; j++) for (let k = 0; k < size; k++) childIdx[j * size + k] = (idx[j] as number) * size + k;
    return makeData({ ...base, child: takeData(data.children[0] as Data, childIdx) } as never);
  }
  if (DataType.isStruct(type)) {
    return makeData({ ...base, children: data.children.map((c) => takeData(c, idx)) } as never);
  }
  if (DataType.isDictionary(type)) {
    return makeData({ ...base, data: takeFixed(data.values as unknown as TypedArray, 1, idx), dictionary: data.dictionary } as never);
  }
  const flat = DataType.isInt(type) || DataType.isFloat(type) || DataType.isDate(type) || DataType.isTimestamp(type) || DataType.isTime(type);
  if (flat || DataType.isDecimal(type) || DataType.isFixedSizeBinary(type) || DataType.isDuration(type) || DataType.isInterval(type)) {
    return makeData({ ...base, data: takeFixed(data.values as unknown as TypedArray, data.stride, idx) } as never);
  }
  const vector = makeVector(data);
  const builder = makeBuilder({ type, nullValues: [null, undefined] });
  for (const i of idx) builder.append(vector.get(i));
  return builder.finish().flush();
}

/**
 * The rows `idx` (ascending) of `batch`, keeping only the columns `keep` (indices into the schema, in order).
 * With `idx` undefined every row is kept without copying. The schema's metadata is kept.
 */
export function takeRows(batch: RecordBatch, keep: number[], idx?: Int32Array): RecordBatch {
  const fields: Field[] = keep.map((c) => batch.schema.fields[c] as Field);
  const schema = new Schema(fields, batch.schema.metadata);
  const children = keep.map((c) => {
    const d = batch.data.children[c] as Data;
    return idx === undefined ? d : takeData(d, idx);
  });
  const length = idx === undefined ? batch.numRows : idx.length;
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}
