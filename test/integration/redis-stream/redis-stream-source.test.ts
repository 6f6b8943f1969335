/**
 * The redis-stream source against a real Redis: bounded reads, acknowledgement only after every target
 * committed, failing targets, typed fields and bad values, spec errors.
 */
import { writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordBatch } from 'apache-arrow';
import { BadInputError, DataSource, DataTargetBase, FeatureSet, runIngestion, SpecError } from '../../../src/index.js';
import type { Source } from '../../../src/index.js';
import { connector, parseStreamOptions, RedisStreamSource } from '../../../connectors/redis/stream/index.js';
import { builtinConnectors } from '../../../connectors/registry.js';
import { duckQuery } from '../../support/duckdb.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { readAll } from '../../support/read-all.js';

const SCHEMA = { user_id: 'string', amount: 'float64', ts: 'timestamp[ms]' };
const T0 = Date.UTC(2024, 0, 1);

let redis: Redis;
let stream: string;
let group: string;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(() => {
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(async () => {
  stream = uniqueName('rs');
  group = uniqueName('g');
  ({ dir, cleanup } = await tmpDir('sluice-rs-'));
});
afterEach(async () => {
  await redis.del(stream, `${stream}:sluice:${group}`);
  await cleanup();
});

/** Adds n entries `{ user_id: u<i % 7>, amount: i + 0.5, ts: T0 + i s }` and returns their ids. */
async function seed(n: number, from = 0): Promise<string[]> {
  const p = redis.pipeline();
  for (let i = from; i < from + n; i++) p.xadd(stream, '*', 'user_id', `u${i % 7}`, 'amount', String(i + 0.5), 'ts', new Date(T0 + i * 1000).toISOString());
  const res = await p.exec();
  return (res ?? []).map(([, id]) => String(id));
}

function spec(attributes: Record<string, unknown> = {}, extra: Partial<{ keyField: string; timeField: string; name: string }> = {}): DataSource {
  return new DataSource({
    kind: 'redis-stream',
    path: services.redisUrl(),
    keyField: 'user_id',
    timeField: 'ts',
    ...extra,
    attributes: { stream, group, consumer: 'c1', block_ms: 100, claim_idle_ms: 60_000, schema: SCHEMA, ...attributes },
  });
}

function source(attributes: Record<string, unknown> = {}): RedisStreamSource {
  const s = spec(attributes);
  return new RedisStreamSource(parseStreamOptions(s), { spec: s });
}

async function pending(): Promise<number> {
  const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}

const readBatches = async (src: Source) => (await readAll(src)).batches;

const rows = (batches: RecordBatch[]) => batches.reduce((n, b) => n + b.numRows, 0);

function featureSet(s: DataSource, path = `${dir}/offline/`): FeatureSet {
  return new FeatureSet({
    name: 'events',
    project: 'p1',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: s,
    targets: [new DataTargetBase({ kind: 'parquet', name: 'offline', path })],
  });
}

describe('redis-stream source: bounded reads', () => {
  it('ends a read at max_events, acknowledges only on commit, and the next read continues where the last one ended', async () => {
    const ids = await seed(60);
    const src = source({ max_events: 25, count: 10 });
    const first = await readBatches(src);
    expect(rows(first)).toBe(25);
    expect(first[0]!.getChild('user_id')!.get(0)).toBe('u0');
    expect(await pending()).toBe(25);
    expect(src.unacknowledged).toEqual(ids.slice(0, 25));
    await src.commit();
    expect(await pending()).toBe(0);

    const second = await readBatches(src);
    expect(rows(second)).toBe(25);
    expect(second[0]!.getChild('amount')!.get(0)).toBe(25.5);
    expect(src.lastRead).toEqual({ entries: 25, idle: false });
    await src.commit();

    const third = await readBatches(src);
    expect(rows(third)).toBe(10);
    expect(src.lastRead).toEqual({ entries: 10, idle: true }); // batch mode: the stream was idle for one block
    await src.commit();
    expect(await readBatches(src)).toHaveLength(0);
  });

  it('ends a read flush_after_seconds after its first entry even while entries keep coming', async () => {
    await seed(5);
    const src = new RedisStreamSource(parseStreamOptions(spec({ flush_after_seconds: 0.3, count: 1 })), { untilIdle: false });
    let n = 5;
    const adds: Array<Promise<unknown>> = [];
    const producer = setInterval(() => adds.push(redis.xadd(stream, '*', 'user_id', 'u1', 'amount', String(n++), 'ts', new Date(T0).toISOString())), 20);
    const t0 = Date.now();
    try {
      const batches = await readBatches(src);
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(280);
      expect(took).toBeLessThan(1500);
      expect(rows(batches)).toBeGreaterThanOrEqual(5);
      expect(await pending()).toBe(rows(batches));
    } finally {
      clearInterval(producer);
      await Promise.all(adds); // none may land after the cleanup deletes the stream
    }
  });

  it('creates the group with MKSTREAM, from $ only new entries are read', async () => {
    await seed(3);
    const src = source({ start_id: '$' });
    expect(await readBatches(src)).toHaveLength(0);
    await seed(2, 3);
    const batches = await readBatches(src);
    expect(batches[0]!.getChild('amount')!.toArray()).toEqual(Float64Array.from([3.5, 4.5]));

    await redis.del(stream);
    const fresh = source();
    expect(await readBatches(fresh)).toHaveLength(0);
    expect(await redis.type(stream)).toBe('stream'); // MKSTREAM
  });

  it('reclaims entries another consumer left pending longer than claim_idle_ms (XAUTOCLAIM), and a consumer re-reads its own', async () => {
    await seed(10);
    const crashed = source({ consumer: 'crashed', max_events: 6 });
    expect(rows(await readBatches(crashed))).toBe(6); // never committed: 6 pending for "crashed"
    const eager = source({ consumer: 'other', claim_idle_ms: 60_000 });
    expect(rows(await readBatches(eager))).toBe(4); // not idle long enough: only the 4 new ones
    await eager.commit();
    await new Promise((r) => setTimeout(r, 60));
    const rescuer = source({ consumer: 'rescuer', claim_idle_ms: 50 });
    const got = await readBatches(rescuer);
    expect(rows(got)).toBe(6);
    await rescuer.commit();
    expect(await pending()).toBe(0);

    await seed(3, 10);
    const again = source({ consumer: 'c9' });
    expect(rows(await readBatches(again))).toBe(3);
    const sameConsumer = source({ consumer: 'c9' });
    expect(rows(await readBatches(sameConsumer))).toBe(3); // its own pending entries come back at once
    await sameConsumer.commit();
    expect(await pending()).toBe(0);
  });
});

describe('redis-stream source: acknowledged only after commit', () => {
  it('keeps entries pending until every target committed, then acknowledges exactly those', async () => {
    const ids = await seed(40);
    const s = spec({ count: 8 });
    const inner = new RedisStreamSource(parseStreamOptions(s), { spec: s });
    const seen: number[] = [];
    const wrapped: Source & { spec: DataSource } = {
      spec: s,
      description: inner.description,
      schema: () => inner.schema(),
      read: (o) => inner.read(o),
      commit: async () => {
        seen.push(await pending()); // the parquet target has committed; nothing is acknowledged yet
        expect(await duckQuery(`SELECT count(*) AS n FROM read_parquet('${dir}/offline/**/*.parquet')`)).toEqual([{ n: 40 }]);
        await inner.commit();
      },
    };
    const res = await runIngestion(featureSet(s), { connectors: builtinConnectors(), source: wrapped, overwrite: false });
    expect(res.rowsRead).toBe(40);
    expect(seen).toEqual([40]);
    expect(await pending()).toBe(0);
    const out = await duckQuery(`SELECT count(*) AS n, count(DISTINCT amount) AS d, min(amount) AS lo FROM read_parquet('${dir}/offline/**/*.parquet')`);
    expect(out).toEqual([{ n: 40, d: 40, lo: 0.5 }]);
    expect(ids).toHaveLength(40);
  });

  it('a failing target leaves the entries pending; a later run reads them again and acknowledges them', async () => {
    await seed(30);
    const blocker = `${dir}/not-a-dir`;
    await writeFile(blocker, 'a file where the target wants a directory');
    const s = spec({ count: 10 });
    const src = new RedisStreamSource(parseStreamOptions(s), { spec: s });
    await expect(runIngestion(featureSet(s, `${blocker}/offline/`), { connectors: builtinConnectors(), source: src, overwrite: false })).rejects.toThrow(/not-a-dir/);
    const left = await pending();
    expect(left).toBeGreaterThan(0);
    expect(left).toBe(src.unacknowledged.length);

    const res = await runIngestion(featureSet(s), { connectors: builtinConnectors(), source: src, overwrite: false });
    expect(res.rowsRead).toBe(30); // own pending entries first, then the rest
    expect(await pending()).toBe(0);
    expect(await duckQuery(`SELECT count(*) AS n, count(DISTINCT amount) AS d FROM read_parquet('${dir}/offline/**/*.parquet')`)).toEqual([{ n: 30, d: 30 }]);
  });
});

describe('redis-stream source: fields and types', () => {
  it('parses declared types from the entries\' strings, adds the id column, and reads missing and empty fields as null', async () => {
    const id1 = await redis.xadd(stream, '*', 'user_id', 'a', 'n', '42', 'x', '1.25', 'ok', 'true', 'ts', '2024-03-01T10:00:00Z', 'day', '2024-03-01', 'extra', 'ignored');
    const id2 = await redis.xadd(stream, '*', 'user_id', 'b', 'n', '', 'ok', 'false', 'ts', '1709287200000');
    const src = source({
      schema: { user_id: 'string', n: 'int64', x: 'float64', ok: 'bool', ts: { type: 'timestamp', unit: 'ms' }, day: 'date' },
      id_column: 'entry_id',
    });
    const [b] = await readBatches(src);
    expect(b!.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'user_id:Utf8', 'n:Int64', 'x:Float64', 'ok:Bool', 'ts:Timestamp<MICROSECOND, UTC>', 'day:Date32<DAY>', 'entry_id:Utf8',
    ]);
    expect(b!.toArray().map((r) => r.toJSON())).toEqual([
      { user_id: 'a', n: 42n, x: 1.25, ok: true, ts: Date.UTC(2024, 2, 1, 10), day: Date.UTC(2024, 2, 1), entry_id: id1 },
      { user_id: 'b', n: null, x: null, ok: false, ts: 1709287200000, day: null, entry_id: id2 },
    ]);
    expect(await src.schema()).toEqual(b!.schema);
  });

  it('stops at a value that does not fit its column, naming stream, entry id, field and value; nothing is acknowledged', async () => {
    await seed(3);
    const bad = await redis.xadd(stream, '*', 'user_id', 'u9', 'amount', 'twelve', 'ts', new Date(T0).toISOString());
    const src = source();
    const err = await readBatches(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toContain(`redis stream ${stream} entry ${bad}, field \`amount\`: "twelve" does not fit`);
    expect((err as Error).message).toContain('on_bad_row');
    expect(await pending()).toBe(4);
  });

  it('on_bad_row: skip counts the bad entry and still acknowledges it after the commit', async () => {
    await seed(3);
    await redis.xadd(stream, '*', 'user_id', 'u9', 'amount', '1', 'ts', 'not a time');
    const s = spec({ on_bad_row: 'skip' });
    const src = new RedisStreamSource(parseStreamOptions(s), { spec: s });
    const res = await runIngestion(featureSet(s), { connectors: builtinConnectors(), source: src, overwrite: false });
    expect(res.rowsRead).toBe(3);
    expect(res.rowsSkipped).toBe(1);
    expect(await pending()).toBe(0);
  });

  it('a null key stops the run (the key check of ingestion) and leaves the entries pending', async () => {
    await redis.xadd(stream, '*', 'amount', '1', 'ts', new Date(T0).toISOString());
    const s = spec();
    const src = new RedisStreamSource(parseStreamOptions(s), { spec: s });
    await expect(runIngestion(featureSet(s), { connectors: builtinConnectors(), source: src, overwrite: false })).rejects.toThrow(/user_id/);
    expect(await pending()).toBe(1);
  });
});

describe('redis-stream source: spec', () => {
  it('refuses bad settings with the key and the value', () => {
    const bad = (attributes: Record<string, unknown>, extra: Partial<{ keyField: string; timeField: string; name: string }> = {}, path?: string) => () => {
      const s = spec(attributes, extra);
      if (path !== undefined) s.path = path;
      return connector.parseSpec!(s);
    };
    expect(bad({ stream: undefined })).toThrow(/attributes\.stream is required/);
    expect(bad({ schema: undefined })).toThrow(/attributes\.schema is required/);
    expect(bad({ schema: { user_id: 'text' } })).toThrow(/attributes\.schema\.user_id: "text" is not a column type/);
    expect(bad({ count: 0 })).toThrow(/attributes\.count: 0 is not an integer >= 1/);
    expect(bad({ start_id: '1-0' })).toThrow(/attributes\.start_id: "1-0" is not accepted; expected "0"/);
    expect(bad({ flush_after_seconds: -1 })).toThrow(/flush_after_seconds: -1/);
    expect(bad({ on_bad_row: 'quarantine' })).toThrow(/quarantine_path is required/);
    expect(bad({}, { timeField: 'when' })).toThrow(/time_field `when` is not a column; declare it in attributes\.schema/);
    expect(bad({ group: undefined })).toThrow(/attributes\.group is required/);
    expect(bad({}, {}, 'postgres://x/y')).toThrow(/is not a Redis URL/);
    const withPassword = bad({}, {}, 'redis://user:s3cret@127.0.0.1:6379/0');
    expect(withPassword).toThrow(SpecError);
    expect(withPassword).toThrow(/REDIS_PASSWORD/);
    expect(withPassword).not.toThrow(/s3cret/);
  });

  it('defaults: group sluice-<source name>, consumer <host>-<pid>, count 1000, block 1000 ms, claim 60 s, 10,000 events, 60 s', () => {
    const o = parseStreamOptions(spec({ group: undefined, consumer: undefined, block_ms: undefined, claim_idle_ms: undefined }, { name: 'clicks' }));
    expect(o).toMatchObject({ group: 'sluice-clicks', count: 1000, blockMs: 1000, claimIdleMs: 60_000, maxEvents: 10_000, flushAfterSeconds: 60, startId: '0' });
    expect(o.consumer).toMatch(new RegExp(`-${process.pid}$`));
    expect(parseStreamOptions(spec({ group: undefined }), { featureSetName: 'events' }).group).toBe('sluice-events');
  });

  it('is reachable through the connector registry by kind', async () => {
    const { loadConnector } = await import('../../../connectors/registry.js');
    const m = await loadConnector('redis-stream');
    expect(m.kind).toBe('redis-stream');
    await seed(2);
    const src = m.createSource!(spec(), {});
    expect(rows(await readBatches(src))).toBe(2);
    await src.commit!();
    expect(await pending()).toBe(0);
  });
});
