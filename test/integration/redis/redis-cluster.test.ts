import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOnlineFeatures } from '../../../connectors/redis/index.js';
import { keySlot } from '../../../connectors/redis/key-slot.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { uniqueName } from '../../support/services.js';
import { batch, featureSet, freePort, openWriter, startRedisServer, types } from './redis-test-kit.js';

const run = promisify(execFile);

/** A free port whose cluster bus port (+10000) is free as well. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p > 55_000 || taken.has(p)) continue;
    const bus = await new Promise<boolean>((resolve) => {
      import('node:net').then(({ createServer }) => {
        const s = createServer();
        s.once('error', () => resolve(false));
        s.listen(p + 10_000, '127.0.0.1', () => s.close(() => resolve(true)));
      }, () => resolve(false));
    });
    if (bus) return p;
  }
}

let servers: Array<Awaited<ReturnType<typeof startRedisServer>>> = [];
let cleanup: () => Promise<void> = async () => undefined;
let ports: number[] = [];

beforeAll(async () => {
  const t = await tmpDir('sluice-redis-cluster-');
  cleanup = t.cleanup;
  const taken = new Set<number>();
  for (let i = 0; i < 3; i++) {
    const p = await clusterPort(taken);
    taken.add(p);
    servers.push(await startRedisServer(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`], t.dir, p));
  }
  ports = servers.map((s) => s.port);
  await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes'], { timeout: 30_000 });
  // Wait until every node agrees that all slots are served.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const infos = await Promise.all(ports.map(async (p) => (await run('redis-cli', ['-p', String(p), 'cluster', 'info'])).stdout));
    if (infos.every((s) => s.includes('cluster_state:ok'))) break;
    if (Date.now() > deadline) throw new Error('the local Redis Cluster did not reach cluster_state:ok');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
  await cleanup();
});

describe('redis target on a Redis Cluster (3 local masters)', () => {
  it('detects the cluster, writes entities spread over all slots with the guard, overwrites via SCAN on every master, and reads back', async () => {
    const prefix = `${uniqueName('slc')}:`;
    const url = `redis://127.0.0.1:${ports[0]}`;
    const fs = featureSet({ prefix, timestampKey: 'ts', path: url, attributes: { ttl_seconds: 600 } });
    const ids = Array.from({ length: 300 }, (_, i) => `e${i}`);
    const t0 = Date.UTC(2024, 0, 1);
    const w = await openWriter(fs);
    await w.write(batch({ id: [types.str, ids], ts: [types.tsMs, ids.map(() => new Date(t0 + 1000))], v: [types.i64, ids.map((_, i) => BigInt(i))] }));
    expect(await w.commit()).toMatchObject({ rows: 300, rowsSkipped: 0 });
    const w2 = await openWriter(fs);
    await w2.write(batch({ id: [types.str, ['e1']], ts: [types.tsMs, [new Date(t0)]], v: [types.i64, [-1n]] }));
    expect(await w2.commit()).toMatchObject({ rows: 0, rowsSkipped: 1 });

    const cluster = new Cluster([{ host: '127.0.0.1', port: ports[0] as number }]);
    try {
      const key = `{${prefix}projects/p1/featuresets/users/:e1}:static`;
      expect(await cluster.hget(key, 'v')).toBe('1');
      expect(await cluster.ttl(key)).toBeGreaterThan(590);
      // Keys landed on every master.
      const counts = await Promise.all(cluster.nodes('master').map((n) => n.dbsize()));
      expect(counts.every((c) => c > 0)).toBe(true);
      const rows = await getOnlineFeatures(fs, ['e0', 'e1', 'e299', 'nobody']);
      expect(rows.map((r) => r.v)).toEqual([0, 1, 299, null]);

      await (await openWriter(fs, { overwrite: true })).commit();
      const left = await Promise.all(cluster.nodes('master').map((n) => n.dbsize()));
      expect(left.reduce((a, b) => a + b, 0)).toBe(0);
    } finally {
      await cluster.quit();
    }
  });

  it('writes a key into every one of the 16,384 slots (calls grouped by node across slots, one pipeline per node), guarded, and reads them back', async () => {
    const prefix = `${uniqueName('slot')}:`;
    const url = `redis://127.0.0.1:${ports[0]}`;
    const fs = featureSet({ prefix, timestampKey: 'ts', path: url, maxEvents: 40_000, attributes: { rows_per_call: 50, batch_size: 40_000 } });
    const tag = (id: string) => `${prefix}projects/p1/featuresets/users/:${id}`;
    // Two entities per slot, so calls really hold several rows of one slot.
    const perSlot = new Uint8Array(16_384);
    const ids: string[] = [];
    for (let i = 0; ids.length < 2 * 16_384; i++) {
      const id = `e${i}`;
      const s = keySlot(tag(id));
      if ((perSlot[s] as number) < 2) {
        perSlot[s] = (perSlot[s] as number) + 1;
        ids.push(id);
      }
    }
    const t0 = Date.UTC(2024, 0, 1);
    const rows = (t: number, tag2: string) => batch({ id: [types.str, ids], ts: [types.tsMs, ids.map(() => new Date(t))], v: [types.str, ids.map((id) => `${id}-${tag2}`)] });
    const w = await openWriter(fs);
    await w.write(rows(t0 + 1000, 'new'));
    expect(await w.commit()).toMatchObject({ rows: ids.length, rowsSkipped: 0 });
    const replay = await openWriter(fs);
    await replay.write(rows(t0, 'old'));
    expect(await replay.commit()).toMatchObject({ rows: 0, rowsSkipped: ids.length });

    const cluster = new Cluster([{ host: '127.0.0.1', port: ports[0] as number }]);
    try {
      // Our slot function agrees with the server's, and every slot holds its two entities.
      for (const id of ids.slice(0, 20)) expect(await cluster.cluster('KEYSLOT', `{${tag(id)}}:static`)).toBe(keySlot(tag(id)));
      const counts = await Promise.all(cluster.nodes('master').map((n) => n.dbsize()));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(ids.length + 1); // + .schema
      const back = await getOnlineFeatures(fs, ids);
      expect(back.map((r) => r.v)).toEqual(ids.map((id) => `${id}-new`));
    } finally {
      await cluster.quit();
    }
  }, 120_000);
});
