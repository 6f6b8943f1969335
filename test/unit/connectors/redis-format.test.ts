import { Bool, Dictionary, Float32, Float64, Int32, Int64, TimeUnit, Timestamp, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataTargetBase, FeatureSet, SpecError } from '../../../src/index.js';
import {
  DEFAULT_KEY_PREFIX,
  decodeStoreyValue,
  decodeValue,
  encodeColumn,
  encodeFloat32,
  encodeTimestamp,
  entityString,
  hashKey,
  keyValueString,
  parseRedisTarget,
  parseRedisUrl,
  schemaKey,
  tablePattern,
} from '../../../connectors/redis/index.js';
import { parseCliKey } from '../../../src/cli/commands/online.js';

const data = (values: unknown[], type: DataType) => vectorFromArray(values as never[], type).data[0] as Data;
const fs = new FeatureSet({ name: 'users', project: 'p1', entities: ['id'] });

describe('redis key layout', () => {
  it('builds storey keys: hash tag, table, entity string and :static', () => {
    expect(DEFAULT_KEY_PREFIX).toBe('sluice:');
    expect(hashKey('sluice:', 'projects/p1/featuresets/users/', 'u1')).toBe('{sluice:projects/p1/featuresets/users/:u1}:static');
    expect(schemaKey('sluice:', 'projects/p1/featuresets/users/')).toBe('{sluice:projects/p1/featuresets/users/:.schema}');
    expect(entityString(['u1'])).toBe('u1');
    expect(entityString(['u1', '7'])).toBe('u1.7');
    // python3: hashlib.sha1('42x.y'.encode()).hexdigest()
    expect(entityString(['u1', '42', 'x.y'])).toBe('u1.d88eb8362c7db702e844ce9579b4d40bcab846c4');
    expect(tablePattern('a*b:', 't[1]/')).toBe('{a\\*b:t\\[1\\]/:*');
  });

  it('turns reader key values into the writer’s Python str() forms by stored type', () => {
    expect(keyValueString('7', { name: 'k', type: 'int64' })).toBe('7');
    expect(keyValueString(2, { name: 'k', type: 'float64' })).toBe('2.0');
    expect(keyValueString('true', { name: 'k', type: 'bool' })).toBe('True');
    expect(keyValueString(new Date(Date.UTC(2024, 0, 5, 1, 2, 3, 450)), { name: 'k', type: 'timestamp', unit: 'us' })).toBe('2024-01-05 01:02:03.450000');
    expect(() => keyValueString('x', { name: 'k', type: 'int64' })).toThrow(/entity "k": "x" is not an integer/);
  });
});

