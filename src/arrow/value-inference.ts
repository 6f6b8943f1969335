import type { ColumnSpec } from './column-types.js';
import { newIsoParts, parseIsoParts } from './iso-time.js';

/** Options of {@link ValueTypeGuess}. */
export interface ValueGuessOptions {
  /** Read strings that all look like ISO-8601 times as a timestamp column (JSON lines: yes; in-memory rows: no). */
  isoStringsAsTimes?: boolean;
}

/**
 * Guesses one column's type from JS values (parsed JSON or in-memory rows): numbers give `int64` when every
 * one is an integer and `float64` otherwise, bigints `int64`, booleans `bool`, Dates `timestamp[us, UTC]`,
 * strings `string` (or `timestamp` when asked and every one is an ISO-8601 time), objects and arrays `string`
 * (JSON text). Mixed kinds, or nothing but nulls, give `string`.
 */
export class ValueTypeGuess {
  private kinds = 0;
  private allInts = true;
  private allTimes = true;
  private readonly parts = newIsoParts();

  constructor(private readonly o: ValueGuessOptions = {}) {}

  /** Takes one more sample value. */
  add(v: unknown): void {
    if (v === null || v === undefined) return;
    switch (typeof v) {
      case 'number':
        this.kinds |= 1;
        if (this.allInts && !Number.isInteger(v)) this.allInts = false;
        return;
      case 'bigint':
        this.kinds |= 1;
        return;
      case 'boolean':
        this.kinds |= 2;
        return;
      case 'string':
        this.kinds |= 4;
        if (this.allTimes && !(this.o.isoStringsAsTimes && parseIsoParts(v, this.parts))) this.allTimes = false;
        return;
      default:
        this.kinds |= v instanceof Date ? 8 : 16;
    }
  }

  /** The guessed type. */
  result(): ColumnSpec {
    switch (this.kinds) {
      case 1: return { type: this.allInts ? 'int64' : 'float64' };
      case 2: return { type: 'bool' };
      case 4: return this.allTimes ? { type: 'timestamp', unit: 'us' } : { type: 'string' };
      case 8: return { type: 'timestamp', unit: 'us' };
      default: return { type: 'string' };
    }
  }
}
