import type { Data, RecordBatch, Schema } from 'apache-arrow';
import { DataType } from 'apache-arrow';
import { AbortedError, SpecError } from '../../src/index.js';
import type { CommitResult, TargetWriter } from '../../src/index.js';
import { GUARD_SHA, PLAIN_SHA, isNoScript, loadWriteScripts } from './guard-script.js';
import { EVENT_TIME_FIELD, entityString, schemaKey, tablePattern } from './key-layout.js';
import { keyColumnStrings } from './key-strings.js';
import { MsgpackWriter } from './msgpack-writer.js';
import { purgeTable } from './purge-table.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisTargetSettings } from './redis-settings.js';
import { mergeSchemas, readTableSchema, tableSchemaOf, writeTableSchema } from './table-schema.js';
import type { TableSchema } from './table-schema.js';
import { encodeColumn, eventMicros } from './value-encoding.js';
import type { EncodedColumn } from './value-encoding.js';

/** What a Redis target reports at commit: rows written, and rows the event-time guard skipped. */
export interface RedisCommitResult extends CommitResult {
  /** Rows sent to Redis (written + skipped). */
  rowsSent: number;
  /** Rows older than the entity's stored event time, left unwritten (their TTL was still refreshed). */
  rowsSkipped: number;
}

export interface RedisTargetWriterOptions {
  keyFields: string[];
  timeField?: string;
  /** Remove the table's previous keys (SCAN + UNLINK) before the first write. */
  overwrite: boolean;
  /** Names the target in errors. */
  where: string;
}

/** The columns of one batch the writer reads. */
interface BatchColumns {
  keys: Data[];
  names: string[];
  nameBytes: Buffer[];
  data: Data[];
  time?: Data;
  /** Encoded dictionaries, so a dictionary column's values are encoded once per batch. */
  dictionaries: Map<unknown, EncodedColumn>;
}

/** Rows of a batch turned into columns of stored strings (no per-row objects). */
interface EncodedBatch {
  keys: string[][];
  names: string[];
  /** The names MessagePack-encoded once per batch. */
  nameBytes: Buffer[];
  values: EncodedColumn[];
  micros?: Float64Array;
}

/**
 * One EVALSHA call: its keys, then the MessagePack payload, the hidden field name and the TTL; `plain` calls use
 * the script without the guard (rows that cannot be older than what is stored).
 */
type Call = { plain: boolean; nkeys: number; args: Array<string | Buffer> };

const HIDDEN_FIELD_BYTES = MsgpackWriter.encodeStr(EVENT_TIME_FIELD);

/**
 * Writes batches into Redis hashes (SPEC §6, connectors/redis/FORMAT.md): rows are grouped into EVALSHA calls
 * of the guard script, `batch_size` rows per pipeline, at most `max_in_flight` pipelines on the wire. The
 * online store is not transactional (as MLRun's): what was sent before an `abort` or a failure stays written.
 */
export class RedisTargetWriter implements TargetWriter {
  private started = false;
  private closed = false;
  private aborted = false;
  private failure: unknown;
  private readonly inflight = new Set<Promise<void>>();
  private schema: TableSchema | undefined;
  private arrowSchema: Schema | undefined;
  private rowsSent = 0;
  private rowsWritten = 0;
  private bytes = 0;
  private maxMicros = -Infinity;
  private readonly ttl: string;
  private readonly keyHead: string;
  private readonly payload = new MsgpackWriter();
  /**
   * Fresh-table fast path: when the run began by emptying the table (overwrite), no stored value can be newer than
   * a row, except one this run wrote itself. The newest event time written per entity is remembered (up to
   * `tracked_entities` entities), so a row that is new, or not older than what this run wrote, is a plain HSET;
   * everything else (an older row, an entity past the limit, an append run) goes through the Lua guard.
   */
  private readonly written = new Map<string, number>();
  private fresh = false;

  constructor(
    private readonly conn: RedisConnection,
    private readonly settings: RedisTargetSettings,
    private readonly o: RedisTargetWriterOptions,
  ) {
    this.ttl = String(settings.ttlSeconds ?? 0);
    this.keyHead = `{${settings.keyPrefix}${settings.table}:`;
  }

  async write(batch: RecordBatch, opts: { signal?: AbortSignal } = {}): Promise<void> {
    this.check(opts.signal);
    if (!this.started) await this.start();
    if (batch.numRows === 0) return;
    if (batch.schema !== this.arrowSchema) await this.updateSchema(batch.schema);
    const cols = this.columnsOf(batch);
    const n = batch.numRows;
    for (let start = 0; start < n; start += this.settings.batchSize) {
      while (this.inflight.size >= this.settings.maxInFlight) await Promise.race(this.inflight);
      this.check(opts.signal);
      const end = Math.min(n, start + this.settings.batchSize);
      const enc = this.encode(cols, start, end);
      const p: Promise<void> = this.send(enc, 0, end - start).then(
        () => void this.inflight.delete(p),
        (err: unknown) => {
          this.inflight.delete(p);
          this.failure ??= err;
        },
      );
      this.inflight.add(p);
    }
  }

