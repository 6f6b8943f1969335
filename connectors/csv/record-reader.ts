import type { Readable } from 'node:stream';
import { BadInputError, TextChunkReader } from '../../src/index.js';
import { CsvTokenizer } from './csv-tokenizer.js';
import type { CsvRecord } from './csv-tokenizer.js';

/**
 * Turns a byte stream into CSV records: take records with `next()` until it returns undefined, then
 * `await fill()` for the next chunk; `fill()` returns false at the end. Stops with an `AbortedError` on abort.
 */
export class RecordReader extends TextChunkReader<CsvRecord> {
  private readonly tokenizer: CsvTokenizer;

  constructor(stream: Readable, file: string, delimiter: string, maxRecordChars: number, signal?: AbortSignal) {
    super(stream, file, signal);
    this.tokenizer = new CsvTokenizer(delimiter, maxRecordChars);
  }

  /** The next record from text already read, or undefined when {@link fill} must read more. */
  next(): CsvRecord | undefined {
    return this.tokenizer.next();
  }

  protected push(chunk: string): void {
    try {
      this.tokenizer.push(chunk);
    } catch (err) {
      if (err instanceof RangeError) throw new BadInputError(`${this.file}: ${err.message}`);
      throw err;
    }
  }

  protected end(): void {
    this.tokenizer.end();
  }
}
