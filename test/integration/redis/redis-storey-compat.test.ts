import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataTargetBase, Entity, FeatureSet, NotFoundError } from '../../../src/index.js';
import { getOnlineFeatures } from '../../../connectors/redis/index.js';
import { services, uniqueName } from '../../support/services.js';
import { deleteKeys } from '../../support/redis-keys.js';
import { storeySaveKey } from '../../support/storey-writer.js';
import type { PyValue } from '../../support/storey-writer.js';
import { batch, cleanPrefix, types, writeAll } from './redis-test-kit.js';

let redis: Redis;
let prefix: string;
const TABLE = 'projects/p1/featuresets/users/';
const key = (entity: string) => `{${prefix}${TABLE}:${entity}}:static`;
const T0 = Date.UTC(2024, 0, 5, 10, 0, 0);

beforeAll(() => {
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(() => {
  prefix = `${uniqueName('storey')}:`;
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});

function featureSet(o: { features?: Array<[string, string]>; entityType?: string } = {}): FeatureSet {
  const fs = new FeatureSet({
    name: 'users',
    project: 'p1',
    entities: [new Entity({ name: 'user_id', ...(o.entityType ? { valueType: o.entityType } : {}) })],
    timestampKey: 'ts',
    targets: [new DataTargetBase({ kind: 'redisnosql', name: 'online', path: services.redisUrl(), attributes: { key_prefix: prefix } })],
  });
  if (o.features) fs.spec.features = o.features.map(([name, valueType]) => new Entity({ name, valueType }));
  return fs;
}

/** One MLRun row as storey's NoSqlTarget writes it: the entity column first, then the features; no timestamp. */
const mlrunRow = (user: string, extra: Array<[string, PyValue]> = []): Array<[string, PyValue]> => [
  ['user_id', user],
  ['amount', 12.5],
  ['count', 3n],
  ['big', 4611686018427387904n],
  ['ratio', 0.1],
  ['label', '123'],
  ['flag', true],
  ['seen', new Date(T0 + 123)],
  ['wait', { timedeltaSeconds: 90.5 }],
  ['missing', NaN],
  ['top', Infinity],
  ['skipped', null],
  ...extra,
];

describe('reading a table MLRun/storey wrote (no .schema)', () => {
  it('stores exactly what storey stores (exponent integers, 0/0, entity fields, \\x01_mtime_)', async () => {
    await storeySaveKey(redis, key('u1'), mlrunRow('u1'));
    expect(await redis.hgetall(key('u1'))).toEqual({
      user_id: 'u1',
      amount: '12.5',
      count: '3',
      big: '4.6116860184273879e+18',
      ratio: '0.10000000000000001',
      label: '123',
      flag: 'true',
      seen: `_dt:${(T0 + 123) / 1000}`,
      wait: '_td:90.5',
      missing: '0/0',
      top: 'math.huge',
      '\x01_mtime_': '1704448800000000',
    });
  });

  it('getOnlineFeatures reads it as storey does: entity fields and \\x01 fields left out, the timestamp MLRun never stores is null', async () => {
    await storeySaveKey(redis, key('u1'), mlrunRow('u1'));
    await storeySaveKey(redis, key('u2'), [['user_id', 'u2'], ['amount', -1], ['label', 'x y']]);
    // An aggregation schema storey keeps under the same .schema key is not Sluice's: ignored.
    await redis.set(`{${prefix}${TABLE}:.schema}`, JSON.stringify({ amount: { period_millis: 600000, aggregations: ['sum'] } }));
    const rows = await getOnlineFeatures(featureSet(), [{ user_id: 'u1' }, 'u2', 'nobody']);
    expect(rows[0]).toEqual({
      user_id: 'u1',
      amount: 12.5,
      count: 3,
      big: 4611686018427387904n,
      ratio: 0.1,
      label: 123,
      flag: true,
      seen: new Date(T0 + 123),
      wait: 90_500,
      missing: NaN,
      top: Infinity,
      ts: null,
    });
    expect(rows[1]).toEqual({ user_id: 'u2', amount: -1, count: null, big: null, ratio: null, label: 'x y', flag: null, seen: null, wait: null, missing: null, top: null, ts: null });
    expect(rows[2]).toMatchObject({ user_id: 'nobody', amount: null, label: null });
    expect(await getOnlineFeatures(featureSet(), ['u1'], { features: ['label', 'big'] })).toEqual([{ user_id: 'u1', label: 123, big: 4611686018427387904n }]);
    // Declared features (MLRun YAML spec.features) are what is read.
    expect(await getOnlineFeatures(featureSet({ features: [['amount', 'float'], ['flag', 'bool']] }), ['u1'])).toEqual([{ user_id: 'u1', amount: 12.5, flag: true, ts: null }]);
  });

  it('builds keys for typed entities as storey (str() of an int key), and a table with neither .schema nor the entities is a NotFoundError', async () => {
    await storeySaveKey(redis, key('7'), [['user_id', 7n], ['amount', 1.5]]);
    expect(await getOnlineFeatures(featureSet({ entityType: 'int' }), ['7'])).toEqual([{ user_id: 7, amount: 1.5, ts: null }]);
    expect(await getOnlineFeatures(featureSet(), [7])).toEqual([{ user_id: 7, amount: 1.5, ts: null }]);
    await expect(getOnlineFeatures(featureSet(), ['nobody'])).rejects.toThrow(NotFoundError);
    await expect(getOnlineFeatures(featureSet(), ['nobody'])).rejects.toThrow(`{${prefix}${TABLE}:.schema}`);
  });

  it('returns the same features for the same data whichever tool wrote it', async () => {
    const ours = featureSet();
    await writeAll(ours, [
      batch({ user_id: [types.str, ['u1']], ts: [types.tsMs, [new Date(T0)]], amount: [types.f64, [12.5]], count: [types.i64, [3n]], flag: [types.bool, [true]], seen: [types.tsMs, [new Date(T0 + 123)]] }),
    ]);
    const fromSluice = (await getOnlineFeatures(ours, ['u1']))[0] as Record<string, unknown>;
    await cleanPrefix(redis, prefix);
    await storeySaveKey(redis, key('u1'), [['user_id', 'u1'], ['amount', 12.5], ['count', 3n], ['flag', true], ['seen', new Date(T0 + 123)]]);
    const fromStorey = (await getOnlineFeatures(featureSet(), ['u1']))[0] as Record<string, unknown>;
    expect(Object.keys(fromStorey).sort()).toEqual(Object.keys(fromSluice).sort());
    expect({ ...fromStorey, ts: undefined }).toEqual({ ...fromSluice, ts: undefined });
    expect(fromSluice.ts).toEqual(new Date(T0));
    expect(fromStorey.ts).toBeNull(); // MLRun's online target does not store the timestamp key
  });
});

describe('key_layout mlrun: the keys MLRun builds for redis://host:port/<db>/<table>', () => {
  it('writes where MLRun reads ({/<db>/<table>/:<entity>}:static in database 0) and reads what storey wrote there', async () => {
    const table = uniqueName('mlrun');
    const url = `${services.redisUrl().replace(/\/\d+$/, '')}/2/${table}/users`;
    const fs = new FeatureSet({
      name: 'users',
      project: 'p1',
      entities: ['user_id'],
      timestampKey: 'ts',
      targets: [new DataTargetBase({ kind: 'redisnosql', name: 'online', path: url, attributes: { key_layout: 'mlrun' } })],
    });
    const mlrunKey = (e: string) => `{/2/${table}/users/:${e}}:static`; // storey RedisDriver(key_prefix="/")._make_key("2", "/<table>/users/", e)
    const db0 = new Redis(services.redisUrl().replace(/\/\d+$/, '') + '/0');
    try {
      await writeAll(fs, [batch({ user_id: [types.str, ['u1']], ts: [types.tsMs, [new Date(T0)]], amount: [types.f64, [12.5]] })]);
      expect(await db0.hgetall(mlrunKey('u1'))).toMatchObject({ amount: '12.5', ts: `_dt:${T0 / 1000}` });
      expect(await db0.exists(`{/2/${table}/users/:.schema}`)).toBe(1);
      await storeySaveKey(db0, mlrunKey('u2'), [['user_id', 'u2'], ['amount', 7.25], ['n', 4611686018427387904n]]);
      expect(await getOnlineFeatures(fs, ['u1'])).toEqual([{ user_id: 'u1', ts: new Date(T0), amount: 12.5 }]);
      // Without Sluice's .schema (MLRun wrote the table), the same target reads storey's hashes.
      await db0.del(`{/2/${table}/users/:.schema}`);
      expect(await getOnlineFeatures(fs, ['u2'], { features: ['amount', 'n'] })).toEqual([{ user_id: 'u2', amount: 7.25, n: 4611686018427387904n }]);
    } finally {
      await deleteKeys(db0, `{/2/${table}/*`);
      await db0.quit();
    }
  });
});
