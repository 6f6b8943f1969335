import type { RedisConnection } from './stream-connection.js';

/** The in-flight cycle of a consumer group, as kept in Redis. */
export interface CheckpointState {
  /** The run id the cycle writes its files under. */
  runId: string;
  /** `reading`: not yet committed everywhere; `acking`: committed everywhere, entries being acknowledged. */
  phase: 'reading' | 'acking';
  consumer: string;
  /** Per target name, the run id of the target directory the cycle appends to. */
  targets: Record<string, string>;
  startedAt: string;
  /** In phase `acking`: the ids to acknowledge. */
  ackIds: string[];
}

/**
 * A small Redis hash `<stream>:sluice:<group>` that makes a stream cycle restartable under the same run id:
 * written when a cycle starts (run id, target directories), switched to `acking` with the exact ids once every
 * target has committed, and deleted when they are acknowledged. One Sluice consumer per group at a time.
 */
export class StreamCheckpoint {
  readonly key: string;

  constructor(private readonly conn: RedisConnection, stream: string, group: string) {
    this.key = `${stream}:sluice:${group}`;
  }

  /** The cycle a previous process left in flight, if any. */
  async load(): Promise<CheckpointState | undefined> {
    const h = await this.run(() => this.conn.client.hgetall(this.key), 'HGETALL');
    if (!h.run_id || (h.phase !== 'reading' && h.phase !== 'acking')) return undefined;
    return {
      runId: h.run_id,
      phase: h.phase,
      consumer: h.consumer ?? '',
      targets: h.targets ? (JSON.parse(h.targets) as Record<string, string>) : {},
      startedAt: h.started_at ?? '',
      ackIds: h.ack_ids ? h.ack_ids.split(' ') : [],
    };
  }

  /** Records that a cycle starts reading under `runId`. */
  async begin(s: Pick<CheckpointState, 'runId' | 'consumer' | 'targets'>, now: Date): Promise<void> {
    await this.run(async () => {
      await this.conn.client
        .multi()
        .del(this.key)
        .hset(this.key, { run_id: s.runId, phase: 'reading', consumer: s.consumer, targets: JSON.stringify(s.targets), started_at: now.toISOString() })
        .exec();
    }, 'HSET');
  }

  /** Records that the cycle's data is committed everywhere and these ids are being acknowledged. */
  async acking(ids: readonly string[], range: { first: string; last: string } | undefined): Promise<void> {
    await this.run(
      () => this.conn.client.hset(this.key, { phase: 'acking', ack_ids: ids.join(' '), ...(range ? { first_id: range.first, last_id: range.last } : {}) }),
      'HSET',
    );
  }

  /** Forgets the cycle (its entries are acknowledged). */
  async clear(): Promise<void> {
    await this.run(() => this.conn.client.del(this.key), 'DEL');
  }

  private async run<T>(f: () => Promise<T>, what: string): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw this.conn.fail(err, `${what} ${this.key}`);
    }
  }
}
