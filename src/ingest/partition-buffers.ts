import type { RecordBatch } from 'apache-arrow';

/** Rows of one partition waiting to be written. */
export interface PartitionBuffer {
  key: string;
  values: Record<string, string | null>;
  batches: RecordBatch[];
  rows: number;
  bytes: number;
  /** Monotonic ms when the oldest buffered row arrived. */
  since: number;
}

/**
 * Per-partition buffers (SPEC §4): rows wait per partition until `max_events` rows or `flush_after_seconds`
 * trip, and the total held is bounded by `max_buffered_bytes` (the largest buffers go out first). Pure
 * bookkeeping: the caller writes what `take*` hands back.
 */
export class PartitionBuffers {
  private readonly buffers = new Map<string, PartitionBuffer>();
  private total = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Bytes held in all buffers. */
  get bufferedBytes(): number {
    return this.total;
  }

  get size(): number {
    return this.buffers.size;
  }

  /** Adds rows; returns the partition's buffer. */
  add(key: string, values: Record<string, string | null>, batch: RecordBatch): PartitionBuffer {
    let b = this.buffers.get(key);
    if (!b) {
      b = { key, values, batches: [], rows: 0, bytes: 0, since: this.now() };
      this.buffers.set(key, b);
    }
    const bytes = batchBytes(batch);
    b.batches.push(batch);
    b.rows += batch.numRows;
    b.bytes += bytes;
    this.total += bytes;
    return b;
  }

  /** Removes and returns one partition's buffer. */
  take(key: string): PartitionBuffer | undefined {
    const b = this.buffers.get(key);
    if (!b) return undefined;
    this.buffers.delete(key);
    this.total -= b.bytes;
    return b;
  }

  /** Buffers older than `maxAgeMs`, oldest first (removed). */
  takeOlderThan(maxAgeMs: number): PartitionBuffer[] {
    const cutoff = this.now() - maxAgeMs;
    const old = [...this.buffers.values()].filter((b) => b.since <= cutoff).sort((a, b) => a.since - b.since);
    return old.map((b) => this.take(b.key) as PartitionBuffer);
  }

  /** The largest buffers (removed) until at most `targetBytes` stay buffered. */
  takeLargestUntil(targetBytes: number): PartitionBuffer[] {
    const out: PartitionBuffer[] = [];
    const bySize = [...this.buffers.values()].sort((a, b) => b.bytes - a.bytes);
    for (const b of bySize) {
      if (this.total <= targetBytes) break;
      out.push(this.take(b.key) as PartitionBuffer);
    }
    return out;
  }

  /** Everything (removed), in insertion order. */
  takeAll(): PartitionBuffer[] {
    return [...this.buffers.keys()].map((k) => this.take(k) as PartitionBuffer);
  }
}

interface DataLike {
  offset: number;
  length: number;
  stride: number;
  values?: { BYTES_PER_ELEMENT?: number };
  valueOffsets?: Int32Array | BigInt64Array;
  children?: DataLike[];
}

/** Approximate bytes of a batch's rows (slices count only their own rows, not the shared parent buffers). */
export function batchBytes(batch: RecordBatch): number {
  const size = (d: DataLike): number => {
    let n = Math.ceil(d.length / 8);
    if (d.valueOffsets) {
      const o = d.valueOffsets;
      n += Number(o[d.offset + d.length] ?? 0) - Number(o[d.offset] ?? 0) + 4 * d.length;
    } else if (d.values?.BYTES_PER_ELEMENT) {
      n += d.values.BYTES_PER_ELEMENT * (d.stride || 1) * d.length;
    }
    for (const c of d.children ?? []) n += size(c);
    return n;
  };
  return size(batch.data as unknown as DataLike);
}
