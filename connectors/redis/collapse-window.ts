import type { EncodedColumn } from './value-encoding.js';

/** Rows taken out of a {@link CollapseWindow} to be sent: one per entity, in first-seen order. */
export interface WindowRows {
  entities: string[];
  /** Event time per row in epoch µs; NaN: none. */
  micros: Float64Array;
  /** Row i, column c at `i * width + c`; null removes the field. */
  values: Array<string | null>;
  names: readonly string[];
  nameBytes: readonly Buffer[];
}

/**
 * The rows a Redis writer holds before sending, collapsed to one per entity: the row that the event-time guard
 * would leave in Redis had the rows been written one by one. That is the row with the newest event time; of
 * equal times the later row (the guard writes an equal time); without event times the later row. Its nulls
 * travel with it (a null in the winner removes the field). A row without an event time and a held row with one
 * (or the reverse) do not collapse: `add` returns false and the caller sends the window first.
 *
 * A ring of `capacity` entities: the caller takes the oldest out ({@link take}) when it is full, so memory is
 * bounded by `capacity` rows whatever the input size. A winner's values are copied out of its batch (string
 * references), so the window keeps no batch alive.
 */
export class CollapseWindow {
  private readonly ents: Array<string | undefined>;
  private readonly times: Float64Array;
  private readonly vals: Array<string | null>;
  private readonly index = new Map<string, number>();
  private head = 0;
  private count = 0;
  /** Rows absorbed into another row of the same entity (dropped as older, or replaced by a newer one). */
  collapsed = 0;

  constructor(
    readonly capacity: number,
    /** The feature columns every row of this window has. */
    readonly names: readonly string[],
    readonly nameBytes: readonly Buffer[],
  ) {
    this.ents = new Array<string | undefined>(capacity);
    this.times = new Float64Array(capacity);
    this.vals = new Array<string | null>(capacity * names.length);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Takes row r of the encoded columns. Returns false, holding nothing, when the window is full and the entity
   * is new, or when the row cannot collapse with the held one (one has an event time, the other not).
   */
  add(entity: string, t: number, cols: readonly EncodedColumn[], r: number): boolean {
    const w = this.names.length;
    let s = this.index.get(entity);
    if (s === undefined) {
      if (this.count === this.capacity) return false;
      s = (this.head + this.count) % this.capacity;
      this.count++;
      this.index.set(entity, s);
      this.ents[s] = entity;
    } else {
      const held = this.times[s] as number;
      const timed = t === t;
      if (timed !== (held === held)) return false;
      this.collapsed++;
      if (timed && t < held) return true; // the guard would skip it
    }
    this.times[s] = t;
    const base = s * w;
    for (let c = 0; c < w; c++) this.vals[base + c] = (cols[c] as EncodedColumn)[r] ?? null;
    return true;
  }

  /** Removes and returns the `n` oldest entities' rows (all when n >= size). */
  take(n: number): WindowRows {
    const k = Math.min(n, this.count);
    const w = this.names.length;
    const entities = new Array<string>(k);
    const micros = new Float64Array(k);
    const values = new Array<string | null>(k * w);
    for (let i = 0; i < k; i++) {
      const s = (this.head + i) % this.capacity;
      const e = this.ents[s] as string;
      entities[i] = e;
      this.ents[s] = undefined;
      this.index.delete(e);
      micros[i] = this.times[s] as number;
      const from = s * w;
      const to = i * w;
      for (let c = 0; c < w; c++) {
        values[to + c] = this.vals[from + c] as string | null;
        this.vals[from + c] = null;
      }
    }
    this.head = (this.head + k) % this.capacity;
    this.count -= k;
    return { entities, micros, values, names: this.names, nameBytes: this.nameBytes };
  }
}
