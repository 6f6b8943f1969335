import type { RecordBatch } from 'apache-arrow';
import type { ReadOptions, Source } from '../../src/index.js';

/** Every batch of one read, and its rows as plain objects (`row.toJSON()`: Int64 as bigint, timestamps as ms). */
export interface ReadResult {
  batches: RecordBatch[];
  rows: Array<Record<string, unknown>>;
}

/**
 * Reads a source (or an iterable of batches, e.g. a filtered read) to the end.
 *
 * @example
 * const { batches, rows } = await readAll(source, { batchSize: 100 });
 */
export async function readAll(source: Pick<Source, 'read'> | AsyncIterable<RecordBatch>, o: ReadOptions = {}): Promise<ReadResult> {
  const it = Symbol.asyncIterator in source ? source : source.read(o);
  const batches: RecordBatch[] = [];
  for await (const b of it) batches.push(b);
  return { batches, rows: batches.flatMap((b) => b.toArray().map((r) => r.toJSON() as Record<string, unknown>)) };
}
