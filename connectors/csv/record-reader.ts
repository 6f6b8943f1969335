import type { Readable } from 'node:stream';
import { AbortedError, BadInputError, NotFoundError, SluiceError } from '../../src/index.js';
import { CsvTokenizer } from './csv-tokenizer.js';
import type { CsvRecord } from './csv-tokenizer.js';

/**
 * Turns a byte stream into CSV records: take records with `next()` until it returns undefined, then
 * `await fill()` for the next chunk; `fill()` returns false at the end. Stops with an `AbortedError` on abort.
 */
export class RecordReader {
  private readonly chunks: AsyncIterator<string>;
  private readonly tokenizer: CsvTokenizer;
  private done = false;

  constructor(
    private readonly stream: Readable,
    private readonly file: string,
    delimiter: string,
    maxRecordChars: number,
    private readonly signal?: AbortSignal,
  ) {
    stream.setEncoding('utf8');
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
    this.tokenizer = new CsvTokenizer(delimiter, maxRecordChars);
  }

  /** Throws an {@link AbortedError} when the signal has fired. */
  checkAbort(): void {
    if (this.signal?.aborted) throw new AbortedError(`reading ${this.file} was aborted`, { cause: this.signal.reason });
  }

  /** The next record from text already read, or undefined when {@link fill} must read more. */
  next(): CsvRecord | undefined {
    return this.tokenizer.next();
  }

  /** The next record, reading more of the file when needed; undefined at the end (not for hot loops). */
  async read(): Promise<CsvRecord | undefined> {
    for (;;) {
      const rec = this.tokenizer.next();
      if (rec !== undefined || !(await this.fill())) return rec;
    }
  }

  /** Reads the next chunk; false at the end of the file (after which `next` drains the last record). */
  async fill(): Promise<boolean> {
    if (this.done) return false;
    this.checkAbort();
    let r: IteratorResult<string>;
    try {
      r = await this.chunks.next();
    } catch (err) {
      throw this.translate(err);
    }
    if (r.done) {
      this.tokenizer.end();
      this.done = true;
      return true;
    }
    try {
      this.tokenizer.push(r.value);
    } catch (err) {
      if (err instanceof RangeError) throw new BadInputError(`${this.file}: ${err.message}`);
      throw err;
    }
    return true;
  }

  close(): void {
    this.stream.destroy();
  }

  private translate(err: unknown): Error {
    if (this.signal?.aborted) return new AbortedError(`reading ${this.file} was aborted`, { cause: err });
    if (err instanceof SluiceError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new NotFoundError(`file not found: ${this.file}`, { cause: err });
    return new SluiceError('IO', `cannot read ${this.file}: ${(err as Error).message}`, { cause: err, retryable: true });
  }
}
