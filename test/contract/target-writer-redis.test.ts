/** The TargetWriter contract for the Redis online store (a key prefix per test; not transactional, see the capability). */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connector } from '../../connectors/redis/index.js';
import { DataTargetBase, FeatureSet, withTargetLifecycle } from '../../src/index.js';
import { deleteKeys } from '../support/redis-keys.js';
import { services, uniqueName } from '../support/services.js';
import { targetWriterContract } from './target-writer.contract.js';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await redis.quit();
});

async function keysUnder(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out.sort();
}

targetWriterContract('RedisTargetWriter', async () => {
  const prefix = `${uniqueName('tw')}:`;
  const fs = new FeatureSet({
    name: 'contract', project: 'p1', entities: ['id'], timestampKey: 'ts',
    targets: [new DataTargetBase({ kind: 'redisnosql', name: 'online', path: services.redisUrl(), attributes: { key_prefix: prefix } })],
  });
  return {
    // Every write is sent at once (the online store has no staging), so `eager` changes nothing.
    // As the core runs it: inside withTargetLifecycle.
    open: async (runId) => withTargetLifecycle(await connector.createTarget(fs.spec.targets[0] as DataTargetBase, { featureSet: fs, runId, overwrite: false, keyFields: ['id'], timeField: 'ts' }), 'online'),
    visible: async () => {
      const out = new Map<string, string>();
      for (const k of await keysUnder(prefix)) out.set(k, JSON.stringify((await redis.type(k)) === 'hash' ? await redis.hgetall(k) : await redis.get(k)));
      return out;
    },
    rowIds: async () => (await keysUnder(prefix)).map((k) => /:(\d+)\}:static$/.exec(k)?.[1]).filter((id) => id !== undefined).map(Number).sort((a, b) => a - b),
    cleanup: () => deleteKeys(redis, `{${prefix}*`),
  };
}, { transactional: false });
