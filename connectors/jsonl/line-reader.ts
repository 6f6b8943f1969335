import type { Readable } from 'node:stream';
import { BadInputError, TextChunkReader } from '../../src/index.js';

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
export class LineReader extends TextChunkReader<TextLine> {
  private text = '';
  private pos = 0;
  private line = 1;
  private started = false;
  private final = false;

  constructor(stream: Readable, file: string, private readonly maxLineChars: number, signal?: AbortSignal) {
    super(stream, file, signal);
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

  protected push(chunk: string): void {
    const rest = this.pos < this.text.length ? this.text.slice(this.pos) : '';
    if (rest.length > this.maxLineChars) {
      throw new BadInputError(`${this.file} line ${this.line}: the line is longer than ${this.maxLineChars} characters; raise attributes.max_line_chars if that is intended`);
    }
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.text = rest + chunk;
    this.pos = 0;
  }

  protected end(): void {
    this.final = true;
  }
}
