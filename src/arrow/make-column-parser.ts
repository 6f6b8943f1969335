import type { ColumnParser } from './column-parser.js';
import type { ColumnSpec } from './column-types.js';
import { BoolParser, Float64Parser, Int32Parser, Int64Parser } from './number-parsers.js';
import { DateParser, TimestampParser } from './time-parsers.js';
import type { TimestampParseOptions } from './time-parsers.js';
import { Utf8Parser } from './utf8-parser.js';

/** Options for {@link makeColumnParser}. */
export interface ColumnParserOptions extends TimestampParseOptions {
  /** Expected rows per batch; buffers start this large and grow when needed. */
  capacity?: number;
}

/**
 * The {@link ColumnParser} for a column spec.
 * @example const p = makeColumnParser({ type: 'int64' }); p.append('42'); p.flush(); // Data<Int64> of [42n]
 */
export function makeColumnParser(spec: ColumnSpec, o: ColumnParserOptions = {}): ColumnParser {
  const capacity = o.capacity ?? 1024;
  switch (spec.type) {
    case 'string': return new Utf8Parser(capacity);
    case 'int64': return new Int64Parser(capacity);
    case 'int32': return new Int32Parser(capacity);
    case 'float64': return new Float64Parser(capacity);
    case 'bool': return new BoolParser(capacity);
    case 'date': return new DateParser(capacity);
    default: return new TimestampParser(spec, capacity, o);
  }
}
