import { DataType, RecordBatch, Struct, makeBuilder, makeData, makeVector } from 'apache-arrow';
import type { Data, Dictionary } from 'apache-arrow';

type TypedArray = (Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array) & {
  constructor: new (n: number) => TypedArray;
};

/** The validity bitmap of the concatenated parts (undefined when nothing is null). */
function concatValidity(parts: Data[], length: number): { nullBitmap?: Uint8Array; nullCount: number } {
  const nullCount = parts.reduce((n, d) => n + d.nullCount, 0);
  if (nullCount === 0) return { nullCount: 0 };
  const out = new Uint8Array((length + 7) >> 3);
  let pos = 0;
  for (const d of parts) {
    for (let i = 0; i < d.length; i++, pos++) if (d.getValid(i)) out[pos >> 3] = (out[pos >> 3] as number) | (1 << (pos & 7));
  }
  return { nullBitmap: out, nullCount };
}

function concatFixed(parts: Data[], length: number): TypedArray {
  const first = parts[0] as Data;
  const stride = first.stride || 1;
  const out = new (first.values as TypedArray).constructor(length * stride);
  let pos = 0;
  for (const d of parts) {
    const v = d.values as TypedArray;
    (out as Uint8Array).set((v as Uint8Array).subarray(0, d.length * stride), pos);
    pos += d.length * stride;
  }
  return out;
}

function concatBits(parts: Data[], length: number): Uint8Array {
  const out = new Uint8Array((length + 7) >> 3);
  let pos = 0;
  for (const d of parts) {
    const bits = d.values as Uint8Array;
    for (let i = 0; i < d.length; i++, pos++) {
      const bit = d.offset + i;
      if (((bits[bit >> 3] as number) >> (bit & 7)) & 1) out[pos >> 3] = (out[pos >> 3] as number) | (1 << (pos & 7));
    }
  }
  return out;
}

/**
 * Strings/binary with 32-bit offsets: offsets rebased, bytes copied in one block per part. (Arrow JS slices
 * rebase `values`/`valueOffsets` to the slice's first row; only bitmaps keep `offset`.)
 */
function concatUtf8(parts: Data[], length: number): { valueOffsets: Int32Array; data: Uint8Array } {
  let bytes = 0;
  for (const d of parts) {
    const o = d.valueOffsets as Int32Array;
    bytes += (o[d.length] as number) - (o[0] as number);
  }
  const offsets = new Int32Array(length + 1);
  const data = new Uint8Array(bytes);
  let row = 0;
  let pos = 0;
  for (const d of parts) {
    const o = d.valueOffsets as Int32Array;
    const start = o[0] as number;
    const end = o[d.length] as number;
    data.set((d.values as Uint8Array).subarray(start, end), pos);
    for (let i = 1; i <= d.length; i++) offsets[row + i] = pos + (o[i] as number) - start;
    row += d.length;
    pos += end - start;
  }
  return { valueOffsets: offsets, data };
}

/**
 * One column's chunks as one contiguous Data of the same type. Flat, boolean, 32-bit-offset string/binary,
 * struct and same-dictionary dictionary columns are copied buffer-wise; other types go through an Arrow builder.
 */
export function concatData(parts: Data[]): Data {
  const first = parts[0];
  if (!first) throw new Error('concatData: no chunks');
  if (parts.length === 1) return first;
  const type = first.type as DataType;
  const length = parts.reduce((n, d) => n + d.length, 0);
  const base = { type, length, ...concatValidity(parts, length) };
  if (DataType.isNull(type)) return makeData({ type, length });
  if (DataType.isBool(type)) return makeData({ ...base, data: concatBits(parts, length) } as never);
  if (DataType.isUtf8(type) || DataType.isBinary(type)) return makeData({ ...base, ...concatUtf8(parts, length) } as never);
  if (DataType.isStruct(type)) {
    const children = (type as Struct).children.map((_, c) => concatData(parts.map((d) => d.children[c] as Data)));
    return makeData({ ...base, children } as never);
  }
  if (DataType.isDictionary(type) && parts.every((d) => d.dictionary === first.dictionary)) {
    return makeData({ ...base, data: concatFixed(parts, length), dictionary: first.dictionary } as never);
  }
  const flat = DataType.isInt(type) || DataType.isFloat(type) || DataType.isDate(type) || DataType.isTimestamp(type) || DataType.isTime(type);
  if (flat || DataType.isDecimal(type) || DataType.isFixedSizeBinary(type) || DataType.isDuration(type) || DataType.isInterval(type)) {
    return makeData({ ...base, data: concatFixed(parts, length) } as never);
  }
  const builder = makeBuilder({ type: type as DataType | Dictionary, nullValues: [null, undefined] });
  for (const d of parts) {
    const v = makeVector(d);
    for (let i = 0; i < v.length; i++) builder.append(v.get(i));
  }
  return builder.finish().flush();
}

/**
 * Record batches of one schema as a single batch with contiguous buffers (the first batch's schema). Writers
 * pay a fixed cost per batch (an IPC message, a Parquet write call), so many small slices are best joined first.
 */
export function concatBatches(batches: RecordBatch[]): RecordBatch {
  const first = batches[0];
  if (!first) throw new Error('concatBatches: no batches');
  if (batches.length === 1) return first;
  const fields = first.schema.fields;
  const children = fields.map((_, c) => concatData(batches.map((b) => b.data.children[c] as Data)));
  const length = batches.reduce((n, b) => n + b.numRows, 0);
  return new RecordBatch(first.schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}
