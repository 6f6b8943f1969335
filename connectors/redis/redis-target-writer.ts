import type { Data, RecordBatch, Schema } from 'apache-arrow';
import { DataType } from 'apache-arrow';
import type { Cluster } from 'ioredis';
import { AbortedError, SpecError } from '../../src/index.js';
import type { CommitResult, TargetWriter } from '../../src/index.js';
import { GUARD_CLUSTER_SHA, GUARD_SHA, PLAIN_CLUSTER_SHA, PLAIN_SHA, isNoScript, loadWriteScripts } from './guard-script.js';
import { CollapseWindow } from './collapse-window.js';
import type { WindowRows } from './collapse-window.js';
import { EVENT_TIME_FIELD, entityString, schemaKey, tablePattern } from './key-layout.js';
import { keySlot } from './key-slot.js';
import { keyColumnStrings } from './key-strings.js';
import { MsgpackWriter } from './msgpack-writer.js';
import { purgeTable } from './purge-table.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisTargetSettings } from './redis-settings.js';
import { mergeSchemas, readTableSchema, tableSchemaOf, writeTableSchema } from './table-schema.js';
import type { TableSchema } from './table-schema.js';
import { encodeColumn, eventMicros } from './value-encoding.js';
import type { EncodedColumn } from './value-encoding.js';

/** What a Redis target reports at commit: rows written, rows collapsed, and rows the event-time guard skipped. */
export interface RedisCommitResult extends CommitResult {
  /** Rows sent to Redis after collapsing (written + skipped). */
  rowsSent: number;
  /** Rows older than the entity's stored event time, left unwritten (their TTL was still refreshed). */
  rowsSkipped: number;
  /** Rows absorbed before sending by a row of the same entity that the guard would let win (never sent). */
  rowsCollapsed: number;
}

export interface RedisTargetWriterOptions {
  keyFields: string[];
  timeField?: string;
  /** Remove the table's previous keys (SCAN + UNLINK) before the first write. */
  overwrite: boolean;
  /** Names the target in errors. */
  where: string;
  /** The clock for `flush_after_seconds` (ms); Date.now by default. */
  now?: () => number;
}

/** The columns of one batch the writer reads. */
interface BatchColumns {
  keys: Data[];
  names: string[];
  data: Data[];
  time?: Data;
  /** Encoded dictionaries, so a dictionary column's values are encoded once per batch. */
  dictionaries: Map<unknown, EncodedColumn>;
}

/**
 * One EVALSHA call: its declared keys (cluster only), then the MessagePack payload, the hidden field name, the
 * TTL and the key's head and tail; `plain` calls use the script without the guard (rows that cannot be older
 * than what is stored).
 */
type Call = { plain: boolean; nkeys: number; args: Array<string | Buffer> };

const HIDDEN_FIELD_BYTES = MsgpackWriter.encodeStr(EVENT_TIME_FIELD);
const KEY_TAIL = '}:static';

/**
 * Writes batches into Redis hashes (SPEC §6, connectors/redis/FORMAT.md). Rows are collapsed per entity in a
 * window of `max_events` entities (the guard's winner is kept, see {@link CollapseWindow}); the oldest entities
 * leave the window `batch_size` at a time as one pipeline of EVALSHA calls (`rows_per_call` rows each), at most
 * `max_in_flight` pipelines on the wire. On a Redis Cluster the rows are grouped by node (the scripts' Redis 7
 * flag `allow-cross-slot-keys` lets one call reach every slot of its node) and each node gets its own pipeline,
 * all nodes at once. The online store is not transactional (as MLRun's): what was sent before an
 * `abort` or a failure stays written.
 */
