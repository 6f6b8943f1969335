import { ValidityBitmap } from './validity-bitmap.js';

/** Shared bookkeeping of fixed-width column parsers: row count, capacity and validity. */
export abstract class FixedWidthColumn {
  length = 0;
  protected capacity: number;
  protected readonly validity: ValidityBitmap;

  constructor(capacity: number) {
    this.capacity = Math.max(16, capacity);
    this.validity = new ValidityBitmap(this.capacity);
  }

  /** Reallocates the value buffer to `capacity` rows, keeping the first `length`. */
  protected abstract resize(capacity: number): void;

  /** Makes room for one more row and returns its index. */
  protected next(): number {
    if (this.length === this.capacity) {
      this.capacity *= 2;
      this.resize(this.capacity);
    }
    return this.length;
  }

  /** Records row `i` as present and counts it. */
  protected commit(i: number): void {
    this.validity.set(i, true);
    this.length = i + 1;
  }

  appendNull(): void {
    const i = this.next();
    this.validity.set(i, false);
    this.length = i + 1;
  }

  truncate(length: number): void {
    if (length >= this.length) return;
    this.validity.truncate(length, this.length);
    this.length = length;
  }

  /** Hands over length, null count and bitmap, and starts a fresh column sized like the last one. */
  protected takeRows(): { length: number; nullCount: number; nullBitmap: Uint8Array | undefined } {
    const length = this.length;
    const nullCount = this.validity.nullCount;
    const nullBitmap = this.validity.take(length);
    this.length = 0;
    this.capacity = Math.max(16, length);
    this.resize(this.capacity);
    return { length, nullCount, nullBitmap };
  }
}
