/** A growable Arrow validity bitmap (bit set = value present) that counts its nulls. */
export class ValidityBitmap {
  private bytes: Uint8Array;
  nullCount = 0;

  constructor(capacity = 1024) {
    this.bytes = new Uint8Array((capacity + 7) >> 3);
  }

  /** Marks row `i` valid (`true`) or null (`false`); rows are set in order. */
  set(i: number, valid: boolean): void {
    const byte = i >> 3;
    if (byte >= this.bytes.length) {
      const next = new Uint8Array(Math.max(this.bytes.length * 2, byte + 1));
      next.set(this.bytes);
      this.bytes = next;
    }
    if (valid) this.bytes[byte]! |= 1 << (i & 7);
    else {
      this.bytes[byte]! &= ~(1 << (i & 7));
      this.nullCount++;
    }
  }

  /** Forgets rows `length..oldLength-1`. */
  truncate(length: number, oldLength: number): void {
    for (let i = length; i < oldLength; i++) {
      if ((this.bytes[i >> 3]! & (1 << (i & 7))) === 0) this.nullCount--;
    }
  }

  /** The bitmap for `length` rows (undefined when nothing is null), and a fresh empty bitmap. */
  take(length: number): Uint8Array | undefined {
    const out = this.nullCount === 0 ? undefined : this.bytes.slice(0, (length + 7) >> 3);
    this.bytes.fill(0);
    this.nullCount = 0;
    return out;
  }
}
