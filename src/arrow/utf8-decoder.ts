/**
 * Stands in the decoded text for each byte that is not part of valid UTF-8: a lone surrogate, which decoding
 * valid UTF-8 never yields, so a reader can tell bad input from a genuine U+FFFD in the data.
 */
export const INVALID_UTF8 = '\uD800';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** Length of the valid UTF-8 sequence at `i`, 0 when the byte starts none, -1 when `end` cuts it short. */
function sequenceLength(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k < n; k++) {
    if (i + k >= end) return -1;
    const d = b[i + k]!;
    if (k === 1 ? d < lo || d > hi : (d & 0xc0) !== 0x80) return 0;
  }
  return n;
}

/**
 * Decodes a byte stream as UTF-8 chunk by chunk. Valid input takes the platform decoder's fast path; a chunk
 * with invalid bytes is decoded run by run, each invalid byte becoming {@link INVALID_UTF8}, and `invalidBytes`
 * counts them. A sequence cut by the chunk's end is carried into the next chunk.
 */
export class Utf8ChunkDecoder {
  /** Invalid bytes seen so far. */
  invalidBytes = 0;
  private carry: Uint8Array | undefined;

  /** The text of `chunk` (after what the previous chunk left); `final` marks the last chunk. */
  decode(chunk: Uint8Array, final = false): string {
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.carry = undefined;
    }
    let end = bytes.length;
    if (!final) {
      for (let j = end - 1; j >= 0 && j >= end - 3; j--) {
        const c = bytes[j]!;
        if ((c & 0xc0) === 0x80) continue;
        if (c >= 0xc0 && sequenceLength(bytes, j, end) === -1) end = j;
        break;
      }
      if (end < bytes.length) this.carry = bytes.slice(end);
    }
    const body = bytes.subarray(0, end);
    try {
      return fatal.decode(body);
    } catch {
      return this.decodeInvalid(body);
    }
  }

  private decodeInvalid(b: Uint8Array): string {
    let out = '';
    let start = 0;
    let i = 0;
    while (i < b.length) {
      const n = sequenceLength(b, i, b.length);
      if (n > 0) {
        i += n;
        continue;
      }
      if (i > start) out += lenient.decode(b.subarray(start, i));
      out += INVALID_UTF8;
      this.invalidBytes++;
      i++;
      start = i;
    }
    if (i > start) out += lenient.decode(b.subarray(start, i));
    return out;
  }
}