  async commit(opts: { signal?: AbortSignal } = {}): Promise<RedisCommitResult> {
    try {
      this.check(opts.signal);
      if (!this.started && this.o.overwrite) await purgeTable(this.conn, tablePattern(this.settings.keyPrefix, this.settings.table));
      await Promise.all(this.inflight);
      if (this.failure !== undefined) throw this.fail(this.failure);
    } finally {
      await this.close();
    }
    return {
      rows: this.rowsWritten,
      bytes: this.bytes,
      files: [],
      ...(this.maxMicros > -Infinity ? { lastWritten: new Date(Math.ceil(this.maxMicros / 1000)) } : {}),
      rowsSent: this.rowsSent,
      rowsSkipped: this.rowsSent - this.rowsWritten,
    };
  }

  /** Stops sending; pipelines already sent complete (their writes stay: the online store is not transactional). */
  async abort(_reason: unknown): Promise<void> {
    this.aborted = true;
    await Promise.allSettled(this.inflight);
    await this.close();
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.close();
  }

  private check(signal?: AbortSignal): void {
    if (this.aborted || this.closed || signal?.aborted) {
      throw new AbortedError(`${this.o.where}: the Redis writer was ${this.closed && !this.aborted ? 'closed' : 'aborted'}; ${this.rowsSent} rows were already sent and stay written (the online store is not transactional)`);
    }
    if (this.failure !== undefined) throw this.fail(this.failure);
  }

  private fail(err: unknown): Error {
    return this.conn.fail(err, `${this.o.where}: writing to table ${this.settings.table}`);
  }

  private async start(): Promise<void> {
    this.started = true;
    const { keyPrefix, table } = this.settings;
    if (this.o.overwrite) {
      await purgeTable(this.conn, tablePattern(keyPrefix, table));
      this.fresh = this.settings.trackedEntities > 0;
    }
    try {
      await loadWriteScripts(this.conn.masters());
    } catch (err) {
      throw this.conn.fail(err, 'SCRIPT LOAD of the write scripts');
    }
    this.schema = this.o.overwrite ? undefined : await readTableSchema(this.conn, schemaKey(keyPrefix, table));
  }

  private async updateSchema(schema: Schema): Promise<void> {
    const names = schema.fields.map((f) => f.name);
    const missing = this.o.keyFields.filter((k) => !names.includes(k));
    if (missing.length > 0) throw new SpecError(`${this.o.where}: key column(s) ${missing.join(', ')} are not in the data; columns: ${names.join(', ')}`);
    const tf = this.o.timeField;
    if (tf !== undefined) {
      const f = schema.fields.find((x) => x.name === tf);
      if (!f) throw new SpecError(`${this.o.where}: time field "${tf}" is not in the data; columns: ${names.join(', ')}`);
      const t = f.type as DataType;
      if (!DataType.isTimestamp(t) && !DataType.isDate(t)) {
        throw new SpecError(`${this.o.where}: time field "${tf}" has type ${String(t)}; the event-time guard needs a timestamp or date column (declare it in the source schema)`);
      }
    }
    const next = mergeSchemas(this.schema, tableSchemaOf(schema, this.o.keyFields, tf));
    if (JSON.stringify(next) !== JSON.stringify(this.schema)) await writeTableSchema(this.conn, schemaKey(this.settings.keyPrefix, this.settings.table), next);
    this.schema = next;
    this.arrowSchema = schema;
  }

  /** The columns of a batch the writer reads: key columns, feature columns (a Null-typed one only removes), time column. */
  private columnsOf(batch: RecordBatch): BatchColumns {
    const children = batch.data.children as Data[];
    const fields = batch.schema.fields;
    const idx = (name: string) => fields.findIndex((f) => f.name === name);
    const names: string[] = [];
    const data: Data[] = [];
    fields.forEach((f, i) => {
      if (this.o.keyFields.includes(f.name)) return;
      names.push(f.name);
      data.push(children[i] as Data);
    });
    return {
      keys: this.o.keyFields.map((k) => children[idx(k)] as Data),
      names,
      nameBytes: names.map((n) => MsgpackWriter.encodeStr(n)),
      data,
      ...(this.o.timeField !== undefined ? { time: children[idx(this.o.timeField)] as Data } : {}),
      dictionaries: new Map(),
    };
  }

  /** Rows [start, end) of a batch in stored string form (encoded per pipeline so encoding overlaps the I/O). */
  private encode(cols: BatchColumns, start: number, end: number): EncodedBatch {
    const len = end - start;
    const keys = this.o.keyFields.map((k, i) => keyColumnStrings((cols.keys[i] as Data).slice(start, len), k, this.rowsSent));
    const values = cols.data.map((d) => encodeColumn(d.slice(start, len), cols.dictionaries));
    const micros = cols.time ? eventMicros(cols.time.slice(start, len)) : undefined;
    return { keys, names: cols.names, nameBytes: cols.nameBytes, values, ...(micros ? { micros } : {}) };
  }

