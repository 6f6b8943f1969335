import { BadInputError, inferColumnSpecs, INVALID_UTF8 } from '../../src/index.js';
import type { BatchColumn, ColumnSpec } from '../../src/index.js';
import type { CsvOptions } from './csv-options.js';
import type { CsvRecord } from './csv-tokenizer.js';
import type { RecordReader } from './record-reader.js';

/** The columns of a CSV file and the records already read to find them (to be processed first). */
export interface CsvLayout {
  columns: BatchColumn[];
  /** Names of the columns whose type was inferred rather than declared. */
  inferred: Set<string>;
  pending: CsvRecord[];
}

/**
 * Reads the header (or takes `columns` / `0..n-1` names when there is none), checks every column of
 * `attributes.schema` is present, and, when some column is declared neither there nor by the feature set
 * (`value_type`), samples the first `inferRows` rows (well-formed ones count) to infer its type. Reads only as far as needed; the rows it read are handed back in `pending`.
 */
export async function readCsvLayout(reader: RecordReader, o: CsvOptions): Promise<CsvLayout> {
  const pending: CsvRecord[] = [];
  let names: string[] | undefined = o.columns;
  if (o.header) {
    const first = await reader.read();
    if (!first) throw new BadInputError(`${o.path}: the file is empty; expected a header row (or set attributes.header to false)`);
    if (first.error !== undefined) throw new BadInputError(`${o.path} line ${first.line}: the header row cannot be read: ${first.error}`);
    names = first.fields;
    if (reader.invalidUtf8 > 0 && names.some((n) => n.includes(INVALID_UTF8))) {
      throw new BadInputError(`${o.path} line ${first.line}: the header row holds invalid UTF-8 (a byte that is not UTF-8 text); re-encode the file as UTF-8`);
    }
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new BadInputError(`${o.path} line ${first.line}: the header names column \`${n}\` twice; columns: ${names.join(', ')}`);
      seen.add(n);
    }
  } else if (!names) {
    let width = 0;
    while (pending.length < o.inferRows) {
      const r = await reader.read();
      if (!r) break;
      pending.push(r);
      if (r.error === undefined) {
        width = r.fields.length;
        break;
      }
    }
    names = Array.from({ length: width }, (_, i) => String(i));
  }
  const header = names;
  for (const declared of o.schema.keys()) {
    if (!header.includes(declared)) {
      throw new BadInputError(`${o.path}: column \`${declared}\` declared in attributes.schema is not in the file; columns: ${header.join(', ')}`);
    }
  }
  const declared = (name: string) => o.schema.get(name) ?? o.declared?.get(name);
  const undeclared = header.map((_, i) => i).filter((i) => !declared(header[i]!));
  if (undeclared.length > 0) {
    while (pending.length < o.inferRows) {
      const r = await reader.read();
      if (!r) break;
      pending.push(r);
    }
  }
  const n = header.length;
  const utf8Ok = (fields: string[]) => reader.invalidUtf8 === 0 || !fields.some((f) => f.includes(INVALID_UTF8));
  const sample = pending.flatMap((r) => (r.error === undefined && r.fields.length === n && utf8Ok(r.fields) ? [r.fields] : []));
  const guessed = inferColumnSpecs(sample, undeclared);
  const specs = new Map<number, ColumnSpec>(undeclared.map((idx, k) => [idx, guessed[k]!]));
  const columns = header.map((name, i) => ({ name, spec: declared(name) ?? (name === o.timeField ? timeSpec(specs.get(i)!) : specs.get(i)!) }));
  return { columns, inferred: new Set(undeclared.map((i) => header[i]!).filter((name) => name !== o.timeField)), pending };
}

/**
 * The time field's type when it is not declared: a timestamp, unless its sample held only epoch numbers (kept
 * as numbers). So a value that is not a time is a bad row naming its line, not a string column.
 */
function timeSpec(guess: ColumnSpec): ColumnSpec {
  return guess.type === 'int64' || guess.type === 'float64' || guess.type.startsWith('timestamp') ? guess : { type: 'timestamp', unit: 'us' };
}