export class RedisTargetWriter implements TargetWriter {
  private started = false;
  private closed = false;
  private aborted = false;
  private failure: unknown;
  private readonly inflight = new Set<Promise<void>>();
  private schema: TableSchema | undefined;
  private arrowSchema: Schema | undefined;
  private window: CollapseWindow | undefined;
  private windowSince = 0;
  private rowsIn = 0;
  private rowsSent = 0;
  private rowsWritten = 0;
  private rowsCollapsed = 0;
  private bytes = 0;
  private maxMicros = -Infinity;
  private readonly ttl: string;
  private readonly keyHead: string;
  private readonly now: () => number;
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
    this.now = o.now ?? Date.now;
  }

  async write(batch: RecordBatch, opts: { signal?: AbortSignal } = {}): Promise<void> {
    this.check(opts.signal);
    if (!this.started) await this.start();
    if (batch.numRows === 0) return;
    if (batch.schema !== this.arrowSchema) await this.updateSchema(batch.schema);
    const cols = this.columnsOf(batch);
    if (!this.window || this.window.names.join('\0') !== cols.names.join('\0')) {
      await this.flush(Infinity, opts.signal);
      this.window = new CollapseWindow(this.settings.windowEntities, cols.names, cols.names.map((n) => MsgpackWriter.encodeStr(n)));
    }
    const win = this.window;
    const n = batch.numRows;
    const step = this.settings.batchSize;
    for (let start = 0; start < n; start += step) {
      const end = Math.min(n, start + step);
      const len = end - start;
      const keys = this.o.keyFields.map((k, i) => keyColumnStrings((cols.keys[i] as Data).slice(start, len), k, this.rowsIn));
      const values = cols.data.map((d) => encodeColumn(d.slice(start, len), cols.dictionaries));
      const micros = cols.time ? eventMicros(cols.time.slice(start, len)) : undefined;
      const one = keys.length === 1 ? (keys[0] as string[]) : undefined;
      if (win.size === 0) this.windowSince = this.now();
      for (let r = 0; r < len; r++) {
        const ent = one ? (one[r] as string) : entityString(keys.map((k) => k[r] as string));
        const t = micros ? (micros[r] as number) : NaN;
        if (t > this.maxMicros) this.maxMicros = t;
        while (!win.add(ent, t, values, r)) {
          // Full with a new entity: send the oldest; a row that cannot collapse with its held row: send all.
          await this.flush(win.size === win.capacity ? step : Infinity, opts.signal);
          if (win.size === 0) this.windowSince = this.now();
        }
      }
      this.rowsIn += len;
    }
    if (win.size > 0 && this.now() - this.windowSince >= this.settings.flushAfterSeconds * 1000) await this.flush(Infinity, opts.signal);
  }

  async commit(opts: { signal?: AbortSignal } = {}): Promise<RedisCommitResult> {
    try {
      this.check(opts.signal);
      if (!this.started && this.o.overwrite) await purgeTable(this.conn, tablePattern(this.settings.keyPrefix, this.settings.table));
      await this.flush(Infinity, opts.signal);
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
      rowsCollapsed: this.rowsCollapsed,
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
      await loadWriteScripts(this.conn.masters(), this.conn.isCluster);
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
      data,
      ...(this.o.timeField !== undefined ? { time: children[idx(this.o.timeField)] as Data } : {}),
      dictionaries: new Map(),
    };
  }

  /**
   * Sends up to `n` of the window's oldest entities (Infinity: all), `batch_size` rows per pipeline, waiting while
   * `max_in_flight` pipelines are on the wire.
   */
  private async flush(n: number, signal?: AbortSignal): Promise<void> {
    const win = this.window;
    if (!win) return;
    let left = Math.min(n, win.size);
    while (left > 0) {
      while (this.inflight.size >= this.settings.maxInFlight) await Promise.race(this.inflight);
      this.check(signal);
      const rows = win.take(Math.min(left, this.settings.batchSize));
      left -= rows.entities.length;
      this.rowsCollapsed += win.collapsed;
      win.collapsed = 0;
      const p: Promise<void> = this.send(rows).then(
        () => void this.inflight.delete(p),
        (err: unknown) => {
          this.inflight.delete(p);
          this.failure ??= err;
        },
      );
      this.inflight.add(p);
    }
  }

  /** Whether a row can skip the guard (fresh table, nothing newer written by this run); records its time. */
  private plain(entity: string, t: number): boolean {
    if (!this.fresh) return false;
    if (t !== t) return true; // no event time: the guard does not apply
    const seen = this.written.get(entity);
    if (seen === undefined) {
      if (this.written.size >= this.settings.trackedEntities) return false;
      this.written.set(entity, t);
      return true;
    }
    if (t < seen) return false;
    this.written.set(entity, t);
    return true;
  }

  /**
   * The calls for some rows: the guard-free ones and the guarded ones, `rows_per_call` rows per call. On a
   * cluster, rows are grouped by the node that serves their slot, and a call declares its first key (routing).
   */
  private calls(rows: WindowRows): Call[] {
    const { entities, micros } = rows;
    const cluster = this.conn.isCluster;
    const groups = new Map<string, number[]>();
    let bytes = 0;
    const keyExtra = this.keyHead.length + KEY_TAIL.length;
    for (let r = 0; r < entities.length; r++) {
      const ent = entities[r] as string;
      bytes += keyExtra + ent.length;
      const isPlain = this.plain(ent, micros[r] as number);
      const g = `${isPlain ? 'p' : 'g'}${cluster ? this.nodeOf(this.keyHead + ent + KEY_TAIL) : ''}`;
      const list = groups.get(g);
      if (list) list.push(r);
      else groups.set(g, [r]);
    }
    const per = this.settings.rowsPerCall;
    const tailArgs = [EVENT_TIME_FIELD, this.ttl, this.keyHead, KEY_TAIL];
    const out: Call[] = [];
    for (const [g, list] of groups) {
      for (let a = 0; a < list.length; a += per) {
        const chunk = list.slice(a, a + per);
        const { payload, size } = this.payloadOf(rows, chunk);
        bytes += size;
        // On a cluster the first row's key routes the call (the script's flag lets it reach the node's other slots).
        const keys = cluster ? [this.keyHead + (entities[chunk[0] as number] as string) + KEY_TAIL] : [];
        out.push({ plain: g.startsWith('p'), nkeys: keys.length, args: [...keys, payload, ...tailArgs] });
      }
    }
    this.bytes += bytes;
    return out;
  }

  /**
   * The MessagePack payload of some rows: per row, the entity string, the event time, the pair count, the
   * field/value pairs, then the count and names of the null fields (removed when the row is written).
   */
  private payloadOf(rows: WindowRows, which: number[]): { payload: Buffer; size: number } {
    const { names, nameBytes, values, micros, entities } = rows;
    const nc = names.length;
    const w = this.payload;
    let size = 0;
    w.reset();
    for (const r of which) {
      const t = micros[r] as number;
      const ts = t === t ? String(t) : '';
      w.str(entities[r] as string);
      w.str(ts);
      const slot = w.uintSlot();
      const base = r * nc;
      let np = 0;
      let nd = 0;
      for (let c = 0; c < nc; c++) {
        const v = values[base + c];
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
        const v = values[base + c];
        if (v !== null && v !== undefined) continue;
        w.raw(nameBytes[c] as Buffer);
        size += (names[c] as string).length;
      }
    }
    return { payload: w.finish(), size };
  }

  private async send(rows: WindowRows): Promise<void> {
    const calls = this.calls(rows);
    this.rowsSent += rows.entities.length;
    if (!this.conn.isCluster) {
      await this.sendPipeline(calls, () => this.conn.client.pipeline());
      return;
    }
    // One pipeline per node (ioredis sends a cluster pipeline to the node of its first key), all nodes at once.
    const cluster = this.conn.client as Cluster;
    const byNode = new Map<string, Call[]>();
    for (const c of calls) {
      const node = this.nodeOf(c.args[0] as string);
      const list = byNode.get(node);
      if (list) list.push(c);
      else byNode.set(node, [c]);
    }
    await Promise.all([...byNode.values()].map((list) => this.sendPipeline(list, () => cluster.pipeline())));
  }

  /** The cluster node (host:port) serving a key's slot, from ioredis' slot table. */
  private nodeOf(key: string): string {
    return (this.conn.client as Cluster).slots[keySlot(key)]?.[0] ?? '';
  }

  private shaOf(plain: boolean): string {
    if (this.conn.isCluster) return plain ? PLAIN_CLUSTER_SHA : GUARD_CLUSTER_SHA;
    return plain ? PLAIN_SHA : GUARD_SHA;
  }

  /** Sends calls as one pipeline; calls that met NOSCRIPT (a flushed script cache, a new node) are resent once after SCRIPT LOAD. */
  private async sendPipeline(calls: Call[], pipeline: () => ReturnType<RedisConnection['client']['pipeline']>): Promise<void> {
    let pending = calls;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const p = pipeline();
      for (const c of pending) p.evalsha(this.shaOf(c.plain), c.nkeys, ...c.args);
      const res = (await p.exec()) ?? [];
      const retry: Call[] = [];
      res.forEach(([err, n], i) => {
        if (!err) this.rowsWritten += Number(n);
        else if (isNoScript(err) && attempt === 0) retry.push(pending[i] as Call);
        else throw err;
      });
      if (retry.length > 0) await loadWriteScripts(this.conn.masters(), this.conn.isCluster);
      pending = retry;
    }
  }
}
