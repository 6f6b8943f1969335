import type { RecordBatch, Schema } from 'apache-arrow';
import { AbortedError, assembleRowBatches, BadRowHandler, openLocalFile, schemaOf, SpecError, ValueBatchBuilder, ValueTypeGuess } from '../../src/index.js';
import type { BadRow, BatchColumn, OpenRead, ReadOptions, Source, SourceStats } from '../../src/index.js';
import type { JsonlOptions } from './jsonl-options.js';
import { LineReader } from './line-reader.js';
import type { TextLine } from './line-reader.js';

/** Rows per batch when `read()` is not told otherwise. */
export const DEFAULT_BATCH_SIZE = 65_536;

/** A line parsed into an object, or why it is not one. */
type ParsedLine = { line: number; text: string; row: Record<string, unknown>; error?: undefined } | { line: number; text: string; error: string };

function parseLine(l: TextLine, file: string): ParsedLine {
  let v: unknown;
  try {
    v = JSON.parse(l.text);
  } catch (err) {
    return { ...l, error: `${file} line ${l.line}: not valid JSON: ${(err as Error).message}` };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    const found = v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
    return { ...l, error: `${file} line ${l.line}: expected a JSON object per line, found ${found}` };
  }
  return { ...l, row: v as Record<string, unknown> };
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

interface Layout {
  columns: BatchColumn[];
  inferred: Set<string>;
  pending: ParsedLine[];
}

/**
 * A streaming JSON-lines {@link Source}: one JSON object per line. Columns are the declared ones
 * (`attributes.schema`) plus the keys of the first `infer_rows` objects, in order of first appearance, typed
 * from their values (see `ValueTypeGuess`: ISO-8601 strings become timestamps, nested objects JSON text).
 * Keys that first appear later are not read; a missing key is null. A line that is not a JSON object, or a
 * value that does not fit its column, stops the read or is skipped / quarantined per `on_bad_row`.
 *
 * @example
 * const src = new JsonlSource(parseJsonlOptions(new DataSource({ kind: 'jsonl', path: 'events.jsonl' })));
 * for await (const batch of src.read()) console.log(batch.numRows);
 */
export class JsonlSource implements Source {
  readonly description: string;
  readonly stats: SourceStats = { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 };
  private knownSchema: Schema | undefined;

  constructor(readonly options: JsonlOptions, private readonly openRead: OpenRead = openLocalFile) {
    this.description = `jsonl file ${options.path}`;
  }

  async schema(o: { signal?: AbortSignal } = {}): Promise<Schema> {
    if (this.knownSchema) return this.knownSchema;
    const reader = await this.open(o.signal);
    try {
      this.knownSchema = schemaOf((await this.layout(reader)).columns);
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
      const layout = await this.layout(reader);
      this.knownSchema ??= schemaOf(layout.columns);
      const names = layout.columns.map((c) => c.name);
      const builder = new ValueBatchBuilder(layout.columns, {
        capacity: Math.min(batchSize, DEFAULT_BATCH_SIZE),
        naiveZone: opts.timeZone,
        epochUnit: opts.epochUnit,
      });
      const values: unknown[] = new Array<unknown>(names.length);
      yield* assembleRowBatches<ParsedLine, unknown[]>({
        pending: layout.pending,
        reader: {
          next: () => {
            const l = reader.next();
            return l === undefined ? undefined : parseLine(l, opts.path);
          },
          fill: () => reader.fill(),
          checkAbort: () => reader.checkAbort(),
        },
        builder,
        batchSize,
        bad,
        stats: this.stats,
        decoder: {
          decode(parsed) {
            if (parsed.error !== undefined) return { line: parsed.line, reason: parsed.error, raw: parsed.text };
            for (let k = 0; k < names.length; k++) values[k] = parsed.row[names[k]!];
            return values;
          },
          cellError: (parsed, row, k) => this.valueError(layout, builder, parsed, k, row[k]),
        },
      });
    } finally {
      reader.close();
      await bad.close();
    }
  }

  private valueError(layout: Layout, builder: ValueBatchBuilder, parsed: ParsedLine, k: number, value: unknown): BadRow {
    const name = layout.columns[k]!.name;
    let reason = `${this.options.path} line ${parsed.line}, column \`${name}\`: ${show(value)} does not fit ${builder.expected(k)}`;
    if (layout.inferred.has(name)) {
      reason += `; the type was inferred from the first ${this.options.inferRows} lines: declare the column's type in attributes.schema, e.g. schema: { ${JSON.stringify(name)}: "string" }`;
    }
    return { line: parsed.line, reason, column: name, value: show(value), raw: parsed.text };
  }

  /** Declared columns plus the keys of the first `inferRows` lines (which are handed back in `pending`). */
  private async layout(reader: LineReader): Promise<Layout> {
    const o = this.options;
    const pending: ParsedLine[] = [];
    const guesses = new Map<string, ValueTypeGuess>();
    while (pending.length < o.inferRows) {
      const l = await reader.read();
      if (!l) break;
      const parsed = parseLine(l, o.path);
      pending.push(parsed);
      if (parsed.error !== undefined) continue;
      for (const [key, v] of Object.entries(parsed.row)) {
        if (o.schema.has(key)) continue;
        let g = guesses.get(key);
        if (!g) guesses.set(key, (g = new ValueTypeGuess({ isoStringsAsTimes: true })));
        g.add(v);
      }
    }
    const columns: BatchColumn[] = [...o.schema].map(([name, spec]) => ({ name, spec }));
    for (const [name, g] of guesses) columns.push({ name, spec: g.result() });
    return { columns, inferred: new Set(guesses.keys()), pending };
  }

  private async open(signal: AbortSignal | undefined): Promise<LineReader> {
    const o = this.options;
    if (signal?.aborted) throw new AbortedError(`reading ${o.path} was aborted`, { cause: signal.reason });
    const stream = await this.openRead(o.location, { signal });
    return new LineReader(stream, o.path, o.maxLineChars, signal);
  }
}
