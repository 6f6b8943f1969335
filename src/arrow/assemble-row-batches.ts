import type { RecordBatch } from 'apache-arrow';
import type { BadRow, BadRowHandler } from './bad-row-handler.js';
import type { SourceStats } from './source.js';

/** Items handed out chunk by chunk, as by a {@link TextChunkReader}: `next` until undefined, then `fill`. */
export interface RowReader<T> {
  next(): T | undefined;
  fill(): Promise<boolean>;
  checkAbort(): void;
}

/** A batch builder taking one row of values at a time; `appendRow` returns the failing column, or -1. */
export interface RowBatchBuilder<V> {
  readonly length: number;
  appendRow(values: V): number;
  flush(): RecordBatch;
}

/** How a source turns its items into rows, and names the bad ones. */
export interface RowDecoder<T, V extends readonly unknown[]> {
  /**
   * The item's values in column order (the array may be reused between items), or the bad row when the item
   * is not a row at all (malformed, wrong number of fields).
   */
  decode(item: T): V | BadRow;
  /** The bad row for an item whose value in column `k` does not fit the column. */
  cellError(item: T, values: V, k: number): BadRow;
}

/** What {@link assembleRowBatches} reads from and where it reports. */
export interface AssembleRowBatchesOptions<T, V extends readonly unknown[]> {
  /** Items read ahead (to infer the schema), handed out before the reader's. */
  pending: readonly T[];
  reader: RowReader<T>;
  decoder: RowDecoder<T, V>;
  builder: RowBatchBuilder<V>;
  /** Rows per batch (a positive integer). */
  batchSize: number;
  /** Stops the read or skips / quarantines bad rows. */
  bad: BadRowHandler;
  /** `rowsRead` counts the rows that landed in a batch. */
  stats: SourceStats;
}

/**
 * The read loop of a row-at-a-time text source (CSV, JSON lines): takes the pending items, then the reader's,
 * hands malformed items and rows with a value that does not fit to the bad-row handler, and yields a batch
 * every `batchSize` rows (checking for abort after each) and the rest at the end. The caller opens and
 * closes the reader and the handler.
 */
export async function* assembleRowBatches<T, V extends readonly unknown[]>(o: AssembleRowBatchesOptions<T, V>): AsyncGenerator<RecordBatch> {
  const { pending, reader, decoder, builder, batchSize, bad, stats } = o;
  let p = 0;
  for (;;) {
    const item = p < pending.length ? pending[p++] : reader.next();
    if (item === undefined) {
      if (await reader.fill()) continue;
      break;
    }
    const values = decoder.decode(item);
    if (!isRow(values)) {
      await bad.handle(values);
      continue;
    }
    const k = builder.appendRow(values);
    if (k >= 0) {
      await bad.handle(decoder.cellError(item, values, k));
      continue;
    }
    stats.rowsRead++;
    if (builder.length >= batchSize) {
      yield builder.flush();
      reader.checkAbort();
    }
  }
  if (builder.length > 0) yield builder.flush();
}

function isRow<V extends readonly unknown[]>(v: V | BadRow): v is V {
  return Array.isArray(v);
}
