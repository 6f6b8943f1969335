import type { RedisConnection } from './redis-connection.js';

/**
 * Removes every key matching `pattern` (a table's entity hashes and `.schema`): SCAN MATCH on every master
 * (never KEYS) and UNLINK in batches. On a cluster each key is unlinked alone (keys of one SCAN page may sit
 * in different slots). Returns the number of keys removed.
 */
export async function purgeTable(conn: RedisConnection, pattern: string, count = 1000): Promise<number> {
  let removed = 0;
  for (const node of conn.masters()) {
    let cursor = '0';
    do {
      let keys: string[];
      try {
        [cursor, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      } catch (err) {
        throw conn.fail(err, `SCAN MATCH ${pattern}`);
      }
      if (keys.length === 0) continue;
      try {
        if (conn.isCluster) {
          const p = node.pipeline();
          for (const k of keys) p.unlink(k);
          const res = (await p.exec()) ?? [];
          for (const [err, n] of res) {
            if (err) throw err;
            removed += Number(n);
          }
        } else {
          removed += await node.unlink(...keys);
        }
      } catch (err) {
        throw conn.fail(err, `UNLINK of ${keys.length} keys matching ${pattern}`);
      }
    } while (cursor !== '0');
  }
  return removed;
}
