import type { Data, DataType } from 'apache-arrow';

/**
 * Turns the text cells of one column into an Arrow column. `append` reads a cell (an empty cell is null)
 * and returns false, appending nothing, when the cell does not parse as the column's type; `flush` hands
 * over the rows appended so far as Arrow `Data` and starts an empty column.
 */
export interface ColumnParser {
  readonly type: DataType;
  /** What a cell must look like, for error messages: `int64 (an integer such as 42)`. */
  readonly expected: string;
  readonly length: number;
  append(cell: string): boolean;
  appendNull(): void;
  /** Drops the rows from `length` on (used to undo a partly appended bad row). */
  truncate(length: number): void;
  flush(): Data;
}
