import type { RecordBatch, Schema } from 'apache-arrow';
import { AbortedError, assembleRowBatches, BadRowHandler, INVALID_UTF8, openLocalFile, RecordBatchBuilder, schemaOf, SpecError } from '../../src/index.js';
import type { BadRow, OpenRead, ReadOptions, Source, SourceStats } from '../../src/index.js';
import { readCsvLayout } from './csv-columns.js';
import type { CsvLayout } from './csv-columns.js';
import type { CsvOptions } from './csv-options.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { RecordReader } from './record-reader.js';

/** Rows per batch when `read()` is not told otherwise. */
export const DEFAULT_BATCH_SIZE = 65_536;

function quote(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
}

/**
 * A streaming CSV {@link Source}: reads the file in 1 MiB chunks, parses RFC 4180 records, and yields Arrow
 * batches of at most `batchSize` rows with declared or inferred column types. Bad rows (malformed, wrong
 * number of fields, a cell that does not parse) stop the read or are skipped / quarantined per
 * `on_bad_row`; `stats` counts them.
 *
 * @example
 * const src = new CsvSource(parseCsvOptions(new DataSource({ kind: 'csv', path: 'events.csv' })));
 * for await (const batch of src.read({ batchSize: 10_000 })) console.log(batch.numRows);
 */
export class CsvSource implements Source {
  readonly description: string;
  readonly stats: SourceStats = { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 };
  private knownSchema: Schema | undefined;

  constructor(readonly options: CsvOptions, private readonly openRead: OpenRead = openLocalFile) {
    this.description = `csv file ${options.path}`;
  }

  async schema(o: { signal?: AbortSignal } = {}): Promise<Schema> {
    if (this.knownSchema) return this.knownSchema;
    const reader = await this.open(o.signal);
    try {
      this.knownSchema = schemaOf((await readCsvLayout(reader, this.options)).columns);
      return this.knownSchema;
    } finally {
      reader.close();
    }
  }

  async *read(o: ReadOptions = {}): AsyncGenerator<RecordBatch> {
    const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new SpecError(`${this.description}: batchSize ${JSON.stringify(batchSize)} is not a positive integer`);
    }
    Object.assign(this.stats, { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 });
    const opts = this.options;
    const reader = await this.open(o.signal);
    const bad = new BadRowHandler(opts.onBadRow, opts.path, opts.quarantinePath, this.stats);
    try {
      const layout = await readCsvLayout(reader, opts);
      this.knownSchema ??= schemaOf(layout.columns);
      const builder = new RecordBatchBuilder(layout.columns, {
        capacity: Math.min(batchSize, DEFAULT_BATCH_SIZE),
        naiveZone: opts.timeZone,
        epochUnit: opts.epochUnit,
      });
      const n = layout.columns.length;
      const names = layout.columns.map((c) => c.name);
      const keyIdx = (opts.keyFields ?? []).map((k) => names.indexOf(k)).filter((i) => i >= 0);
      const timeIdx = opts.timeField === undefined ? -1 : names.indexOf(opts.timeField);
      const bad1 = (line: number, k: number, what: string, fields: string[]): BadRow => ({
        line, reason: `${opts.path} line ${line}, column \`${names[k]!}\`: ${what}`, column: names[k]!, value: fields[k]!, fields,
      });
      yield* assembleRowBatches<CsvRecord, string[]>({
        pending: layout.pending,
        reader,
        builder,
        batchSize,
        bad,
        stats: this.stats,
        decoder: {
          decode(rec) {
            if (rec.error !== undefined) return { line: rec.line, reason: `${opts.path} line ${rec.line}: malformed row: ${rec.error}`, raw: rec.raw };
            const fields = rec.fields;
            if (fields.length === n) {
              if (reader.invalidUtf8 > 0) {
                const k = fields.findIndex((f) => f.includes(INVALID_UTF8));
                if (k >= 0) return bad1(rec.line, k, 'invalid UTF-8 (a byte that is not UTF-8 text); re-encode the file as UTF-8', fields);
              }
              for (const k of keyIdx) if (fields[k] === '') return bad1(rec.line, k, 'the key is empty; every row needs an entity key', fields);
              if (timeIdx >= 0 && fields[timeIdx] === '') return bad1(rec.line, timeIdx, 'the event time is empty; every row needs one (the time field)', fields);
              return fields;
            }
            const reason = `${opts.path} line ${rec.line}: malformed row: expected ${n} fields (as in the ${opts.header ? 'header' : 'first row'}) but found ${rec.fields.length}`;
            return { line: rec.line, reason, fields: rec.fields };
          },
          cellError: (rec, fields, k) => this.cellError(layout, builder, rec.line, k, fields),
        },
      });
    } finally {
      reader.close();
      await bad.close();
    }
  }

  private cellError(layout: CsvLayout, builder: RecordBatchBuilder, line: number, k: number, fields: string[]): BadRow {
    const name = layout.columns[k]!.name;
    const value = fields[k]!;
    let reason = `${this.options.path} line ${line}, column \`${name}\`: ${quote(value)} does not parse as ${builder.parsers[k]!.expected}`;
    if (layout.inferred.has(name)) {
      reason += `; the type was inferred from the first ${this.options.inferRows} rows: declare the column's type in attributes.schema, e.g. schema: { ${JSON.stringify(name)}: "string" }`;
    }
    return { line, reason, column: name, value, fields };
  }

  private async open(signal: AbortSignal | undefined): Promise<RecordReader> {
    const o = this.options;
    if (signal?.aborted) throw new AbortedError(`reading ${o.path} was aborted`, { cause: signal.reason });
    const stream = await this.openRead(o.location, { signal });
    return new RecordReader(stream, o.path, o.delimiter, o.maxRecordChars, signal);
  }
}
