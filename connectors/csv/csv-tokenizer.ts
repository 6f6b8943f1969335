/** One record of a CSV text: its cells, or why it could not be read. `line` is the 1-based line it starts on. */
export type CsvRecord =
  | { line: number; fields: string[]; error?: undefined }
  | { line: number; error: string; raw: string };

const QUOTE = 34;
const LF = 10;
const CR = 13;

function countLf(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

interface Scanned {
  record: CsvRecord;
  end: number;
  lines: number;
}

/**
 * A streaming, pull-style RFC 4180 tokenizer: `push` text chunks, take records with `next` until it returns
 * undefined, then push more (or call `end`). Quoted fields may hold the delimiter, doubled quotes and line
 * breaks; rows end with LF or CRLF; blank lines are skipped (but counted for line numbers); a leading BOM
 * is dropped. A line without a quote takes a fast path (`indexOf` per cell). Records are handed out one at
 * a time so that they die young; only the unfinished tail of a chunk is carried over, and a record longer
 * than `maxRecordChars` is refused, so memory stays bounded by the chunk size.
 */
export class CsvTokenizer {
  private text = '';
  private pos = 0;
  private final = false;
  private line = 1;
  private started = false;
  private nextDelim = -1;
  private nextQuote = -1;
  private readonly delimCode: number;

  constructor(private readonly delimiter: string, private readonly maxRecordChars = 64 * 1024 * 1024) {
    this.delimCode = delimiter.charCodeAt(0);
  }

  /** Adds a chunk of text after what is left of the previous ones. */
  push(chunk: string): void {
    const rest = this.pos < this.text.length ? this.text.slice(this.pos) : '';
    if (rest.length > this.maxRecordChars) {
      throw new RangeError(`a record starting on line ${this.line} is longer than ${this.maxRecordChars} characters (an unclosed quote?)`);
    }
    this.text = rest === '' ? chunk : rest + chunk;
    this.pos = 0;
    this.nextDelim = -1;
    this.nextQuote = -1;
    if (!this.started && this.text.length > 0) {
      this.started = true;
      if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    }
  }

  /** Marks the end of the input: `next` then also returns the last, unterminated record. */
  end(): void {
    this.final = true;
  }

  /** The next complete record, or undefined when more text is needed (or, after `end`, none is left). */
  next(): CsvRecord | undefined {
    const text = this.text;
    const len = text.length;
    const d = this.delimiter;
    while (this.pos < len) {
      const pos = this.pos;
      let eol = text.indexOf('\n', pos);
      if (eol === -1) {
        if (!this.final) return undefined;
        eol = len;
      }
      if (this.nextQuote < pos) {
        this.nextQuote = text.indexOf('"', pos);
        if (this.nextQuote === -1) this.nextQuote = len;
      }
      if (this.nextQuote >= eol) {
        const lineEnd = eol > pos && text.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
        const line = this.line++;
        this.pos = eol + 1;
        if (lineEnd === pos) continue;
        const fields: string[] = [];
        let i = pos;
        let nd = this.nextDelim;
        for (;;) {
          if (nd < i) {
            nd = text.indexOf(d, i);
            if (nd === -1) nd = len;
          }
          if (nd >= lineEnd) break;
          fields.push(text.slice(i, nd));
          i = nd + 1;
        }
        this.nextDelim = nd;
        fields.push(text.slice(i, lineEnd));
        return { line, fields };
      }
      const r = this.scanQuoted(text, pos, this.final);
      if (r === undefined) return undefined;
      this.line += r.lines;
      this.pos = r.end;
      return r.record;
    }
    return undefined;
  }

  /** Reads one record that holds a quote; undefined when the text ends before the record does. */
  private scanQuoted(text: string, start: number, final: boolean): Scanned | undefined {
    const len = text.length;
    const delim = this.delimCode;
    const fields: string[] = [];
    let lines = 0;
    let i = start;
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const k = text.indexOf('"', j);
          if (k === -1) {
            if (!final) return undefined;
            const raw = text.slice(start);
            return { record: { line: this.line, error: 'a quoted field is not closed before the end of the file', raw }, end: len, lines: countLf(raw) + 1 };
          }
          value += text.slice(j, k);
          if (k + 1 >= len && !final) return undefined;
          if (text.charCodeAt(k + 1) === QUOTE) {
            value += '"';
            j = k + 2;
            continue;
          }
          i = k + 1;
          break;
        }
        lines += countLf(value);
        fields.push(value);
        if (i >= len) {
          if (!final) return undefined;
          return { record: { line: this.line, fields }, end: len, lines };
        }
        const c = text.charCodeAt(i);
        if (c === delim) {
          i++;
          continue;
        }
        if (c === LF) return { record: { line: this.line, fields }, end: i + 1, lines: lines + 1 };
        if (c === CR && i + 1 >= len && !final) return undefined;
        if (c === CR && (i + 1 >= len || text.charCodeAt(i + 1) === LF)) {
          return { record: { line: this.line, fields }, end: i + 2, lines: lines + 1 };
        }
        let e = text.indexOf('\n', i);
        if (e === -1) {
          if (!final) return undefined;
          e = len;
        }
        const raw = text.slice(start, e).replace(/\r$/, '');
        const error = `unexpected text ${JSON.stringify(text.slice(i, Math.min(i + 20, e)))} after the closing quote of field ${fields.length}`;
        return { record: { line: this.line, error, raw }, end: e + 1, lines: lines + 1 };
      }
      let j = i;
      let c = 0;
      for (; j < len; j++) {
        c = text.charCodeAt(j);
        if (c === delim || c === LF) break;
      }
      if (j >= len && !final) return undefined;
      let end = j;
      if (j < len && c === LF && end > i && text.charCodeAt(end - 1) === CR) end--;
      fields.push(text.slice(i, end));
      if (j >= len) return { record: { line: this.line, fields }, end: len, lines };
      if (c === delim) {
        i = j + 1;
        continue;
      }
      return { record: { line: this.line, fields }, end: j + 1, lines: lines + 1 };
    }
  }
}