describe('redis value encoding', () => {
  it('encodes numbers shortest round-trip, booleans, strings raw, nulls as null', () => {
    expect(encodeColumn(data([1, null, 2.5, 3.0, NaN, Infinity, -Infinity, 1e21, 0.1], new Float64()))).toEqual(['1', null, '2.5', '3', 'nan', 'inf', '-inf', '1e+21', '0.1']);
    expect(encodeColumn(data([0.1, 1.5], new Float32()))).toEqual(['0.1', '1.5']);
    expect(encodeFloat32(Math.fround(3.14159))).toBe('3.14159');
    expect(encodeColumn(data([-5n, 9007199254740993n, null], new Int64()))).toEqual(['-5', '9007199254740993', null]);
    expect(encodeColumn(data([true, false, null], new Bool()))).toEqual(['true', 'false', null]);
    expect(encodeColumn(data(['123', '', 'ünï', null], new Utf8()))).toEqual(['123', '', 'ünï', null]);
    const dict = vectorFromArray(['a', 'b', 'a', null], new Dictionary(new Utf8(), new Int32())).data[0] as Data;
    expect(encodeColumn(dict)).toEqual(['a', 'b', 'a', null]);
  });

  it('encodes timestamps as exact _dt:<epoch seconds> in every unit, slices included', () => {
    expect(encodeTimestamp(1_700_000_000_123, TimeUnit.MILLISECOND)).toBe('_dt:1700000000.123');
    expect(encodeTimestamp(1_700_000_000_000, TimeUnit.MILLISECOND)).toBe('_dt:1700000000');
    expect(encodeTimestamp(1_700_000_000_123_456_789n, TimeUnit.NANOSECOND)).toBe('_dt:1700000000.123456789');
    expect(encodeTimestamp(-1_500, TimeUnit.MILLISECOND)).toBe('_dt:-1.5');
    const ts = makeVector(makeData({ type: new Timestamp(TimeUnit.MICROSECOND, 'UTC'), length: 3, nullCount: 0, data: BigInt64Array.from([1n, 2_000_000n, 3_500_000n]) }));
    expect(encodeColumn((ts.data[0] as Data).slice(1, 2))).toEqual(['_dt:2', '_dt:3.5']);
  });

  it('decodes by the stored type, never guessing', () => {
    expect(decodeValue('123', { name: 'x', type: 'string' })).toBe('123');
    expect(decodeValue('123', { name: 'x', type: 'int64' })).toBe(123);
    expect(decodeValue('9007199254740993', { name: 'x', type: 'int64' })).toBe(9007199254740993n);
    expect(decodeValue('nan', { name: 'x', type: 'float64' })).toBeNaN();
    expect(decodeValue('-inf', { name: 'x', type: 'float64' })).toBe(-Infinity);
    expect(decodeValue('false', { name: 'x', type: 'bool' })).toBe(false);
    expect(decodeValue('_dt:1700000000.123456', { name: 'x', type: 'timestamp', unit: 'us' })).toEqual(new Date(1_700_000_000_123));
    expect(decodeValue('_dt:-1.5', { name: 'x', type: 'timestamp', unit: 'ms' })).toEqual(new Date(-1500));
    expect(decodeValue(null, { name: 'x', type: 'int64' })).toBeNull();
  });
});

describe('reading what storey wrote (no .schema): storey/redis_driver.py convert_redis_value_to_python_obj', () => {
  it('decodes _dt:, _td:, inf, NaN as 0/0, booleans and numbers as storey does', () => {
    expect(decodeStoreyValue('_dt:1704448800.123')).toEqual(new Date(1_704_448_800_123));
    expect(decodeStoreyValue('_DT:1704448800.0')).toEqual(new Date(1_704_448_800_000));
    expect(decodeStoreyValue('_td:90.5')).toBe(90_500); // a duration, in milliseconds
    expect(decodeStoreyValue('inf')).toBe(Infinity);
    expect(decodeStoreyValue('-inf')).toBe(-Infinity);
    expect(decodeStoreyValue('math.huge')).toBe(Infinity);
    expect(decodeStoreyValue('-math.huge')).toBe(-Infinity);
    for (const nan of ['0/0', '-0/0', 'nan', '-nan', 'NaN']) expect(decodeStoreyValue(nan)).toBeNaN();
    expect(decodeStoreyValue('True')).toBe(true);
    expect(decodeStoreyValue('false')).toBe(false);
    expect(decodeStoreyValue('42')).toBe(42);
    expect(decodeStoreyValue('123')).toBe(123); // storey guesses: a string "123" comes back as a number
    expect(decodeStoreyValue('0.10000000000000001')).toBe(0.1); // Lua's %.17g of 0.1
    expect(decodeStoreyValue('4.6116860184273879e+18')).toBe(4611686018427387904n); // an integer through a Lua double
    expect(decodeStoreyValue('1e-05')).toBe(0.00001);
    expect(decodeStoreyValue('9007199254740993')).toBe(9007199254740993n);
    expect(decodeStoreyValue('u1')).toBe('u1');
    expect(decodeStoreyValue('1.2.3')).toBe('1.2.3');
    expect(decodeStoreyValue('')).toBe('');
    expect(decodeStoreyValue(null)).toBeNull();
  });
});

