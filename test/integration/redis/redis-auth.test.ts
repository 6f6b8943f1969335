import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/index.js';
import { getOnlineFeatures } from '../../../connectors/redis/index.js';
import { uniqueName } from '../../support/services.js';
import { batch, featureSet, openWriter, startRedisServer, types, writeAll } from './redis-test-kit.js';

const PASSWORD = `pw-${uniqueName('secret')}`;
let server: Awaited<ReturnType<typeof startRedisServer>>;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer(['--requirepass', PASSWORD]);
  admin = new Redis({ port: server.port, host: '127.0.0.1', password: PASSWORD });
}, 30_000);
afterAll(async () => {
  await admin.quit();
  await server.stop();
});

describe('redis target: credentials from the secrets (throwaway redis-server with requirepass)', () => {
  it('authenticates with REDIS_PASSWORD from the secrets, for the writer and the reader', async () => {
    const prefix = `${uniqueName('sa')}:`;
    const fs = featureSet({ prefix, path: `redis://127.0.0.1:${server.port}/1` });
    await writeAll(fs, [batch({ id: [types.str, ['u1']], v: [types.str, ['secret-protected']] })], { secrets: { REDIS_PASSWORD: PASSWORD } });
    await admin.select(1);
    expect(await admin.hget(`{${prefix}projects/p1/featuresets/users/:u1}:static`, 'v')).toBe('secret-protected');
    const rows = await getOnlineFeatures(fs, ['u1'], { secrets: { get: (k) => (k === 'REDIS_PASSWORD' ? PASSWORD : undefined) } });
    expect(rows).toEqual([{ id: 'u1', v: 'secret-protected' }]);
  });

  it('uses <credentials_prefix>_REDIS_USER / _REDIS_PASSWORD when the target sets credentials_prefix', async () => {
    const prefix = `${uniqueName('sb')}:`;
    const fs = featureSet({ prefix, path: `redis://127.0.0.1:${server.port}`, credentialsPrefix: 'ONLINE' });
    const res = await writeAll(fs, [batch({ id: [types.str, ['u1']], v: [types.i64, [5n]] })], { secrets: { ONLINE_REDIS_USER: 'default', ONLINE_REDIS_PASSWORD: PASSWORD, REDIS_PASSWORD: 'wrong' } });
    expect(res.rows).toBe(1);
  });

  it('without the secret, or with a wrong one, fails naming the secrets and never showing the password', async () => {
    const fs = featureSet({ prefix: `${uniqueName('sc')}:`, path: `redis://127.0.0.1:${server.port}` });
    const missing = await openWriter(fs).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SluiceError);
    expect((missing as Error).message).toMatch(/NOAUTH.*set the secrets REDIS_USER and REDIS_PASSWORD/);
    const wrong = await openWriter(fs, { secrets: { REDIS_PASSWORD: `${PASSWORD}-x` } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(SluiceError);
    expect((wrong as Error).message).toMatch(/WRONGPASS|invalid/);
    expect((wrong as Error).message).not.toContain(PASSWORD);
  });

  it('recovers from NOSCRIPT (script cache flushed while a writer is open) by loading the script again', async () => {
    const prefix = `${uniqueName('sd')}:`;
    // max_events 1: each entity is sent as the next one arrives; one pipeline in flight, so only the first meets NOSCRIPT.
    const fs = featureSet({ prefix, timestampKey: 'ts', path: `redis://127.0.0.1:${server.port}`, maxEvents: 1, attributes: { max_in_flight: 1 } });
    const w = await openWriter(fs, { secrets: { REDIS_PASSWORD: PASSWORD } });
    await w.write(batch({ id: [types.str, ['u1']], ts: [types.tsMs, [new Date(1000)]], v: [types.i64, [1n]] }));
    await new Promise((r) => setTimeout(r, 50));
    await admin.script('FLUSH');
    await w.write(batch({ id: [types.str, ['u2', 'u1']], ts: [types.tsMs, [new Date(1000), new Date(500)]], v: [types.i64, [2n, 0n]] }));
    expect(await w.commit()).toMatchObject({ rows: 2, rowsSkipped: 1 });
    expect(await admin.info('errorstats')).toMatch(/errorstat_NOSCRIPT:count=1/);
    await admin.select(0);
    expect(await admin.hget(`{${prefix}projects/p1/featuresets/users/:u2}:static`, 'v')).toBe('2');
    expect(await admin.hget(`{${prefix}projects/p1/featuresets/users/:u1}:static`, 'v')).toBe('1');
  });
});
