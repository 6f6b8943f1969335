import type { RecordBatch, Schema } from 'apache-arrow';
import { AbortedError, BadRowHandler, schemaOf, SpecError, ValueBatchBuilder } from '../../../src/index.js';
import type { BatchColumn, DataSource, ReadOptions, Source, SourceStats } from '../../../src/index.js';
import type { StreamCheckpoint } from './stream-checkpoint.js';
import { openStreamConnection } from './stream-connection.js';
import type { RedisConnection, SecretLookup } from './stream-connection.js';
import { StreamGroup } from './stream-group.js';
import type { StreamEntry } from './stream-group.js';
import type { StreamOptions } from './stream-options.js';

/** How a {@link RedisStreamSource} runs beyond its stream settings. */
export interface RedisStreamSourceOptions {
  /** A connection to share (the source never closes it); default: one opened per `read()` and per `commit()`. */
  connection?: RedisConnection;
  secrets?: SecretLookup;
  /**
   * true (default, batch mode): a read also ends when one `block_ms` wait brings no new entry. false
   * (continuous): only `max_events` and `flush_after_seconds` end it, and it waits for its first entry.
   */
  untilIdle?: boolean;
  /** Makes `commit()` record the ids it acknowledges, so a crash mid-acknowledgement is finished on restart. */
  checkpoint?: StreamCheckpoint;
  /** The spec runIngestion takes key, time field and window from when the source is passed ready-made. */
  spec?: DataSource;
  /** Monotonic milliseconds (injectable for tests). */
  now?: () => number;
}

/** What the latest `read()` did. */
export interface StreamReadInfo {
  /** Entries delivered (including bad and deleted ones, which are acknowledged too). */
  entries: number;
  /** The read ended because the stream had no new entry for one block. */
  idle: boolean;
}

/**
 * A Redis Streams {@link Source} reading through a consumer group. Each `read()` is bounded: it first takes
 * this consumer's own pending entries and reclaims entries idle longer than `claim_idle_ms` (XAUTOCLAIM), then
 * reads new ones (XREADGROUP `>`), and ends after `max_events` entries, `flush_after_seconds` after its first
 * entry, or (batch mode) when a block brings nothing. Fields become the declared columns (strings parsed like
 * CSV cells; `''` is null in a typed column). Nothing is acknowledged in `read()`: `commit()` (called by
 * `runIngestion` once every target committed) XACKs exactly the ids the last read yielded.
 *
 * @example
 * const src = new RedisStreamSource(parseStreamOptions(spec, { featureSetName: fs.name }), { spec });
 * await runIngestion(fs, { connectors, source: src }); // acknowledged after the commit
 */
export class RedisStreamSource implements Source {
  readonly description: string;
  readonly stats: SourceStats = { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 };
  readonly spec?: DataSource;
  private readonly columns: BatchColumn[];
  private readonly now: () => number;
  private yielded: string[] = [];
  private info: StreamReadInfo = { entries: 0, idle: false };

  constructor(readonly options: StreamOptions, private readonly o: RedisStreamSourceOptions = {}) {
    this.description = `redis stream ${options.stream} (group ${options.group}, consumer ${options.consumer})`;
    this.columns = [...options.schema].map(([name, spec]) => ({ name, spec }));
    if (options.idColumn) this.columns.push({ name: options.idColumn, spec: { type: 'string' } });
    this.now = o.now ?? (() => performance.now());
    if (o.spec) this.spec = o.spec;
  }

  /** What the latest `read()` did. */
  get lastRead(): StreamReadInfo {
    return { ...this.info };
  }

  /** Ids the latest `read()` yielded that `commit()` has not acknowledged yet. */
  get unacknowledged(): readonly string[] {
    return this.yielded;
  }

  async schema(): Promise<Schema> {
    return schemaOf(this.columns);
  }

