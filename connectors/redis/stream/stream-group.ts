import type { RedisConnection } from './stream-connection.js';
import type { StreamOptions } from './stream-options.js';

/** One stream entry: its id and its field/value pairs (null when the entry was deleted while pending). */
export interface StreamEntry {
  id: string;
  fields: string[] | null;
}

/** XACK is sent in chunks of this many ids. */
export const ACK_CHUNK = 1000;

function entriesOf(raw: unknown): StreamEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: StreamEntry[] = [];
  for (const e of raw as unknown[]) {
    if (!Array.isArray(e)) continue;
    const [id, fields] = e as [unknown, unknown];
    out.push({ id: String(id), fields: Array.isArray(fields) ? (fields as unknown[]).map(String) : null });
  }
  return out;
}

/**
 * The consumer-group commands of one stream source: create the group, read this consumer's own pending
 * entries, reclaim other consumers' idle ones (XAUTOCLAIM), read new ones, acknowledge. Errors name the
 * endpoint and the command, never a secret.
 */
export class StreamGroup {
  constructor(readonly conn: RedisConnection, readonly o: StreamOptions) {}

  private get label(): string {
    return `stream ${this.o.stream} group ${this.o.group}`;
  }

  /** Creates the group at `start_id` with MKSTREAM unless it exists. */
  async ensure(): Promise<void> {
    try {
      await this.conn.client.call('XGROUP', 'CREATE', this.o.stream, this.o.group, this.o.startId, 'MKSTREAM');
    } catch (err) {
      if (/BUSYGROUP/.test(String((err as Error).message))) return;
      throw this.conn.fail(err, `XGROUP CREATE ${this.label}`);
    }
  }

  /** Entries already delivered to this consumer and not acknowledged, after id `after`. */
  async ownPending(after: string, count: number): Promise<StreamEntry[]> {
    const o = this.o;
    const raw = await this.call(['XREADGROUP', 'GROUP', o.group, o.consumer, 'COUNT', count, 'STREAMS', o.stream, after], 'XREADGROUP (own pending)');
    return this.firstStream(raw);
  }

  /**
   * Claims entries idle longer than `claim_idle_ms` from any consumer of the group, starting at `cursor`;
   * returns the next cursor (`0-0` when the pending list was walked to its end) and the entries.
   */
  async autoclaim(cursor: string, count: number): Promise<{ cursor: string; entries: StreamEntry[] }> {
    const o = this.o;
    const raw = await this.call(['XAUTOCLAIM', o.stream, o.group, o.consumer, o.claimIdleMs, cursor, 'COUNT', count], 'XAUTOCLAIM');
    const [next, entries] = (Array.isArray(raw) ? raw : []) as [unknown, unknown];
    return { cursor: next === undefined ? '0-0' : String(next), entries: entriesOf(entries) };
  }

  /** New entries (`>`), waiting up to `blockMs` for the first. */
  async readNew(count: number, blockMs: number): Promise<StreamEntry[]> {
    const o = this.o;
    const raw = await this.call(['XREADGROUP', 'GROUP', o.group, o.consumer, 'COUNT', count, 'BLOCK', Math.max(1, Math.round(blockMs)), 'STREAMS', o.stream, '>'], 'XREADGROUP');
    return this.firstStream(raw);
  }

  /** Acknowledges the ids, in chunks of {@link ACK_CHUNK}; returns how many were still pending. */
  async ack(ids: readonly string[]): Promise<number> {
    let acked = 0;
    for (let i = 0; i < ids.length; i += ACK_CHUNK) {
      acked += Number(await this.call(['XACK', this.o.stream, this.o.group, ...ids.slice(i, i + ACK_CHUNK)], 'XACK'));
    }
    return acked;
  }

  /** The entries of an XREADGROUP reply for one stream: `[[key, entries]]` (RESP2) or `[key, entries]` (ioredis 6). */
  private firstStream(raw: unknown): StreamEntry[] {
    if (!Array.isArray(raw) || raw.length === 0) return [];
    const pair = (Array.isArray(raw[0]) ? raw[0] : raw) as unknown[];
    return entriesOf(pair[1]);
  }

  private async call(args: Array<string | number>, what: string): Promise<unknown> {
    const [cmd, ...rest] = args;
    try {
      return await this.conn.client.call(String(cmd), ...rest);
    } catch (err) {
      throw this.conn.fail(err, `${what} on ${this.label}`);
    }
  }
}
