import { DataType, TimeUnit } from 'apache-arrow';
import type { RecordBatch, Vector } from 'apache-arrow';

const MS_PER_UNIT: Record<number, number> = {
  [TimeUnit.SECOND]: 1000,
  [TimeUnit.MILLISECOND]: 1,
  [TimeUnit.MICROSECOND]: 1e-3,
  [TimeUnit.NANOSECOND]: 1e-6,
};

/**
 * Min and max of a time column in epoch milliseconds, nulls ignored; undefined when the column is missing, not a
 * time, or all null. Reads the typed arrays directly (no per-row Date objects).
 */
export function timeRangeMs(batch: RecordBatch, column: string): { min: number; max: number } | undefined {
  const vec = batch.getChild(column) as Vector | null;
  if (!vec) return undefined;
  const type = vec.type as DataType;
  let scale: number;
  if (DataType.isTimestamp(type)) scale = MS_PER_UNIT[type.unit] ?? 1;
  else if (DataType.isDate(type)) scale = type.unit === 0 ? 86_400_000 : 1;
  else return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const data of vec.data) {
    // Arrow JS has already cut `values` to the slice; `offset` only applies to the validity bitmap (getValid).
    const values = data.values as BigInt64Array | Int32Array | Float64Array;
    const hasNulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) {
      if (hasNulls && !data.getValid(i)) continue;
      const v = Number(values[i]);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min === Infinity) return undefined;
  return { min: min * scale, max: max * scale };
}
