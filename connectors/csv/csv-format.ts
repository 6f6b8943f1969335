import { DataType, TimeUnit } from 'apache-arrow';
import type { RecordBatch, Schema, Vector } from 'apache-arrow';
import { SpecError } from '../../src/index.js';
import type { FileFormat, FileFormatWriter, FileSystem, FileWriter, FormatOptions } from '../../src/index.js';

/** The target `attributes` keys the CSV format parses. */
export const CSV_TARGET_SETTINGS = ['delimiter', 'header'] as const;

/** CSV target settings from `attributes`. */
export interface CsvTargetOptions {
  delimiter: string;
  header: boolean;
}

export function parseCsvTargetOptions(attributes: Record<string, unknown>): CsvTargetOptions {
  const d = attributes.delimiter ?? ',';
  if (typeof d !== 'string' || d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new SpecError(`csv target attributes.delimiter: ${JSON.stringify(d)} must be one character other than a quote or a line break`);
  }
  const h = attributes.header ?? true;
  if (typeof h !== 'boolean') throw new SpecError(`csv target attributes.header: ${JSON.stringify(h)} is not true or false`);
  return { delimiter: d, header: h };
}

const MS = { [TimeUnit.SECOND]: 1000, [TimeUnit.MILLISECOND]: 1, [TimeUnit.MICROSECOND]: 1e-3, [TimeUnit.NANOSECOND]: 1e-6 } as Record<number, number>;

/** Formats one cell: timestamps as ISO-8601 UTC with microseconds kept, RFC 4180 quoting where needed. */
function cellFormatter(type: DataType, delimiter: string): (v: unknown) => string {
  const quote = (s: string) => (s.includes(delimiter) || /["\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s);
  if (DataType.isTimestamp(type)) {
    const unit = type.unit;
    return (v) => {
      const raw = typeof v === 'bigint' ? v : BigInt(Math.round(Number(v)));
      const ms = Number(raw) * (MS[unit] ?? 1);
      const iso = new Date(Math.floor(ms)).toISOString();
      if (unit === TimeUnit.MICROSECOND || unit === TimeUnit.NANOSECOND) {
        const perSec = unit === TimeUnit.MICROSECOND ? 1_000_000n : 1_000_000_000n;
        const frac = ((raw % perSec) + perSec) % perSec;
        return iso.replace(/\.\d{3}Z$/, `.${frac.toString().padStart(unit === TimeUnit.MICROSECOND ? 6 : 9, '0')}Z`);
      }
      return iso;
    };
  }
  if (DataType.isDate(type)) return (v) => (v instanceof Date ? v : new Date(Number(v))).toISOString().slice(0, 10);
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return (v) => quote(String(v));
  if (DataType.isBool(type)) return (v) => (v ? 'true' : 'false');
  if (DataType.isFloat(type)) return (v) => (Number.isFinite(v as number) ? String(v) : String(v).toLowerCase());
  if (DataType.isInt(type)) return (v) => String(v);
  return (v) => quote(typeof v === 'object' ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) : String(v));
}

class CsvFileWriter implements FileFormatWriter {
  private headerDone = false;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly out: FileWriter,
    private readonly schema: Schema,
    private readonly o: CsvTargetOptions,
  ) {}

  get bytesWritten(): number {
    return this.out.bytesWritten;
  }

  async append(batch: RecordBatch): Promise<void> {
    const { delimiter } = this.o;
    let text = '';
    if (!this.headerDone && this.o.header) {
      text += `${this.schema.fields.map((f) => quoteName(f.name, delimiter)).join(delimiter)}\n`;
    }
    this.headerDone = true;
    const cols = batch.schema.fields.map((f) => {
      const vec = batch.getChild(f.name) as Vector;
      // A timestamp's get() is epoch milliseconds whatever the unit; the formatter needs the stored value.
      const at = DataType.isTimestamp(f.type) ? (i: number) => (vec.isValid(i) ? storedValue(vec, i) : null) : (i: number) => vec.get(i) as unknown;
      return { at, fmt: cellFormatter(f.type as DataType, delimiter) };
    });
    const lines: string[] = new Array<string>(batch.numRows);
    for (let i = 0; i < batch.numRows; i++) {
      let line = '';
      for (let c = 0; c < cols.length; c++) {
        const { at, fmt } = cols[c] as { at: (i: number) => unknown; fmt: (v: unknown) => string };
        const v = at(i);
        if (c > 0) line += delimiter;
        if (v !== null && v !== undefined) line += fmt(v);
      }
      lines[i] = line;
    }
    text += lines.join('\n');
    if (batch.numRows > 0) text += '\n';
    await this.out.write(this.encoder.encode(text));
  }

  async close(): Promise<{ bytes: number }> {
    const { size } = await this.out.close();
    return { bytes: size };
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}

/** The value stored at row `i` of a fixed-width column (a timestamp's count of its unit, as a bigint). */
function storedValue(vec: Vector, i: number): unknown {
  let j = i;
  for (const d of vec.data) {
    if (j < d.length) return (d.values as ArrayLike<unknown>)[d.offset + j];
    j -= d.length;
  }
  return undefined;
}

function quoteName(name: string, delimiter: string): string {
  return name.includes(delimiter) || /["\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/** The CSV file format of file targets: RFC 4180, a header row, ISO-8601 UTC timestamps, empty cells for nulls. */
export const csvFormat: FileFormat = {
  kind: 'csv',
  settings: CSV_TARGET_SETTINGS,
  extension: 'csv',
  parseOptions: (attributes) => parseCsvTargetOptions(attributes) as unknown as FormatOptions,
  async open(fs: FileSystem, path: string, schema: Schema, options: FormatOptions): Promise<FileFormatWriter> {
    return new CsvFileWriter(await fs.createWriter(path), schema, options as unknown as CsvTargetOptions);
  },
};
