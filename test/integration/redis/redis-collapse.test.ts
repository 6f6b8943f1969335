import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys } from '../../support/redis-keys.js';
import { services, uniqueName } from '../../support/services.js';
import { batch, featureSet, openWriter, types, writeAll } from './redis-test-kit.js';

const prefix = `${uniqueName('coll')}:`;
const HIDDEN = '\x01_sluice_ts_';
const T0 = Date.UTC(2024, 0, 5);
let redis: Redis;

beforeAll(() => {
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await deleteKeys(redis, `{${prefix}*`);
  redis.disconnect();
});

const keyOf = (table: string, id: string) => `{${prefix}projects/p1/featuresets/${table}/:${id}}:static`;

/** A seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = { id: string; ts: Date | null; v: string | null; w: bigint | null };
const rowsBatch = (rows: Row[]) =>
  batch({ id: [types.str, rows.map((r) => r.id)], ts: [types.tsMs, rows.map((r) => r.ts)], v: [types.str, rows.map((r) => r.v)], w: [types.i64, rows.map((r) => r.w)] });

async function hashes(table: string, ids: string[]): Promise<Record<string, Record<string, string>>> {
  return Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await redis.hgetall(keyOf(table, id))] as const)));
}

describe('redis target: rows collapsed per entity before sending', () => {
  it('keeps exactly the row the guard would keep per entity (newest time, ties to the later row, nulls remove), against a row-by-row reference', async () => {
    const rnd = rng(13);
    const ids = Array.from({ length: 12 }, (_, i) => `e${i}`);
    // Few distinct times so that ties are common; about a quarter of the values null.
    const pick = (): Row => ({
      id: ids[Math.floor(rnd() * ids.length)] as string,
      ts: new Date(T0 + 1000 * Math.floor(rnd() * 4)),
      v: rnd() < 0.25 ? null : `v${Math.floor(rnd() * 1000)}`,
      w: rnd() < 0.25 ? null : BigInt(Math.floor(rnd() * 1000)),
    });
    const seed = ids.map((id, i): Row => ({ id, ts: new Date(T0 + 1000 * (i % 4)), v: 'stored', w: 1n }));
    const runs = [Array.from({ length: 90 }, pick), Array.from({ length: 90 }, pick)];

    const collapsed = featureSet({ prefix, name: 'collapsed', timestampKey: 'ts' });
    const reference = featureSet({ prefix, name: 'reference', timestampKey: 'ts' });
    await writeAll(collapsed, [rowsBatch(seed)]);
    await writeAll(reference, [rowsBatch(seed)]);
    for (const rows of runs) {
      // Collapsed: one run, the rows in two batches.
      const res = await writeAll(collapsed, [rowsBatch(rows.slice(0, 40)), rowsBatch(rows.slice(40))]);
      const distinct = new Set(rows.map((r) => r.id)).size;
      expect(res.rowsSent).toBe(distinct);
      expect(res.rowsCollapsed).toBe(rows.length - distinct);
      expect(res.rows + res.rowsSkipped + res.rowsCollapsed).toBe(rows.length);
      // Reference: every row in its own run, so the guard alone decides, row by row.
      for (const r of rows) await writeAll(reference, [rowsBatch([r])]);
    }
    const want = await hashes('reference', ids);
    expect(await hashes('collapsed', ids)).toEqual(want);
    // The data really exercised nulls and skipped rows.
    expect(Object.values(want).some((h) => h.v === undefined || h.w === undefined)).toBe(true);
  });

  it('breaks ties as the guard does: the later row wins, its nulls remove fields, an older row is dropped', async () => {
    const fs = featureSet({ prefix, name: 'ties', timestampKey: 'ts' });
    const t = (s: number) => new Date(T0 + s * 1000);
    const res = await writeAll(fs, [
      rowsBatch([
        { id: 'a', ts: t(1), v: 'first', w: 1n },
        { id: 'b', ts: t(2), v: 'newest', w: 2n },
        { id: 'a', ts: t(1), v: null, w: 3n }, // same time, later: wins, removes v
        { id: 'b', ts: t(1), v: 'older', w: null }, // older: dropped, its null removes nothing
      ]),
      rowsBatch([{ id: 'a', ts: t(0), v: 'oldest', w: 9n }]),
    ]);
    expect(res).toMatchObject({ rows: 2, rowsSent: 2, rowsSkipped: 0, rowsCollapsed: 3 });
    expect(await redis.hgetall(keyOf('ties', 'a'))).toEqual({ ts: `_dt:${(T0 + 1000) / 1000}`, w: '3', [HIDDEN]: String((T0 + 1000) * 1000) });
    expect(await redis.hgetall(keyOf('ties', 'b'))).toEqual({ ts: `_dt:${(T0 + 2000) / 1000}`, v: 'newest', w: '2', [HIDDEN]: String((T0 + 2000) * 1000) });
  });

  it('keeps order when rows with and without an event time meet for one entity, and collapses rows without a time to the last one', async () => {
    const fs = featureSet({ prefix, name: 'mixed', timestampKey: 'ts' });
    await writeAll(fs, [
      rowsBatch([
        { id: 'a', ts: new Date(T0 + 5000), v: 'timed', w: 1n },
        { id: 'a', ts: null, v: 'untimed-1', w: null },
        { id: 'a', ts: null, v: 'untimed-2', w: 2n },
        { id: 'b', ts: null, v: 'b1', w: 1n },
        { id: 'b', ts: null, v: null, w: 5n },
      ]),
    ]);
    // Row by row: the timed row writes; the untimed ones write without the guard (their null time removes `ts`)
    // and do not move the hidden time.
    expect(await redis.hgetall(keyOf('mixed', 'a'))).toEqual({ v: 'untimed-2', w: '2', [HIDDEN]: String((T0 + 5000) * 1000) });
    expect(await redis.hgetall(keyOf('mixed', 'b'))).toEqual({ w: '5' });
  });

  it('holds at most max_events entities: the oldest are sent as the window fills, and rows of one entity still collapse', async () => {
    const fs = featureSet({ prefix, name: 'window', timestampKey: 'ts', maxEvents: 3, attributes: { batch_size: 2 } });
    const ids = ['a', 'b', 'c', 'd', 'e', 'a', 'e', 'e'];
    const res = await writeAll(fs, [rowsBatch(ids.map((id, i) => ({ id, ts: new Date(T0 + i * 1000), v: `${id}${i}`, w: BigInt(i) })))]);
    // a, b leave when d arrives (two at a time), so the second a is a new row for Redis; e's three rows collapse.
    expect(res).toMatchObject({ rows: 6, rowsSent: 6, rowsCollapsed: 2 });
    expect(await redis.hget(keyOf('window', 'a'), 'v')).toBe('a5');
    expect(await redis.hget(keyOf('window', 'e'), 'v')).toBe('e7');
  });

  it('two append runs writing the same entities at once leave exactly the newest value of each entity', async () => {
    const fs = featureSet({ prefix, name: 'race', timestampKey: 'ts', maxEvents: 50, attributes: { batch_size: 10, rows_per_call: 3 } });
    const n = 400;
    const ids = Array.from({ length: n }, (_, i) => `e${i}`);
    // Run A has the newer row for even entities, run B for odd ones; each run also replays older rows.
    const rowsOf = (run: 'A' | 'B'): Row[] =>
      ids.flatMap((id, i) => {
        const newer = (i % 2 === 0) === (run === 'A');
        const t = T0 + (newer ? 10_000 : 5_000) + i;
        return [
          { id, ts: new Date(t), v: `${run}-${newer ? 'new' : 'old'}`, w: BigInt(i) },
          { id, ts: new Date(t - 4000), v: `${run}-replay`, w: null },
        ];
      });
    const slices = (rows: Row[]) => Array.from({ length: 8 }, (_, k) => rowsBatch(rows.slice(k * 100, (k + 1) * 100)));
    const [a, b] = [slices(rowsOf('A')), slices(rowsOf('B'))];
    const wa = await openWriter(fs);
    const wb = await openWriter(fs);
    // Interleave the two runs batch by batch, both with pipelines in flight.
    for (let k = 0; k < a.length; k++) await Promise.all([wa.write(a[k] as never), wb.write(b[k] as never)]);
    const [ra, rb] = await Promise.all([wa.commit(), wb.commit()]);
    expect(ra.rows + rb.rows + ra.rowsSkipped + rb.rowsSkipped).toBe(2 * n);
    const got = await hashes('race', ids);
    ids.forEach((id, i) => {
      const winner = i % 2 === 0 ? 'A' : 'B';
      const t = T0 + 10_000 + i;
      expect(got[id]).toEqual({ ts: `_dt:${t / 1000}`, v: `${winner}-new`, w: String(i), [HIDDEN]: String(t * 1000) });
    });
  });
});
