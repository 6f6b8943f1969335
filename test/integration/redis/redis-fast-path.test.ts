import { Redis } from 'ioredis';
import { deleteKeys } from '../../support/redis-keys.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services, uniqueName } from '../../support/services.js';
import { batch, featureSet, types, writeAll } from './redis-test-kit.js';

const prefix = `${uniqueName('fast')}:`;
let redis: Redis;
const T0 = Date.UTC(2024, 0, 5);

beforeAll(() => {
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await deleteKeys(redis, `{${prefix}*`);
  redis.disconnect();
});

// Rows of three entities arriving out of order across two batches: the newest must win whatever the path.
const batches = () => [
  batch({ id: [types.str, ['a', 'b', 'c', 'a']], ts: [types.tsMs, [new Date(T0 + 5000), new Date(T0 + 1000), new Date(T0 + 1000), new Date(T0 + 2000)]], v: [types.str, ['a-new', 'b-old', 'c-1', 'a-older']] }),
  batch({ id: [types.str, ['b', 'a', 'c']], ts: [types.tsMs, [new Date(T0 + 3000), new Date(T0 + 4000), new Date(T0 + 1000)]], v: [types.str, ['b-new', 'a-old', 'c-same-time']] }),
];

describe('fresh-table fast path (overwrite): plain HSET where the guard cannot matter', () => {
  for (const tracked of [1_000_000, 1, 0]) {
    it(`keeps the newest row per entity with tracked_entities=${tracked}`, async () => {
      const name = `t${tracked}`;
      // max_events 1: a window of one entity, so older rows of an entity reach Redis after its newer one.
      const fs = featureSet({ prefix, name, timestampKey: 'ts', maxEvents: 1, attributes: { tracked_entities: tracked, ttl_seconds: 600 } });
      const res = await writeAll(fs, batches(), { overwrite: true });
      const key = (id: string) => `{${prefix}projects/p1/featuresets/${name}/:${id}}:static`;
      expect((await redis.hget(key('a'), 'v'))).toBe('a-new');
      expect((await redis.hget(key('b'), 'v'))).toBe('b-new');
      expect((await redis.hget(key('c'), 'v'))).toBe('c-same-time'); // an equal event time writes
      expect(await redis.hget(key('a'), '\x01_sluice_ts_')).toBe(String((T0 + 5000) * 1000));
      expect(await redis.ttl(key('b'))).toBeGreaterThan(500);
      expect(res.rowsSkipped).toBe(2); // a-older and a-old
      // A following append run goes through the guard: an older row changes nothing.
      await writeAll(fs, [batch({ id: [types.str, ['a']], ts: [types.tsMs, [new Date(T0)]], v: [types.str, ['stale']] })], { overwrite: false });
      expect(await redis.hget(key('a'), 'v')).toBe('a-new');
    });
  }

  it('removes fields that became null on the guard-free path too, and an older row with nulls still changes nothing', async () => {
    const fs = featureSet({ prefix, name: 'nulls', timestampKey: 'ts' });
    const key = `{${prefix}projects/p1/featuresets/nulls/:a}:static`;
    const res = await writeAll(fs, [
      batch({ id: [types.str, ['a', 'a', 'a']], ts: [types.tsMs, [new Date(T0), new Date(T0 + 2000), new Date(T0 + 1000)]], v: [types.str, ['one', null, null]], w: [types.str, ['w1', 'w2', null]] }),
    ], { overwrite: true });
    expect(res).toMatchObject({ rows: 1, rowsSkipped: 0, rowsCollapsed: 2 });
    expect(await redis.hgetall(key)).toEqual({ ts: `_dt:${(T0 + 2000) / 1000}`, w: 'w2', '\x01_sluice_ts_': String((T0 + 2000) * 1000) });
  });
});
