import type { Entity } from '../model/entity.js';
import type { ColumnSpec } from './column-types.js';

/**
 * MLRun value types (`mlrun.data_types.ValueType`, as written in `value_type`) and the column type a text
 * source reads them as. MLRun's `float` is a double and `int` an int64; narrower numbers widen to the
 * column types Sluice has. Value types not listed (bytes, lists, dicts, ...) leave the column to inference.
 */
const VALUE_TYPE_COLUMNS: Readonly<Record<string, ColumnSpec>> = {
  str: { type: 'string' },
  string: { type: 'string' },
  int: { type: 'int64' },
  int64: { type: 'int64' },
  int32: { type: 'int32' },
  int16: { type: 'int32' },
  int8: { type: 'int32' },
  uint8: { type: 'int32' },
  uint16: { type: 'int32' },
  uint32: { type: 'int64' },
  float: { type: 'float64' },
  float64: { type: 'float64' },
  double: { type: 'float64' },
  float32: { type: 'float64' },
  float16: { type: 'float64' },
  bool: { type: 'bool' },
  datetime: { type: 'timestamp', unit: 'us' },
  timestamp: { type: 'timestamp', unit: 'us' },
  date: { type: 'date' },
};

/** The column type a `value_type` maps to, or undefined when it leaves the column to inference. */
export function columnSpecOfValueType(valueType: string | undefined): ColumnSpec | undefined {
  if (valueType === undefined) return undefined;
  const spec = VALUE_TYPE_COLUMNS[valueType.trim().toLowerCase()];
  return spec ? { ...spec } : undefined;
}

/**
 * The column types a feature set declares through its entities' and features' `value_type` (an entity wins
 * over a feature of the same name). A source reads these columns with these types instead of inferring them;
 * its own `attributes.schema` wins over them.
 *
 * @example declaredColumnTypes([new Entity({ name: 'user_id', valueType: 'str' })]); // { user_id: { type: 'string' } }
 */
export function declaredColumnTypes(entities: readonly Entity[], features: readonly Entity[] = []): Record<string, ColumnSpec> {
  const out: Record<string, ColumnSpec> = {};
  for (const f of [...features, ...entities]) {
    const spec = columnSpecOfValueType(f.valueType);
    if (spec && f.name) out[f.name] = spec;
  }
  return out;
}
