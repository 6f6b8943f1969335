/**
 * The Source contract: every source kind passes these tests. A factory builds, per test, a source over the
 * same logical rows ({@link CONTRACT_ROWS}, written in the kind's own format) and optionally one over bad input.
 * Columns a kind adds (a stream entry id) are ignored; the logical columns must read back exactly.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, filterBatches, SluiceError } from '../../src/index.js';
import type { Source } from '../../src/index.js';
import { readAll } from '../support/read-all.js';

/** One logical row: `id` is the key (int64), `ts` the event time. */
export interface ContractRow {
  id: number;
  user: string;
  amount: number;
  ts: Date;
}

const T0 = Date.UTC(2024, 0, 1);

/** 12 rows, one per hour from 2024-01-01T00:00Z; users u0..u2. */
export const CONTRACT_ROWS: readonly ContractRow[] = Array.from({ length: 12 }, (_, i) => ({
  id: i + 1,
  user: `u${(i + 1) % 3}`,
  amount: (i + 1) * 1.5,
  ts: new Date(T0 + i * 3_600_000),
}));

/** Column types a kind may declare: the logical columns as the text sources' `schema` attribute spells them. */
export const CONTRACT_SCHEMA = { id: 'int64', user: 'string', amount: 'float64', ts: 'timestamp[ms]' } as const;

/** The event-time window `(start, end]` used by the window test: rows 4..9 pass (row 3 sits on the open end). */
export const CONTRACT_WINDOW = { startTime: CONTRACT_ROWS[2]!.ts, endTime: CONTRACT_ROWS[8]!.ts };

export interface SourceFixture {
  /** A source over {@link CONTRACT_ROWS}; with `window`, the kind's spec carries `start_time` / `end_time`. */
  source(o?: { window?: { startTime: Date; endTime: Date } }): Promise<Source>;
  /**
   * A source over bad input (a malformed record, a value that does not fit its column, an unreadable file), and
   * the texts its error must hold: the location (file, line/row/entry, column) and the value (for a kind whose
   * values the store types, such as SQL, the closest: a relation that does not exist).
   */
  bad(): Promise<{ source: Source; names: Array<string | RegExp> }>;
  cleanup?(): Promise<void>;
}

export type SourceFactory = () => Promise<SourceFixture>;

type Plain = { id: number; user: string; amount: number; ts: number };

/** A read row in the logical shape: int64 and timestamps as numbers (ms); other columns dropped. */
function plain(r: Record<string, unknown>): Plain {
  const ts = r.ts instanceof Date ? r.ts.getTime() : Number(r.ts);
  return { id: Number(r.id), user: String(r.user), amount: Number(r.amount), ts };
}

const expected = (rows: readonly ContractRow[]): Plain[] => rows.map((r) => ({ id: r.id, user: r.user, amount: r.amount, ts: r.ts.getTime() }));
const sorted = (rows: Plain[]): Plain[] => [...rows].sort((a, b) => a.id - b.id);
const types = (s: Schema): string[] => s.fields.map((f) => `${f.name}:${String(f.type)}`);

/** Registers the contract suite for one source kind. */
export function sourceContract(name: string, factory: SourceFactory): void {
  describe(`Source contract: ${name}`, () => {
    let fx: SourceFixture;

    beforeEach(async () => {
      fx = await factory();
    });
    afterEach(async () => {
      await fx?.cleanup?.();
    });

    it('schema() is the schema of every batch and holds the logical columns', async () => {
      const src = await fx.source();
      const schema = await src.schema();
      expect(schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['id', 'user', 'amount', 'ts']));
      const { batches } = await readAll(src);
      expect(batches.length).toBeGreaterThan(0);
      for (const b of batches) expect(types(b.schema)).toEqual(types(schema));
    });

    it('read() yields every row exactly once, with its values', async () => {
      const src = await fx.source();
      expect(typeof src.description).toBe('string');
      const { rows } = await readAll(src);
      expect(sorted(rows.map(plain))).toEqual(expected(CONTRACT_ROWS));
      if (src.stats) expect(src.stats.rowsRead).toBe(CONTRACT_ROWS.length);
    });

    it('honours batchSize', async () => {
      const src = await fx.source();
      const { batches, rows } = await readAll(src, { batchSize: 5 });
      expect(batches.map((b) => b.numRows).every((n) => n >= 1 && n <= 5), `batch sizes ${batches.map((b) => b.numRows).join(',')}`).toBe(true);
      expect(sorted(rows.map(plain))).toEqual(expected(CONTRACT_ROWS));
    });

    it('a second read() starts again from the beginning', async () => {
      const src = await fx.source();
      const first = await readAll(src, { batchSize: 4 });
      const second = await readAll(src, { batchSize: 4 });
      expect(sorted(second.rows.map(plain))).toEqual(sorted(first.rows.map(plain)));
      expect(second.rows).toHaveLength(CONTRACT_ROWS.length);
    });

    it('an AbortSignal stops the read promptly: the next batch is an AbortedError', async () => {
      const src = await fx.source();
      const ac = new AbortController();
      const it = src.read({ batchSize: 1, signal: ac.signal })[Symbol.asyncIterator]();
      const first = await it.next();
      expect(first.done).toBe(false);
      ac.abort(new Error('stop'));
      const t = Date.now();
      const err = await it.next().then(
        (r: IteratorResult<RecordBatch>) => new Error(`read went on after the abort: ${r.done ? 'ended' : `yielded ${r.value.numRows} rows`}`),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AbortedError);
      expect(Date.now() - t).toBeLessThan(2000);
      await it.return?.();
    });

    it('an already aborted signal yields nothing and throws an AbortedError', async () => {
      const src = await fx.source();
      const ac = new AbortController();
      ac.abort(new Error('stop'));
      const err = await readAll(src, { signal: ac.signal }).then(() => new Error('read finished'), (e: unknown) => e);
      expect(err).toBeInstanceOf(AbortedError);
    });

    it('the time window (start, end] of the spec gives exactly the rows inside it, as ingestion reads it', async () => {
      const src = await fx.source({ window: CONTRACT_WINDOW });
      const filtered = filterBatches(src.read(), { keyFields: ['id'], timeField: 'ts', ...CONTRACT_WINDOW, description: src.description });
      const { rows } = await readAll(filtered);
      expect(sorted(rows.map(plain))).toEqual(expected(CONTRACT_ROWS.slice(3, 9)));
    });

    it('bad input is a one-line error naming where it is and the value', async () => {
      const { source, names } = await fx.bad();
      const err = await readAll(source).then(() => new Error('bad input was read without an error'), (e: unknown) => e);
      expect(err).toBeInstanceOf(SluiceError);
      const msg = (err as Error).message;
      expect(msg).not.toContain('\n');
      for (const n of names) expect(msg).toMatch(typeof n === 'string' ? new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : n);
    });
  });
}
