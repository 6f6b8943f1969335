import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, BadInputError, NotFoundError, SpecError } from '../../../src/index.js';
import { getOnlineFeatures } from '../../../connectors/redis/index.js';
import { services, uniqueName } from '../../support/services.js';
import { TimeUnit } from 'apache-arrow';
import { batch, rawTimestamps, cleanPrefix, featureSet, keysUnder, openWriter, types, writeAll } from './redis-test-kit.js';

let redis: Redis;
let prefix: string;
const TABLE = 'projects/p1/featuresets/users/';
const key = (entity: string) => `{${prefix}${TABLE}:${entity}}:static`;
const HIDDEN = '\x01_sluice_ts_';
const T0 = Date.UTC(2024, 0, 5, 10, 0, 0);

beforeAll(() => {
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(() => {
  prefix = `${uniqueName('sl')}:`;
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});

describe('redis target: key layout and encoding', () => {
  it('writes one hash per entity with storey keys, string values, the hidden event time and a .schema key', async () => {
    const fs = featureSet({ prefix, timestampKey: 'ts' });
    const res = await writeAll(fs, [
      batch({
        id: [types.str, ['u1', 'u2']],
        ts: [types.tsMs, [new Date(T0 + 123), new Date(T0)]],
        n: [types.i64, [42n, 9007199254740993n]],
        score: [types.f64, [0.1, 3.0]],
        flag: [types.bool, [true, false]],
        code: [types.str, ['123', 'x y=z']],
        seen: rawTimestamps(TimeUnit.MICROSECOND, [1_700_000_000_123_456n, -1_500_000n]),
      }),
    ]);
    expect(res).toMatchObject({ rows: 2, rowsSent: 2, rowsSkipped: 0, files: [] });
    expect(res.lastWritten?.getTime()).toBe(T0 + 123);
    expect(await keysUnder(redis, prefix)).toEqual([`{${prefix}${TABLE}:.schema}`, key('u1'), key('u2')].sort());
    const h1 = await redis.hgetall(key('u1'));
    expect(h1).toEqual({
      ts: `_dt:${(T0 + 123) / 1000}`,
      n: '42',
      score: '0.1',
      flag: 'true',
      code: '123',
      seen: '_dt:1700000000.123456',
      [HIDDEN]: String((T0 + 123) * 1000),
    });
    const h2 = await redis.hgetall(key('u2'));
    expect(h2).toMatchObject({ n: '9007199254740993', score: '3', flag: 'false', code: 'x y=z', seen: '_dt:-1.5' });
    const schema = JSON.parse((await redis.get(`{${prefix}${TABLE}:.schema}`)) as string);
    expect(schema).toEqual({
      format: 'sluice-redis/1',
      entities: [{ name: 'id', type: 'string' }],
      features: [
        { name: 'ts', type: 'timestamp', unit: 'ms', tz: 'UTC' },
        { name: 'n', type: 'int64' },
        { name: 'score', type: 'float64' },
        { name: 'flag', type: 'bool' },
        { name: 'code', type: 'string' },
        { name: 'seen', type: 'timestamp', unit: 'us', tz: 'UTC' },
      ],
      timestamp_key: 'ts',
    });
  });

  it('reads back the written types exactly through .schema (string "123" stays a string, int64 past 2^53 is a bigint)', async () => {
    const fs = featureSet({ prefix, timestampKey: 'ts' });
    await writeAll(fs, [
      batch({
        id: [types.str, ['u1', 'u2']],
        ts: [types.tsMs, [new Date(T0), new Date(T0)]],
        n: [types.i64, [42n, 9007199254740993n]],
        score: [types.f64, [0.1, NaN]],
        flag: [types.bool, [true, false]],
        code: [types.str, ['123', 'true']],
      }),
    ]);
    const rows = await getOnlineFeatures(fs, [{ id: 'u1' }, 'u2', ['nobody']]);
    expect(rows).toEqual([
      { id: 'u1', ts: new Date(T0), n: 42, score: 0.1, flag: true, code: '123' },
      { id: 'u2', ts: new Date(T0), n: 9007199254740993n, score: NaN, flag: false, code: 'true' },
      { id: 'nobody', ts: null, n: null, score: null, flag: null, code: null },
    ]);
    expect(await getOnlineFeatures(fs, ['u1'], { features: ['code', 'n'] })).toEqual([{ id: 'u1', code: '123', n: 42 }]);
    await expect(getOnlineFeatures(fs, ['u1'], { features: ['nope'] })).rejects.toThrow(/feature "nope" is not in table .*features: ts, n, score, flag, code/);
    await expect(getOnlineFeatures(fs, [{ other: 1 }])).rejects.toThrow(BadInputError);
  });

  it('builds entity strings for 1, 2 and 3+ key columns as storey (3+: k1 + "." + sha1 of the rest)', async () => {
    const two = featureSet({ prefix, name: 'two', entities: ['a', 'b'] });
    const keyOf = (table: string, entity: string) => `{${prefix}projects/p1/featuresets/${table}/:${entity}}:static`;
    await writeAll(two, [batch({ a: [types.str, ['k']], b: [types.i64, [7n]], v: [types.f64, [1.5]] })]);
    expect(await redis.hgetall(keyOf('two', 'k.7'))).toEqual({ v: '1.5' });

    const three = featureSet({ prefix, name: 'three', entities: ['a', 'b', 'c'] });
    await writeAll(three, [batch({ a: [types.str, ['u1']], b: [types.i64, [42n]], c: [types.str, ['x.y']], v: [types.str, ['three']] })]);
    // python3: hashlib.sha1(''.join(str(k) for k in [42, 'x.y']).encode()).hexdigest()
    expect(await redis.hgetall(keyOf('three', 'u1.d88eb8362c7db702e844ce9579b4d40bcab846c4'))).toEqual({ v: 'three' });

    const mixed = featureSet({ prefix, name: 'mixed', entities: ['a', 'b', 'c'] });
    await writeAll(mixed, [batch({ a: [types.str, ['k']], b: [types.f64, [2.0]], c: [types.bool, [true]], v: [types.str, ['m']] })]);
    // python3: hashlib.sha1(''.join(str(k) for k in [2.0, True]).encode()).hexdigest()  (str(2.0) == '2.0')
    expect(await redis.hgetall(keyOf('mixed', 'k.07144c5080e1e37076a2f67a3cc8df23bc3d25cb'))).toEqual({ v: 'm' });

    expect(await getOnlineFeatures(two, [{ a: 'k', b: 7 }, ['k', '8']])).toEqual([{ a: 'k', b: 7, v: 1.5 }, { a: 'k', b: 8, v: null }]);
    expect(await getOnlineFeatures(three, [['u1', 42, 'x.y']])).toEqual([{ a: 'u1', b: 42, c: 'x.y', v: 'three' }]);
    expect(await getOnlineFeatures(mixed, [{ a: 'k', b: 2, c: true }])).toEqual([{ a: 'k', b: 2, c: true, v: 'm' }]);
    await expect(getOnlineFeatures(two, ['k'])).rejects.toThrow(/single value, but the entity has 2 columns \(a, b\)/);
  });
});

describe('redis target: event-time guard, TTL, nulls', () => {
  it('skips older events (replays leave values unchanged) and writes equal and newer ones', async () => {
    const fs = featureSet({ prefix, timestampKey: 'ts' });
    const row = (t: number, v: string) => batch({ id: [types.str, ['u1']], ts: [types.tsMs, [new Date(t)]], v: [types.str, [v]] });
    expect(await writeAll(fs, [row(T0 + 2000, 'newest')])).toMatchObject({ rows: 1, rowsSkipped: 0 });
    const replay = await writeAll(fs, [row(T0 + 1000, 'older'), row(T0, 'oldest')]);
    // The two rows collapse to the newer one, which the guard skips.
    expect(replay).toMatchObject({ rows: 0, rowsSent: 1, rowsSkipped: 1, rowsCollapsed: 1 });
    expect(await redis.hgetall(key('u1'))).toEqual({ ts: `_dt:${(T0 + 2000) / 1000}`, v: 'newest', [HIDDEN]: String((T0 + 2000) * 1000) });
    expect(await writeAll(fs, [row(T0 + 2000, 'equal')])).toMatchObject({ rows: 1, rowsSkipped: 0 });
    expect(await redis.hget(key('u1'), 'v')).toBe('equal');
    await writeAll(fs, [row(T0 + 3000, 'newer')]);
    expect(await redis.hget(key('u1'), 'v')).toBe('newer');
    expect(await redis.hget(key('u1'), HIDDEN)).toBe(String((T0 + 3000) * 1000));
    // Within one batch, the last row of an entity wins only if it is not older.
    await writeAll(fs, [batch({ id: [types.str, ['u1', 'u1']], ts: [types.tsMs, [new Date(T0 + 5000), new Date(T0 + 4000)]], v: [types.str, ['five', 'four']] })]);
    expect(await redis.hget(key('u1'), 'v')).toBe('five');
  });

  it('always writes when the feature set has no time field', async () => {
    const fs = featureSet({ prefix });
    await writeAll(fs, [batch({ id: [types.str, ['u1']], v: [types.i64, [1n]] })]);
    await writeAll(fs, [batch({ id: [types.str, ['u1']], v: [types.i64, [2n]] })]);
    expect(await redis.hgetall(key('u1'))).toEqual({ v: '2' });
  });

  it('sets EXPIRE ttl_seconds on every write, also when the guard skips the row', async () => {
    const fs = featureSet({ prefix, timestampKey: 'ts', attributes: { ttl_seconds: 1000 } });
    const row = (t: number) => batch({ id: [types.str, ['u1']], ts: [types.tsMs, [new Date(t)]], v: [types.i64, [BigInt(t)]] });
    await writeAll(fs, [row(T0 + 1000)]);
    const ttl = await redis.ttl(key('u1'));
    expect(ttl).toBeGreaterThan(990);
    expect(ttl).toBeLessThanOrEqual(1000);
    await redis.expire(key('u1'), 5);
    expect(await writeAll(fs, [row(T0)])).toMatchObject({ rows: 0, rowsSkipped: 1 });
    expect(await redis.ttl(key('u1'))).toBeGreaterThan(990);
    expect(await redis.hget(key('u1'), 'v')).toBe(String(T0 + 1000));
    expect(await redis.ttl(`{${prefix}${TABLE}:.schema}`)).toBe(-1);
  });

  it('removes a field when a newer row holds null (HDEL, as storey); an older row with a null changes nothing; a null never creates a field', async () => {
    const fs = featureSet({ prefix, timestampKey: 'ts' });
    const row = (t: number, score: number | null, name: string | null) =>
      batch({ id: [types.str, ['u1']], ts: [types.tsMs, [new Date(t)]], score: [types.f64, [score]], name: [types.str, [name]] });
    await writeAll(fs, [row(T0, 1.25, 'a')]);
    // An older row, null or not, changes nothing.
    expect(await writeAll(fs, [row(T0 - 1, null, null)])).toMatchObject({ rows: 0, rowsSkipped: 1 });
    expect(await redis.hgetall(key('u1'))).toMatchObject({ score: '1.25', name: 'a' });
    // A newer row with a null removes the field: no stale value is served.
    expect(await writeAll(fs, [row(T0 + 1, null, 'b')])).toMatchObject({ rows: 1, rowsSkipped: 0 });
    const h = await redis.hgetall(key('u1'));
    expect(h).toMatchObject({ name: 'b', [HIDDEN]: String((T0 + 1) * 1000) });
    expect(h).not.toHaveProperty('score');
    expect(await getOnlineFeatures(fs, ['u1'], { features: ['score', 'name'] })).toEqual([{ id: 'u1', score: null, name: 'b' }]);
    // A null for an entity that has no such field creates nothing.
    await writeAll(fs, [batch({ id: [types.str, ['u2']], ts: [types.tsMs, [new Date(T0)]], score: [types.f64, [null]], name: [types.str, ['c']] })]);
    expect(await redis.hgetall(key('u2'))).toEqual({ ts: `_dt:${T0 / 1000}`, name: 'c', [HIDDEN]: String(T0 * 1000) });
    // Without a time field every row writes, nulls remove.
    const plain = featureSet({ prefix, name: 'plain' });
    const pkey = `{${prefix}projects/p1/featuresets/plain/:u1}:static`;
    await writeAll(plain, [batch({ id: [types.str, ['u1']], v: [types.i64, [1n]], w: [types.str, ['x']] })]);
    await writeAll(plain, [batch({ id: [types.str, ['u1']], v: [types.i64, [null]], w: [types.str, ['y']] })]);
    expect(await redis.hgetall(pkey)).toEqual({ w: 'y' });
  });
});

describe('redis target: overwrite, batching, abort, URL', () => {
  it('overwrite removes the table’s previous keys (SCAN + UNLINK) before writing, and keeps other tables', async () => {
    const fs = featureSet({ prefix });
    const ids = Array.from({ length: 2500 }, (_, i) => `e${i}`);
    await writeAll(fs, [batch({ id: [types.str, ids], v: [types.i64, ids.map((_, i) => BigInt(i))] })]);
    const other = `{${prefix}projects/p1/featuresets/users2/:e1}:static`;
    await redis.hset(other, 'v', '1');
    expect(await keysUnder(redis, `${prefix}${TABLE}`)).toHaveLength(2501);
    await writeAll(fs, [batch({ id: [types.str, ['fresh']], w: [types.str, ['new']] })], { overwrite: true });
    expect(await keysUnder(redis, `${prefix}${TABLE}`)).toEqual([`{${prefix}${TABLE}:.schema}`, key('fresh')].sort());
    expect(await redis.exists(other)).toBe(1);
    const schema = JSON.parse((await redis.get(`{${prefix}${TABLE}:.schema}`)) as string);
    expect(schema.features).toEqual([{ name: 'w', type: 'string' }]);
  });

  it('pipelines many rows with small batches, several calls per pipeline and pipelines in flight', async () => {
    const fs = featureSet({ prefix, timestampKey: 'ts', attributes: { batch_size: 7, rows_per_call: 3, max_in_flight: 2 } });
    const n = 1000;
    const ids = Array.from({ length: n }, (_, i) => `e${i}`);
    const res = await writeAll(fs, [
      batch({ id: [types.str, ids.slice(0, 600)], ts: [types.tsMs, ids.slice(0, 600).map((_, i) => new Date(T0 + i))], v: [types.i64, ids.slice(0, 600).map((_, i) => BigInt(i))] }),
      batch({ id: [types.str, ids.slice(600)], ts: [types.tsMs, ids.slice(600).map((_, i) => new Date(T0 + 600 + i))], v: [types.i64, ids.slice(600).map((_, i) => BigInt(600 + i))] }),
    ]);
    expect(res).toMatchObject({ rows: n, rowsSkipped: 0 });
    expect(res.lastWritten?.getTime()).toBe(T0 + n - 1);
    const rows = await getOnlineFeatures(fs, ids);
    expect(rows.map((r) => r.v)).toEqual(ids.map((_, i) => i));
  });

  it('abort stops sending: later writes fail, what was sent stays (the online store is not transactional)', async () => {
    // max_events 1: u1 is sent when u0 arrives; u0, still held, is dropped by the abort.
    const fs = featureSet({ prefix, maxEvents: 1 });
    const w = await openWriter(fs);
    await w.write(batch({ id: [types.str, ['u1', 'u0']], v: [types.i64, [1n, 0n]] }));
    await w.abort(new Error('stop'));
    await expect(w.write(batch({ id: [types.str, ['u2']], v: [types.i64, [2n]] }))).rejects.toThrow(AbortedError);
    await expect(w.commit()).rejects.toThrow(/aborted; 1 rows were already sent and stay written/);
    expect(await redis.hget(key('u1'), 'v')).toBe('1');
    expect(await redis.exists(key('u0'))).toBe(0);
    expect(await redis.exists(key('u2'))).toBe(0);
    const ac = new AbortController();
    const w2 = await openWriter(fs);
    ac.abort();
    await expect(w2.write(batch({ id: [types.str, ['u3']], v: [types.i64, [3n]] }), { signal: ac.signal })).rejects.toThrow(AbortedError);
    await w2.abort('signal');
  });

  it('selects the database index of the URL', async () => {
    const fs = featureSet({ prefix, path: `${services.redisUrl()}/3` });
    await writeAll(fs, [batch({ id: [types.str, ['u1']], v: [types.str, ['in db 3']] })]);
    const db3 = new Redis(`${services.redisUrl()}/3`);
    try {
      expect(await db3.hget(key('u1'), 'v')).toBe('in db 3');
      expect(await redis.exists(key('u1'))).toBe(0);
      expect(await getOnlineFeatures(fs, ['u1'])).toEqual([{ id: 'u1', v: 'in db 3' }]);
    } finally {
      await cleanPrefix(db3, prefix);
      await db3.quit();
    }
  });

  it('uses a table from the URL path after the db index', async () => {
    const fs = featureSet({ prefix, path: `${services.redisUrl()}/0/my/table` });
    await writeAll(fs, [batch({ id: [types.str, ['u1']], v: [types.str, ['t']] })]);
    expect(await redis.hget(`{${prefix}my/table/:u1}:static`, 'v')).toBe('t');
  });

  it('refuses key and time columns missing from the data, and a time field that is not a time', async () => {
    const fs = featureSet({ prefix, timestampKey: 'ts' });
    const w = await openWriter(fs);
    await expect(w.write(batch({ other: [types.str, ['u1']], ts: [types.tsMs, [new Date(T0)]] }))).rejects.toThrow(/key column\(s\) id are not in the data; columns: other, ts/);
    await w.abort('x');
    const w2 = await openWriter(fs);
    await expect(w2.write(batch({ id: [types.str, ['u1']], ts: [types.str, ['2024-01-01']] }))).rejects.toThrow(/time field "ts" has type Utf8/);
    await w2.abort('x');
    const w3 = await openWriter(featureSet({ prefix }));
    await expect(w3.write(batch({ id: [types.str, ['u1', null]], v: [types.i64, [1n, 2n]] }))).rejects.toThrow(/key column "id" is null in row 2/);
    await w3.abort('x');
  });

  it('reading a table that was never written is a NotFoundError naming the schema key', async () => {
    const fs = featureSet({ prefix });
    await expect(getOnlineFeatures(fs, ['u1'])).rejects.toThrow(NotFoundError);
    await expect(getOnlineFeatures(fs, ['u1'])).rejects.toThrow(`{${prefix}${TABLE}:.schema}`);
  });

  it('refuses a user or password in the URL, pointing to the secrets, without echoing the password', async () => {
    const fs = featureSet({ prefix, path: 'redis://admin:hunter2@127.0.0.1:6379/0' });
    const err = await openWriter(fs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as Error).message).toMatch(/REDIS_USER and REDIS_PASSWORD/);
    expect((err as Error).message).not.toContain('hunter2');
    await expect(getOnlineFeatures(fs, ['u1'])).rejects.toThrow(/carries a user or password/);
  });
});