  async *read(ro: ReadOptions = {}): AsyncGenerator<RecordBatch> {
    const batchSize = ro.batchSize ?? 65_536;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new SpecError(`${this.description}: batchSize ${JSON.stringify(batchSize)} is not a positive integer`);
    const opts = this.options;
    Object.assign(this.stats, { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 });
    this.yielded = [];
    this.info = { entries: 0, idle: false };
    const seen = new Set<string>();
    const checkAbort = () => {
      if (ro.signal?.aborted) throw new AbortedError(`reading ${this.description} was aborted after ${seen.size} entries; none was acknowledged`, { cause: ro.signal.reason });
    };
    checkAbort();
    const conn = this.o.connection ?? (await openStreamConnection(opts, this.o.secrets));
    const bad = new BadRowHandler(opts.onBadRow, `redis stream ${opts.stream}`, opts.quarantinePath, this.stats);
    const builder = new ValueBatchBuilder(this.columns, { capacity: Math.min(batchSize, opts.count), naiveZone: opts.timeZone, epochUnit: opts.epochUnit });
    let started: number | undefined;
    const flushMs = opts.flushAfterSeconds * 1000;
    const room = () => Math.min(opts.count, opts.maxEvents - seen.size);
    const more = () => seen.size < opts.maxEvents && (started === undefined || this.now() - started < flushMs);
    const take = async function* (this: RedisStreamSource, entries: StreamEntry[]): AsyncGenerator<RecordBatch> {
      for (const e of entries) {
        checkAbort(); // also between the batches of one fetched chunk, so an abort stops the read at the next batch
        if (seen.has(e.id)) continue;
        seen.add(e.id);
        this.yielded.push(e.id);
        started ??= this.now();
        if (e.fields) await this.append(builder, bad, e, seen.size);
        if (builder.length >= batchSize) yield builder.flush();
      }
      if (builder.length > 0) yield builder.flush();
    }.bind(this);
    try {
      const group = new StreamGroup(conn, opts);
      await group.ensure();
      // 1. Entries delivered to this consumer before and never acknowledged (an aborted cycle of this process).
      for (let after = '0'; more(); ) {
        checkAbort();
        const es = await group.ownPending(after, room());
        if (es.length === 0) break;
        after = es[es.length - 1]!.id;
        yield* take(es);
      }
      // 2. Entries other (crashed) consumers left pending longer than claim_idle_ms.
      for (let cursor = '0-0'; more(); ) {
        checkAbort();
        const r = await group.autoclaim(cursor, room());
        yield* take(r.entries);
        cursor = r.cursor;
        if (cursor === '0-0') break;
      }
      // 3. New entries.
      while (more()) {
        checkAbort();
        const wait = started === undefined ? opts.blockMs : Math.min(opts.blockMs, flushMs - (this.now() - started));
        const es = await group.readNew(room(), wait);
        if (es.length === 0 && this.o.untilIdle !== false) {
          this.info.idle = true;
          break;
        }
        yield* take(es);
      }
      checkAbort();
    } finally {
      this.info.entries = seen.size;
      await bad.close();
      if (!this.o.connection) await conn.close();
    }
  }

  /**
   * Acknowledges exactly the ids the latest `read()` yielded (in chunks). With a checkpoint, the ids are
   * recorded first and the checkpoint is cleared after, so a crash in between is finished on restart.
   */
  async commit(): Promise<void> {
    // No signal: once every target committed, acknowledging is the last step and is not abandoned half-way.
    const ids = this.yielded;
    const conn = this.o.connection ?? (await openStreamConnection(this.options, this.o.secrets));
    try {
      const cp = this.o.checkpoint;
      if (cp) await cp.acking(ids, ids.length > 0 ? { first: ids[0]!, last: ids[ids.length - 1]! } : undefined);
      if (ids.length > 0) await new StreamGroup(conn, this.options).ack(ids);
      if (cp) await cp.clear();
      this.yielded = [];
    } finally {
      if (!this.o.connection) await conn.close();
    }
  }

  private async append(builder: ValueBatchBuilder, bad: BadRowHandler, e: StreamEntry, n: number): Promise<void> {
    const fields = e.fields!;
    const byName = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) byName.set(fields[i]!, fields[i + 1]!);
    const values = this.columns.map((c) => {
      if (c.name === this.options.idColumn) return e.id;
      const v = byName.get(c.name);
      return v === undefined || (v === '' && c.spec.type !== 'string') ? null : v;
    });
    const k = builder.appendRow(values);
    if (k < 0) {
      this.stats.rowsRead++;
      return;
    }
    const col = this.columns[k]!.name;
    const value = JSON.stringify(values[k]);
    await bad.handle({
      line: n,
      reason: `redis stream ${this.options.stream} entry ${e.id}, field \`${col}\`: ${value} does not fit ${builder.expected(k)}`,
      column: col,
      value,
      raw: JSON.stringify(Object.fromEntries(byName)),
    });
  }
}
