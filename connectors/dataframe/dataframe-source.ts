import { Table } from 'apache-arrow';
import type { RecordBatch, Schema } from 'apache-arrow';
import {
  AbortedError, BadInputError, DataSource, parseColumnSchema, schemaOf, SpecError, ValueBatchBuilder, ValueTypeGuess,
} from '../../src/index.js';
import type { BatchColumn, DataSourceOptions, ReadOptions, Source, SourceStats } from '../../src/index.js';

/** Rows per batch when `read()` is not told otherwise. */
export const DEFAULT_BATCH_SIZE = 65_536;

/** In-memory data: plain row objects or an Arrow table. */
export type DataFrameInput = ReadonlyArray<Record<string, unknown>> | Table;

/** Options of {@link createDataFrameSource}: the data source spec (kind is `dataframe`) plus a declared schema. */
export interface DataFrameSourceOptions extends Omit<DataSourceOptions, 'kind' | 'path'> {
  /** Column types (as `attributes.schema` of file sources); for row objects only. Other columns are inferred. */
  schema?: Record<string, unknown>;
}

function columnsOf(rows: ReadonlyArray<Record<string, unknown>>, declared: Map<string, BatchColumn['spec']>): BatchColumn[] {
  const guesses = new Map<string, ValueTypeGuess>();
  for (const row of rows) {
    for (const key in row) {
      if (declared.has(key)) continue;
      let g = guesses.get(key);
      if (!g) guesses.set(key, (g = new ValueTypeGuess()));
      g.add(row[key]);
    }
  }
  const columns: BatchColumn[] = [...declared].map(([name, spec]) => ({ name, spec }));
  for (const [name, g] of guesses) columns.push({ name, spec: g.result() });
  return columns;
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString()})`;
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

/**
 * A {@link Source} over in-memory data (MLRun's DataFrameSource). Row objects are typed from a declared
 * schema or from their values (every row is looked at: numbers → int64 when all are integers else float64,
 * bigint → int64, boolean → bool, string → string, Date → timestamp[us, UTC], objects → JSON text; a key
 * missing from a row is null). An Arrow table is yielded as it is, its batches sliced to `batchSize`.
 * `spec` is the matching data source spec (kind `dataframe`; not serialisable with its data).
 */
export class DataFrameSource implements Source {
  readonly description: string;
  readonly stats: SourceStats = { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 };
  readonly spec: DataSource;
  private readonly columns: BatchColumn[] | undefined;
  private readonly knownSchema: Schema;

  constructor(private readonly data: DataFrameInput, options: DataFrameSourceOptions = {}) {
    const { schema, ...rest } = options;
    this.spec = new DataSource({ ...rest, kind: 'dataframe', attributes: { ...rest.attributes, ...(schema ? { schema } : {}) } });
    this.description = `dataframe${options.name ? ` "${options.name}"` : ''}`;
    if (data instanceof Table) {
      if (schema !== undefined) throw new SpecError(`${this.description}: schema applies to row objects; an Arrow table carries its own schema`);
      this.columns = undefined;
      this.knownSchema = data.schema;
    } else {
      if (!Array.isArray(data)) throw new SpecError(`${this.description}: expected an array of row objects or an Arrow Table, not ${typeof data}`);
      const declared = schema === undefined ? new Map() : parseColumnSchema(schema, `${this.description}: schema`);
      this.columns = columnsOf(data, declared);
      this.knownSchema = schemaOf(this.columns);
    }
  }

  schema(): Promise<Schema> {
    return Promise.resolve(this.knownSchema);
  }

  async *read(o: ReadOptions = {}): AsyncGenerator<RecordBatch> {
    const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new SpecError(`${this.description}: batchSize ${JSON.stringify(batchSize)} is not a positive integer`);
    }
    this.stats.rowsRead = 0;
    const check = () => {
      if (o.signal?.aborted) throw new AbortedError(`reading ${this.description} was aborted`, { cause: o.signal.reason });
    };
    check();
    if (this.data instanceof Table) {
      for (const batch of this.data.batches) {
        for (let at = 0; at < batch.numRows; at += batchSize) {
          const part = batch.numRows <= batchSize ? batch : batch.slice(at, Math.min(batch.numRows, at + batchSize));
          this.stats.rowsRead += part.numRows;
          yield part;
          check();
        }
      }
      return;
    }
    const columns = this.columns!;
    const rows = this.data as ReadonlyArray<Record<string, unknown>>;
    const builder = new ValueBatchBuilder(columns, { capacity: Math.min(batchSize, rows.length || 1) });
    const values = new Array<unknown>(columns.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let k = 0; k < columns.length; k++) values[k] = row[columns[k]!.name];
      const k = builder.appendRow(values);
      if (k >= 0) {
        throw new BadInputError(`${this.description} row ${r + 1}, column \`${columns[k]!.name}\`: ${show(values[k])} does not fit ${builder.expected(k)}`);
      }
      this.stats.rowsRead++;
      if (builder.length >= batchSize) {
        yield builder.flush();
        check();
      }
    }
    if (builder.length > 0) yield builder.flush();
  }
}

/**
 * A source over in-memory rows or an Arrow table; dataframe sources are built in code, not from specs.
 *
 * @example
 * const src = createDataFrameSource([{ id: 1, ts: new Date() }], { keyField: 'id', timeField: 'ts' });
 */
export function createDataFrameSource(rowsOrTable: DataFrameInput, options: DataFrameSourceOptions = {}): DataFrameSource {
  return new DataFrameSource(rowsOrTable, options);
}
