import type { Readable } from 'node:stream';
import { AbortedError, BadInputError, NotFoundError, SluiceError } from '../../src/index.js';

/** One non-blank line of text and its 1-based line number. */
export interface TextLine {
  line: number;
  text: string;
}

/**
 * Splits a byte stream into lines (LF or CRLF; blank lines are skipped but counted; a leading BOM is dropped),
 * handing them out a chunk at a time: `next()` returns undefined when `fill()` must read more, and `fill()`
 * returns false at the end. Only the unfinished tail of a chunk is carried over; a line longer than
 * `maxLineChars` is a `BadInputError`, so memory stays bounded by the chunk size.
 */
export class LineReader {
  private readonly chunks: AsyncIterator<string>;
  private text = '';
  private pos = 0;
  private line = 1;
  private started = false;
  private final = false;
  private done = false;

  constructor(
    private readonly stream: Readable,
    private readonly file: string,
    private readonly maxLineChars: number,
    private readonly signal?: AbortSignal,
  ) {
    stream.setEncoding('utf8');
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  }

  /** Throws an {@link AbortedError} when the signal has fired. */
  checkAbort(): void {
    if (this.signal?.aborted) throw new AbortedError(`reading ${this.file} was aborted`, { cause: this.signal.reason });
  }

  /** The next line from text already read, or undefined when {@link fill} must read more. */
  next(): TextLine | undefined {
    const text = this.text;
    while (this.pos < text.length) {
      let eol = text.indexOf('\n', this.pos);
      if (eol === -1) {
        if (!this.final) return undefined;
        eol = text.length;
      }
      const start = this.pos;
      const end = eol > start && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      const line = this.line++;
      this.pos = eol + 1;
      if (end > start && text.slice(start, end).trim() !== '') return { line, text: text.slice(start, end) };
    }
    return undefined;
  }

  /** The next line, reading more when needed; undefined at the end (not for hot loops). */
  async read(): Promise<TextLine | undefined> {
    for (;;) {
      const l = this.next();
      if (l !== undefined || !(await this.fill())) return l;
    }
  }

  /** Reads the next chunk; false at the end of the file (after which `next` drains the last line). */
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
      this.final = true;
      this.done = true;
      return true;
    }
    const rest = this.pos < this.text.length ? this.text.slice(this.pos) : '';
    if (rest.length > this.maxLineChars) {
      throw new BadInputError(`${this.file} line ${this.line}: the line is longer than ${this.maxLineChars} characters; raise attributes.max_line_chars if that is intended`);
    }
    let chunk = r.value;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.text = rest + chunk;
    this.pos = 0;
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