  private keyOf(keys: string[][], r: number): string {
    const parts = keys.length === 1 ? (keys[0] as string[])[r] as string : entityString(keys.map((k) => k[r] as string));
    return `${this.keyHead}${parts}}:static`;
  }

  /** Whether row r can skip the guard (fresh table, nothing newer written by this run); records its time. */
  private plain(key: string, t: number): boolean {
    if (!this.fresh) return false;
    if (t !== t) return true; // no event time: the guard does not apply
    const seen = this.written.get(key);
    if (seen === undefined) {
      if (this.written.size >= this.settings.trackedEntities) return false;
      this.written.set(key, t);
      return true;
    }
    if (t < seen) return false;
    this.written.set(key, t);
    return true;
  }

  /** The calls for rows [start, end): rows that need no guard and the others, `rows_per_call` rows per call. */
  private calls(enc: EncodedBatch, start: number, end: number): Call[] {
    const per = this.conn.isCluster ? 1 : this.settings.rowsPerCall;
    const { micros, keys } = enc;
    const rowKeys: string[] = [];
    const plain: number[] = [];
    const guarded: number[] = [];
    let bytes = 0;
    for (let r = start; r < end; r++) {
      const k = this.keyOf(keys, r);
      rowKeys[r - start] = k;
      bytes += k.length;
      const t = micros ? (micros[r] as number) : NaN;
      if (t > this.maxMicros) this.maxMicros = t;
      (this.plain(k, t) ? plain : guarded).push(r);
    }
    const out: Call[] = [];
    for (const [rows, isPlain] of [[plain, true], [guarded, false]] as const) {
      for (let a = 0; a < rows.length; a += per) {
        const chunk = rows.slice(a, a + per);
        const { payload, size } = this.payloadOf(enc, chunk);
        bytes += size;
        out.push({ plain: isPlain, nkeys: chunk.length, args: [...chunk.map((r) => rowKeys[r - start] as string), payload, EVENT_TIME_FIELD, this.ttl] });
      }
    }
    this.bytes += bytes;
    return out;
  }

  /**
   * The MessagePack payload of some rows: per row, the event time, the pair count, the field/value pairs, then
   * the count and names of the null fields (removed when the row is written).
   */
  private payloadOf(enc: EncodedBatch, rows: number[]): { payload: Buffer; size: number } {
    const { names, nameBytes, values, micros } = enc;
    const nc = names.length;
    const w = this.payload;
    let size = 0;
    w.reset();
    for (const r of rows) {
      const t = micros ? (micros[r] as number) : NaN;
      const ts = t === t ? String(t) : '';
      w.str(ts);
      const slot = w.uintSlot();
      let np = 0;
      let nd = 0;
      for (let c = 0; c < nc; c++) {
        const v = (values[c] as EncodedColumn)[r];
        if (v === null || v === undefined) {
          nd++;
          continue;
        }
        w.raw(nameBytes[c] as Buffer);
        w.str(v);
        size += (names[c] as string).length + v.length;
        np++;
      }
      if (ts !== '') {
        w.raw(HIDDEN_FIELD_BYTES);
        w.str(ts);
        np++;
      }
      w.setUint(slot, np);
      w.uint(nd);
      for (let c = 0; nd > 0 && c < nc; c++) {
        const v = (values[c] as EncodedColumn)[r];
        if (v !== null && v !== undefined) continue;
        w.raw(nameBytes[c] as Buffer);
        size += (names[c] as string).length;
      }
    }
    return { payload: w.finish(), size };
  }

  private async send(enc: EncodedBatch, start: number, end: number): Promise<void> {
    const calls = this.calls(enc, start, end);
    this.rowsSent += end - start;
    if (this.conn.isCluster) {
      await Promise.all(calls.map((c) => this.evalOne(c)));
      return;
    }
    let pending = calls;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const p = this.conn.client.pipeline();
      for (const c of pending) p.evalsha(c.plain ? PLAIN_SHA : GUARD_SHA, c.nkeys, c.args);
      const res = (await p.exec()) ?? [];
      const retry: Call[] = [];
      res.forEach(([err, n], i) => {
        if (!err) this.rowsWritten += Number(n);
        else if (isNoScript(err) && attempt === 0) retry.push(pending[i] as Call);
        else throw err;
      });
      if (retry.length > 0) await loadWriteScripts(this.conn.masters());
      pending = retry;
    }
  }

  private async evalOne(c: Call): Promise<void> {
    const sha = c.plain ? PLAIN_SHA : GUARD_SHA;
    let n: unknown;
    try {
      n = await this.conn.client.evalsha(sha, c.nkeys, c.args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      await loadWriteScripts(this.conn.masters());
      n = await this.conn.client.evalsha(sha, c.nkeys, c.args);
    }
    this.rowsWritten += Number(n);
  }
}
