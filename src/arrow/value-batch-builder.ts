import { makeBuilder, makeData, RecordBatch, Struct, Utf8 } from 'apache-arrow';
import type { Builder, Data , Field, Schema} from 'apache-arrow';
import type { ColumnParser } from './column-parser.js';
import { makeColumnParser } from './make-column-parser.js';
import type { ColumnParserOptions } from './make-column-parser.js';
import { schemaOf } from './record-batch-builder.js';
import type { BatchColumn } from './record-batch-builder.js';

/** The text form of a value for a string column: strings as they are, Dates as ISO, objects as JSON. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/** The cell text of a value for a typed (non-string) column, or undefined when the value cannot be one. */
function cellOf(v: unknown, spec: BatchColumn['spec']): string | undefined {
  switch (typeof v) {
    case 'number': return spec.type === 'bool' || spec.type === 'date' ? undefined : String(v);
    case 'bigint': return spec.type === 'float64' || spec.type === 'int64' || spec.type === 'int32' || spec.type.startsWith('timestamp') ? String(v) : undefined;
    case 'boolean': return spec.type === 'bool' ? String(v) : undefined;
    case 'string': return v === '' ? undefined : v;
    default:
      if (v instanceof Date && (spec.type.startsWith('timestamp') || spec.type === 'date')) {
        const iso = v.toISOString();
        return spec.type === 'date' ? iso.slice(0, 10) : iso;
      }
      return undefined;
  }
}

/**
 * Builds record batches from rows of JS values (parsed JSON, in-memory objects), one typed column per
 * {@link BatchColumn}: string columns keep `''` apart from null and take other values as text (objects as
 * JSON); typed columns read numbers, bigints, booleans, Dates and strings through the same parsers as CSV cells
 * (so ISO strings and, with an epoch unit, numbers fill timestamp columns). A row lands whole or not at all.
 *
 * @example
 * const b = new ValueBatchBuilder([{ name: 'id', spec: { type: 'int64' } }]);
 * b.appendRow([7]); // -1
 */
export class ValueBatchBuilder {
  readonly schema: Schema;
  private readonly parsers: Array<ColumnParser | undefined>;
  private readonly strings: Array<Builder<Utf8> | undefined>;
  private rows = 0;

  constructor(readonly columns: readonly BatchColumn[], o: ColumnParserOptions = {}) {
    this.schema = schemaOf(columns);
    this.parsers = columns.map((c) => (c.spec.type === 'string' ? undefined : makeColumnParser(c.spec, o)));
    this.strings = columns.map((c) => (c.spec.type === 'string' ? makeBuilder({ type: new Utf8(), nullValues: [null, undefined] }) : undefined));
  }

  /** Rows appended since the last flush. */
  get length(): number {
    return this.rows;
  }

  /** What a value of column `k` must be, for error messages. */
  expected(k: number): string {
    return this.parsers[k]?.expected ?? 'string';
  }

  /**
   * Appends one row of values in column order. Returns -1, or the index of the first column whose value does
   * not fit its type (then nothing of the row is kept).
   */
  appendRow(values: readonly unknown[]): number {
    const parsers = this.parsers;
    for (let k = 0; k < parsers.length; k++) {
      const p = parsers[k];
      if (!p) continue;
      const v = values[k];
      let ok = true;
      if (v === null || v === undefined) p.appendNull();
      else {
        const cell = cellOf(v, this.columns[k]!.spec);
        ok = cell !== undefined && p.append(cell);
      }
      if (!ok) {
        for (let j = 0; j < k; j++) parsers[j]?.truncate(this.rows);
        return k;
      }
    }
    const strings = this.strings;
    for (let k = 0; k < strings.length; k++) {
      const v = values[k];
      strings[k]?.append(v === null || v === undefined ? null : valueText(v));
    }
    this.rows++;
    return -1;
  }

  /** The rows appended so far as a record batch; the builder starts empty again. */
  flush(): RecordBatch {
    const length = this.rows;
    const children = this.columns.map((_, k): Data => {
      const s = this.strings[k];
      if (s) return s.flush();
      return this.parsers[k]!.flush();
    });
    this.rows = 0;
    const data = makeData({ type: new Struct(this.schema.fields as Field[]), length, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}
