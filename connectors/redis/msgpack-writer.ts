/**
 * A minimal MessagePack encoder for the guard script's payload: one array of strings, small integers and nils,
 * written straight into a growing Buffer (no per-value objects). Redis's Lua decodes it with `cmsgpack.unpack`
 * in C, which is much cheaper for both sides than hundreds of separate command arguments.
 */
export class MsgpackWriter {
  private buf: Buffer;
  private off = 0;
  private count = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.reset();
  }

  /** Starts a new array (its length is filled in by {@link finish}). */
  reset(): void {
    this.off = 5;
    this.count = 0;
  }

  private ensure(extra: number): void {
    if (this.off + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + extra));
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }

  /**
   * Appends a string (str8/str16/str32, chosen by an upper bound of its UTF-8 length). Short ASCII strings (most
   * keys and values) are copied char by char: cheaper than a native `Buffer.write` call per value.
   */
  str(s: string): void {
    const len = s.length;
    if (len < 32) {
      this.ensure(len + 2);
      const b = this.buf;
      const o = this.off;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        b[o + 2 + i] = c;
      }
      if (i === len) {
        b[o] = 0xd9;
        b[o + 1] = len;
        this.off = o + 2 + len;
        this.count++;
        return;
      }
    }
    const bound = len * 3;
    this.ensure(bound + 5);
    const b = this.buf;
    const o = this.off;
    let n: number;
    if (bound < 256) {
      b[o] = 0xd9;
      n = b.write(s, o + 2);
      b[o + 1] = n;
      this.off = o + 2 + n;
    } else if (bound < 65536) {
      b[o] = 0xda;
      n = b.write(s, o + 3);
      b.writeUInt16BE(n, o + 1);
      this.off = o + 3 + n;
    } else {
      b[o] = 0xdb;
      n = b.write(s, o + 5);
      b.writeUInt32BE(n, o + 1);
      this.off = o + 5 + n;
    }
    this.count++;
  }

  /** Appends an already-encoded value (e.g. a field name encoded once per batch). */
  raw(encoded: Buffer): void {
    this.ensure(encoded.length);
    this.buf.set(encoded, this.off);
    this.off += encoded.length;
    this.count++;
  }

  /** Appends a non-negative integer below 2^32. */
  uint(n: number): void {
    this.ensure(5);
    if (n < 128) this.buf[this.off++] = n;
    else {
      this.buf[this.off] = 0xce;
      this.buf.writeUInt32BE(n, this.off + 1);
      this.off += 5;
    }
    this.count++;
  }

  /** Reserves a uint32 slot to be set later with {@link setUint}; returns its position. */
  uintSlot(): number {
    this.ensure(5);
    const at = this.off;
    this.buf[at] = 0xce;
    this.off += 5;
    this.count++;
    return at;
  }

  setUint(at: number, n: number): void {
    this.buf.writeUInt32BE(n, at + 1);
  }

  /** The finished array (array32 header + values) as a new Buffer; the writer can be reset and reused. */
  finish(): Buffer {
    this.buf[0] = 0xdd;
    this.buf.writeUInt32BE(this.count, 1);
    return Buffer.from(this.buf.subarray(0, this.off));
  }

  /** A string encoded on its own, for {@link raw}. */
  static encodeStr(s: string): Buffer {
    const w = new MsgpackWriter(s.length * 3 + 16);
    w.str(s);
    return Buffer.from(w.finish().subarray(5));
  }
}
