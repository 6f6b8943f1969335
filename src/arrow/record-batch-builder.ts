import { Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import type { ColumnParser } from './column-parser.js';
import { arrowTypeOf } from './column-types.js';
import type { ColumnSpec } from './column-types.js';
import { makeColumnParser } from './make-column-parser.js';
import type { ColumnParserOptions } from './make-column-parser.js';

/** One column of a {@link RecordBatchBuilder}: its name and how its cells are read. */
export interface BatchColumn {
  name: string;
  spec: ColumnSpec;
}

/** The Arrow schema of columns (every field nullable). */
export function schemaOf(columns: readonly BatchColumn[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, arrowTypeOf(c.spec), true)));
}

/**
 * Builds record batches from rows of text cells, one typed {@link ColumnParser} per column. A row either
 * lands whole or not at all: `appendRow` undoes a partly appended row and reports the failing column.
 *
 * @example
 * const b = new RecordBatchBuilder([{ name: 'id', spec: { type: 'int64' } }]);
 * b.appendRow(['1']); // -1
 * const batch = b.flush(); // RecordBatch with one row
 */
export class RecordBatchBuilder {
  readonly schema: Schema;
  readonly parsers: readonly ColumnParser[];
  private rows = 0;

  constructor(readonly columns: readonly BatchColumn[], o: ColumnParserOptions = {}) {
    this.parsers = columns.map((c) => makeColumnParser(c.spec, o));
    this.schema = schemaOf(columns);
  }

  /** Rows appended since the last flush. */
  get length(): number {
    return this.rows;
  }

  /**
   * Appends one row whose cells are in column order (`indexes` maps column k to a cell index when the row
   * holds more cells than columns). Returns -1, or the index of the first column whose cell did not parse
   * (then nothing of the row is kept).
   */
  appendRow(cells: readonly string[], indexes?: readonly number[]): number {
    const parsers = this.parsers;
    for (let k = 0; k < parsers.length; k++) {
      const cell = cells[indexes ? indexes[k]! : k];
      if (!parsers[k]!.append(cell ?? '')) {
        for (let j = 0; j < k; j++) parsers[j]!.truncate(this.rows);
        return k;
      }
    }
    this.rows++;
    return -1;
  }

  /** The rows appended so far as a record batch; the builder starts empty again. */
  flush(): RecordBatch {
    const length = this.rows;
    const children = this.parsers.map((p) => p.flush());
    this.rows = 0;
    const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}
