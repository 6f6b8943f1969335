import { makeData, Utf8 } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import type { ColumnParser } from './column-parser.js';
import { ValidityBitmap } from './validity-bitmap.js';

const encoder = new TextEncoder();

/**
 * string cells, taken as they are (an empty cell is null). Cells are encoded to UTF-8 as they arrive (ASCII
 * by a byte loop, the rest by `TextEncoder.encodeInto`), so no JS string outlives its row.
 */
export class Utf8Parser implements ColumnParser {
  readonly type = new Utf8();
  readonly expected = 'string';
  length = 0;
  private bytes: Uint8Array;
  private offsets: Int32Array;
  private readonly validity: ValidityBitmap;

  constructor(capacity = 1024) {
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = new Uint8Array(capacity * 16);
    this.validity = new ValidityBitmap(capacity);
  }

  append(cell: string): boolean {
    const i = this.length;
    if (i + 1 >= this.offsets.length) {
      const next = new Int32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    let at = this.offsets[i]!;
    const n = cell.length;
    if (at + n * 3 > this.bytes.length) {
      const next = new Uint8Array(Math.max(this.bytes.length * 2, at + n * 3));
      next.set(this.bytes.subarray(0, at));
      this.bytes = next;
    }
    const bytes = this.bytes;
    let k = 0;
    for (; k < n; k++) {
      const c = cell.charCodeAt(k);
      if (c >= 128) break;
      bytes[at++] = c;
    }
    if (k < n) at += encoder.encodeInto(cell.slice(k), bytes.subarray(at)).written;
    this.offsets[i + 1] = at;
    this.validity.set(i, n !== 0);
    this.length = i + 1;
    return true;
  }

  appendNull(): void {
    this.append('');
  }

  truncate(length: number): void {
    if (length >= this.length) return;
    this.validity.truncate(length, this.length);
    this.length = length;
  }

  flush(): Data {
    const length = this.length;
    const end = this.offsets[length]!;
    const valueOffsets = this.offsets.slice(0, length + 1);
    const data = this.bytes.slice(0, end);
    const nullCount = this.validity.nullCount;
    const nullBitmap = this.validity.take(length);
    this.length = 0;
    return makeData({ type: this.type, length, nullCount, nullBitmap, valueOffsets, data });
  }
}
