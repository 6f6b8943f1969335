import type { Cluster } from 'ioredis';
import { keySlot } from './key-slot.js';
import type { RedisConnection } from './redis-connection.js';

type Pipeline = ReturnType<RedisConnection['client']['pipeline']>;

/**
 * One command per key in one round trip: a single pipeline on a standalone server; on a cluster one pipeline per
 * node (keys grouped by the node that serves their slot), all nodes at once. Replies come back in key order.
 */
async function perKey<T>(conn: RedisConnection, keys: readonly string[], add: (p: Pipeline, key: string) => void): Promise<T[]> {
  const run = async (p: Pipeline, idx: number[], out: T[]) => {
    for (const i of idx) add(p, keys[i] as string);
    const res = (await p.exec()) ?? [];
    res.forEach(([err, r], j) => {
      if (err) throw err;
      out[idx[j] as number] = r as T;
    });
  };
  const out = new Array<T>(keys.length);
  if (!conn.isCluster) {
    await run(conn.client.pipeline(), keys.map((_, i) => i), out);
    return out;
  }
  const cluster = conn.client as Cluster;
  const byNode = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const node = cluster.slots[keySlot(k)]?.[0] ?? '';
    const list = byNode.get(node);
    if (list) list.push(i);
    else byNode.set(node, [i]);
  });
  await Promise.all([...byNode.values()].map((idx) => run(cluster.pipeline(), idx, out)));
  return out;
}

/** HMGET of some fields of every key, in one round trip (see {@link perKey}). */
export async function hashFields(conn: RedisConnection, keys: readonly string[], fields: readonly string[], table: string): Promise<Array<Array<string | null>>> {
  if (fields.length === 0) return keys.map(() => []);
  try {
    return await perKey<Array<string | null>>(conn, keys, (p, k) => p.hmget(k, ...fields));
  } catch (err) {
    throw conn.fail(err, `HMGET of ${keys.length} entities in table ${table}`);
  }
}

/** HGETALL of every key, in one round trip. */
export async function wholeHashes(conn: RedisConnection, keys: readonly string[], table: string): Promise<Array<Record<string, string>>> {
  try {
    return await perKey<Record<string, string>>(conn, keys, (p, k) => p.hgetall(k));
  } catch (err) {
    throw conn.fail(err, `HGETALL of ${keys.length} entities in table ${table}`);
  }
}

/** Whether any of the keys exists (only asked when every requested field came back empty). */
export async function anyExists(conn: RedisConnection, keys: readonly string[]): Promise<boolean> {
  try {
    const counts = await perKey<number>(conn, keys, (p, k) => p.exists(k));
    return counts.some((c) => c > 0);
  } catch (err) {
    throw conn.fail(err, `EXISTS of ${keys.length} entities`);
  }
}
