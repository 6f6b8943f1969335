import type { RecordBatch, Schema } from 'apache-arrow';
import {
  AbortedError, assembleRowBatches, BadRowHandler, INVALID_UTF8, openLocalFile, schemaOf, SpecError, ValueBatchBuilder, ValueTypeGuess,
} from '../../src/index.js';
import type { BadRow, BatchColumn, ColumnSpec, OpenRead, ReadOptions, Source, SourceStats } from '../../src/index.js';
import type { JsonlOptions } from './jsonl-options.js';
import { LineReader } from './line-reader.js';
import type { TextLine } from './line-reader.js';
import { parseJsonExact } from './parse-json-exact.js';

/** Rows per batch when `read()` is not told otherwise. */
export const DEFAULT_BATCH_SIZE = 65_536;

/** A line parsed into an object, or why it is not one. */
type ParsedLine = { line: number; text: string; row: Record<string, unknown>; error?: undefined } | { line: number; text: string; error: string };

function parseLine(l: TextLine, file: string, checkUtf8: boolean): ParsedLine {
  if (checkUtf8) {
    const at = l.text.indexOf(INVALID_UTF8);
    if (at >= 0) return { ...l, error: `${file} line ${l.line}, column ${at + 1}: invalid UTF-8 (a byte that is not UTF-8 text); re-encode the file as UTF-8` };
  }
  let v: unknown;
  try {
    v = parseJsonExact(l.text);
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

/** The time field's type: a timestamp, unless its sample held only epoch numbers (read as numbers). */
function timeSpec(guess: ColumnSpec): ColumnSpec {
  return guess.type === 'int64' || guess.type === 'float64' || guess.type.startsWith('timestamp') ? guess : { type: 'timestamp', unit: 'us' };
}

interface Layout {
  columns: BatchColumn[];
  inferred: Set<string>;
  pending: ParsedLine[];
}

/**
 * A streaming JSON-lines {@link Source}: one JSON object per line. Columns are the declared ones
 * (`attributes.schema`) plus the keys of the first `infer_rows` objects, in order of first appearance, typed
 * by the feature set's `value_type` where it declares one, else from their values (see `ValueTypeGuess`:
 * ISO-8601 strings become timestamps, nested objects JSON text; integers beyond 2^53 stay exact). The time
 * field is read as a timestamp unless its values are epoch numbers. A missing key is null. Bad rows stop the
 * read or are skipped / quarantined per `on_bad_row`: a line that is not a JSON object or not UTF-8, a value
 * that does not fit its column, a key that first appears after the sample (it has no column), a null key or
 * an empty time.
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
      const nameSet = new Set(names);
      const keyIdx = (opts.keyFields ?? []).map((k) => names.indexOf(k)).filter((i) => i >= 0);
      const timeIdx = opts.timeField === undefined ? -1 : names.indexOf(opts.timeField);
      const bad1 = (parsed: ParsedLine, column: string, what: string, value?: unknown): BadRow => ({
        line: parsed.line,
        reason: `${opts.path} line ${parsed.line}, column \`${column}\`: ${what}`,
        column,
        ...(value === undefined ? {} : { value: show(value) }),
        raw: parsed.text,
      });
      yield* assembleRowBatches<ParsedLine, unknown[]>({
        pending: layout.pending,
        reader: {
          next: () => {
            const l = reader.next();
            return l === undefined ? undefined : parseLine(l, opts.path, reader.invalidUtf8 > 0);
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
            const row = parsed.row;
            for (let k = 0; k < names.length; k++) values[k] = row[names[k]!];
            for (const key in row) {
              if (!nameSet.has(key)) {
                const reason = `${opts.path} line ${parsed.line}: field \`${key}\` was not in the first ${opts.inferRows} lines, so it has no column and would be lost; declare it in attributes.schema (e.g. schema: { ${JSON.stringify(key)}: "string" }) or raise attributes.infer_rows`;
                return { line: parsed.line, reason, column: key, value: show(row[key]), raw: parsed.text };
              }
            }
            for (const k of keyIdx) {
              if (values[k] === null || values[k] === undefined) return bad1(parsed, names[k]!, 'the key is null or missing; every row needs an entity key');
            }
            if (timeIdx >= 0) {
              const t = values[timeIdx];
              if (t === null || t === undefined || t === '') return bad1(parsed, names[timeIdx]!, 'the event time is empty; every row needs one (the time field)', t ?? null);
            }
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
      const parsed = parseLine(l, o.path, reader.invalidUtf8 > 0);
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
    const inferred = new Set<string>();
    for (const [name, g] of guesses) {
      const declared = o.declared?.get(name);
      const spec = declared ?? (name === o.timeField ? timeSpec(g.result()) : g.result());
      if (!declared && name !== o.timeField) inferred.add(name);
      columns.push({ name, spec });
    }
    return { columns, inferred, pending };
  }

  private async open(signal: AbortSignal | undefined): Promise<LineReader> {
    const o = this.options;
    if (signal?.aborted) throw new AbortedError(`reading ${o.path} was aborted`, { cause: signal.reason });
    const stream = await this.openRead(o.location, { signal });
    return new LineReader(stream, o.path, o.maxLineChars, signal);
  }
}
