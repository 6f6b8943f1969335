import { DataType, makeData, RecordBatch, Struct, vectorFromArray } from 'apache-arrow';
import type { Data, Schema } from 'apache-arrow';

/**
 * One record batch with exactly `schema` from row objects: a missing or undefined value is null. Timestamps
 * take a Date or epoch milliseconds, Int64 a number or bigint.
 *
 * @example
 * makeBatch(new Schema([new Field('id', new Int64(), true)]), [{ id: 1 }, { id: 2n }])
 */
export function makeBatch(schema: Schema, rows: ReadonlyArray<Record<string, unknown>>): RecordBatch {
  const children = schema.fields.map((f) => {
    const values = rows.map((r) => {
      const v = r[f.name];
      if (v === undefined || v === null) return null;
      if (DataType.isInt(f.type) && f.type.bitWidth === 64 && typeof v === 'number') return BigInt(v);
      if (DataType.isTimestamp(f.type) && v instanceof Date) return v.getTime();
      return v;
    });
    return vectorFromArray(values as never[], f.type).data[0] as Data;
  });
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}