describe('redis target settings', () => {
  it('parses URL, db index, table path and attributes', () => {
    expect(parseRedisUrl('rediss://cache.example:6380/2', 'p')).toEqual({ tls: true, host: 'cache.example', port: 6380, db: 2, display: 'rediss://cache.example:6380/2' });
    expect(parseRedisUrl('redis://h/projects/x', 'p')).toMatchObject({ db: 0, table: 'projects/x/', port: 6379 });
    const s = parseRedisTarget(new DataTargetBase({ kind: 'redisnosql', path: 'redis://h:1/3', attributes: { key_prefix: 'x:', ttl_seconds: 60, batch_size: 10 } }), fs);
    expect(s).toMatchObject({ keyPrefix: 'x:', ttlSeconds: 60, batchSize: 10, maxInFlight: 4, rowsPerCall: 50, table: 'projects/p1/featuresets/users/' });
  });

  it('key_layout mlrun builds the keys MLRun builds for the same URL: db index kept in the table, database 0, prefix "/"', () => {
    const t = (path: string, attributes: Record<string, unknown> = {}) => parseRedisTarget(new DataTargetBase({ kind: 'redisnosql', name: 'o', path, attributes }), fs);
    const m = t('redis://h:6379/0/some/table', { key_layout: 'mlrun' });
    expect(m).toMatchObject({ keyPrefix: '/', table: '0/some/table/' });
    expect(m.endpoint).toMatchObject({ db: 0, host: 'h', port: 6379 });
    expect(hashKey(m.keyPrefix, m.table, 'k')).toBe('{/0/some/table/:k}:static'); // storey RedisDriver._make_key("/", "0", "/some/table/", k)
    expect(t('redis://h/2/t', { key_layout: 'mlrun' })).toMatchObject({ keyPrefix: '/', table: '2/t/', endpoint: { db: 0 } });
    expect(t('redis://h/t', { key_layout: 'mlrun', key_prefix: 'x:' })).toMatchObject({ keyPrefix: 'x:', table: 't/' });
    // The default layout is unchanged: the first numeric segment selects the database.
    expect(t('redis://h/2/t')).toMatchObject({ keyPrefix: 'sluice:', table: 't/', endpoint: { db: 2 } });
    expect(t('redis://h/2/t', { key_layout: 'sluice' })).toMatchObject({ table: 't/', endpoint: { db: 2 } });
    expect(() => t('redis://h/2/t', { key_layout: 'storey' })).toThrow(/attributes.key_layout: "storey" must be "sluice" or "mlrun"/);
  });

  it('refuses credentials in the URL, unknown attributes and bad values, naming them', () => {
    expect(() => parseRedisUrl('redis://u:topsecret@h:6379/0', 'target "t".path')).toThrow(/carries a user or password.*REDIS_USER and REDIS_PASSWORD/);
    expect(() => parseRedisUrl('redis://u:topsecret@h:6379/0', 'p')).not.toThrow(/topsecret/);
    expect(() => parseRedisUrl('http://h', 'p')).toThrow(SpecError);
    const t = (attributes: Record<string, unknown>) => parseRedisTarget(new DataTargetBase({ kind: 'redisnosql', name: 'o', path: 'redis://h', attributes }), fs);
    expect(() => t({ ttl: 5 })).toThrow(/unknown key "ttl" \(value 5\); accepted keys: key_prefix, ttl_seconds/);
    expect(() => t({ ttl_seconds: -1 })).toThrow(/attributes.ttl_seconds: -1 must be a positive integer/);
    expect(() => t({ cluster: 'yes' })).toThrow(/attributes.cluster: "yes" must be true or false/);
  });

  it('parses command-line keys for multi-column entities', () => {
    expect(parseCliKey('u1.x', ['id'])).toBe('u1.x');
    expect(parseCliKey('a.7', ['a', 'b'])).toEqual(['a', '7']);
    expect(parseCliKey('["a.b", 7]', ['a', 'b'])).toEqual(['a.b', 7]);
    expect(() => parseCliKey('a.b.c', ['a', 'b'])).toThrow(/3 dot-separated part\(s\); the entity has 2 columns/);
  });
});
