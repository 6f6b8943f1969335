import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/index.js';
import { OnlineStore } from '../../../connectors/redis/index.js';
import { uniqueName } from '../../support/services.js';
import { batch, featureSet, startRedisServer, types, writeAll } from './redis-test-kit.js';

let server: Awaited<ReturnType<typeof startRedisServer>>;
let admin: Redis;
const T0 = Date.UTC(2024, 0, 5);

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis({ port: server.port });
});
afterAll(async () => {
  await admin.quit();
  await server.stop();
});

/** Calls of one command so far (INFO commandstats). */
async function calls(cmd: string): Promise<number> {
  const m = new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(await admin.info('commandstats'));
  return Number(m?.[1] ?? 0);
}

describe('OnlineStore: a reader that keeps its connection and the table schema', () => {
  it('serves batched lookups from one connection without re-reading .schema: typed values, a feature subset, nulls for missing entities', async () => {
    const fs = featureSet({ prefix: `${uniqueName('os')}:`, timestampKey: 'ts', path: `redis://127.0.0.1:${server.port}` });
    await writeAll(fs, [
      batch({ id: [types.str, ['u1', 'u2']], ts: [types.tsMs, [new Date(T0), new Date(T0 + 1)]], n: [types.i64, [42n, 9007199254740993n]], code: [types.str, ['123', 'x']], ok: [types.bool, [true, false]] }),
    ]);
    const store = await OnlineStore.open(fs);
    try {
      const gets = await calls('get');
      const conns = Number(/total_connections_received:(\d+)/.exec(await admin.info('stats'))?.[1]);
      const hmgets = await calls('hmget');
      expect(await store.get(['u1', { id: 'nobody' }, ['u2']])).toEqual([
        { id: 'u1', ts: new Date(T0), n: 42, code: '123', ok: true },
        { id: 'nobody', ts: null, n: null, code: null, ok: null },
        { id: 'u2', ts: new Date(T0 + 1), n: 9007199254740993n, code: 'x', ok: false },
      ]);
      expect(await store.get(['u2', 'u1'], { features: ['code'] })).toEqual([{ id: 'u2', code: 'x' }, { id: 'u1', code: '123' }]);
      expect(await store.get([])).toEqual([]);
      // One HMGET per entity, no further .schema read, no new connection.
      expect(await calls('hmget')).toBe(hmgets + 5);
      expect(await calls('get')).toBe(gets);
      expect(Number(/total_connections_received:(\d+)/.exec(await admin.info('stats'))?.[1])).toBe(conns);
      await expect(store.get(['u1'], { features: ['nope'] })).rejects.toThrow(/feature "nope" is not in table .*features: ts, n, code, ok/);
    } finally {
      await store.close();
    }
    await expect(store.get(['u1'])).rejects.toThrow(BadInputError);
  });

  it('picks up a feature a later run added (re-reads .schema once when asked for an unknown feature)', async () => {
    const fs = featureSet({ prefix: `${uniqueName('os')}:`, timestampKey: 'ts', path: `redis://127.0.0.1:${server.port}` });
    await writeAll(fs, [batch({ id: [types.str, ['u1']], ts: [types.tsMs, [new Date(T0)]], a: [types.f64, [1.5]] })]);
    const store = await OnlineStore.open(fs);
    try {
      expect(await store.get(['u1'])).toEqual([{ id: 'u1', ts: new Date(T0), a: 1.5 }]);
      await writeAll(fs, [batch({ id: [types.str, ['u1']], ts: [types.tsMs, [new Date(T0 + 1)]], b: [types.str, ['new']] })]);
      expect(await store.get(['u1'], { features: ['b', 'a'] })).toEqual([{ id: 'u1', b: 'new', a: 1.5 }]);
    } finally {
      await store.close();
    }
  });
});
