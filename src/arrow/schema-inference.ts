import { readFloat, readSafeInt } from './cell-readers.js';
import type { ColumnSpec } from './column-types.js';
import { newIsoParts, parseIsoParts } from './iso-time.js';
import type { IsoParts } from './iso-time.js';

/** Rows sampled for schema inference when the source does not say otherwise. */
export const DEFAULT_INFER_ROWS = 1000;

const INT_RE = /^[+-]?\d{1,18}$/;

function isInt(s: string): boolean {
  const v = readSafeInt(s);
  return v === v || INT_RE.test(s);
}

function isBool(s: string): boolean {
  const l = s.length === 4 || s.length === 5 ? s.toLowerCase() : '';
  return l === 'true' || l === 'false';
}

/**
 * Guesses one column's type from sample cells: `int64` when every non-empty cell is an integer of at most
 * 18 digits, `float64` when every one is a number, `bool` for true/false, `timestamp` for ISO-8601 dates or
 * times, otherwise (or when every cell is empty) `string`. Timestamps get the default unit (us) and UTC.
 */
export class ColumnTypeGuess {
  private seen = false;
  private int = true;
  private float = true;
  private bool = true;
  private time = true;
  private readonly parts: IsoParts = newIsoParts();

  /** Takes one more sample cell. */
  add(cell: string): void {
    if (cell === '') return;
    this.seen = true;
    if (this.int && !isInt(cell)) this.int = false;
    if (this.float && !this.int && readFloat(cell) === undefined) this.float = false;
    if (this.bool && !isBool(cell)) this.bool = false;
    if (this.time && !parseIsoParts(cell, this.parts)) this.time = false;
  }

  /** The guessed type. */
  result(): ColumnSpec {
    if (!this.seen) return { type: 'string' };
    if (this.int) return { type: 'int64' };
    if (this.float) return { type: 'float64' };
    if (this.bool) return { type: 'bool' };
    if (this.time) return { type: 'timestamp', unit: 'us' };
    return { type: 'string' };
  }
}

/**
 * Guesses the types of the columns at `indexes` from sample rows (text cells; rows shorter than the
 * header are ignored where they lack the cell).
 */
export function inferColumnSpecs(rows: Iterable<readonly string[]>, indexes: readonly number[]): ColumnSpec[] {
  const guesses = indexes.map(() => new ColumnTypeGuess());
  for (const row of rows) {
    for (let k = 0; k < indexes.length; k++) {
      const cell = row[indexes[k]!];
      if (cell !== undefined) guesses[k]!.add(cell);
    }
  }
  return guesses.map((g) => g.result());
}
