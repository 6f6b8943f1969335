import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The server-side write of one or more entity rows (SPEC §6), with or without the event-time guard.
 *
 * ARGV[1]: a MessagePack array with, per row, the entity string, the event time in epoch microseconds as a
 * string (empty: no guard), the number of field/value pairs, then the pairs (the hidden event-time pair among
 * them when there is a time), then the number of null fields and their names. ARGV[2]: the hidden event-time
 * field. ARGV[3]: TTL seconds (0: none). ARGV[4] and ARGV[5]: the key's head `{<prefix><table>:` and tail
 * `}:static`; a row's key is head .. entity .. tail. KEYS: the same keys, declared on a Redis Cluster (all in
 * one slot, which routes the call); a standalone server gets none, so the keys are not sent twice.
 * With the guard, a row whose event time is older than the stored one is skipped, its nulls included; an equal
 * or newer one is written (HSET, in chunks of 2,000 pairs) and its null fields removed (HDEL, as storey does;
 * HDEL never creates a field). EXPIRE runs for every row, skipped or not. Returns the rows written. Without the
 * guard (rows that cannot lose against a stored value) the HGET is left out.
 */
function writeScript(guard: boolean): string {
  const check = guard
    ? `  if ts ~= '' then
    local cur = tonumber(call('HGET', key, tf))
    if cur and cur > tonumber(ts) then ok = false end
  end
`
    : '';
  return `
local call = redis.call
local a = cmsgpack.unpack(ARGV[1])
local tf = ARGV[2]
local ttl = tonumber(ARGV[3])
local head = ARGV[4]
local tail = ARGV[5]
local na = #a
local i = 1
local written = 0
while i <= na do
  local key = head .. a[i] .. tail
  local ts = a[i + 1]
  local n = a[i + 2]
  i = i + 3
  local last = i + 2 * n - 1
  local dlast = last + 1 + a[last + 1]
  local ok = true
${check}  if ok then
    local j = i
    while j <= last do
      local e = j + 3999
      if e > last then e = last end
      call('HSET', key, unpack(a, j, e))
      j = e + 1
    end
    j = last + 2
    while j <= dlast do
      local e = j + 3999
      if e > dlast then e = dlast end
      call('HDEL', key, unpack(a, j, e))
      j = e + 1
    end
    written = written + 1
  end
  if ttl > 0 then call('EXPIRE', key, ttl) end
  i = dlast + 1
end
return written
`;
}

/** The write with the event-time guard. */
export const GUARD_SCRIPT = writeScript(true);
/** The SHA1 that EVALSHA uses for {@link GUARD_SCRIPT}. */
export const GUARD_SHA = createHash('sha1').update(GUARD_SCRIPT).digest('hex');

/** The same write without the guard, for rows that cannot be older than what is stored (a fresh table). */
export const PLAIN_SCRIPT = writeScript(false);
/** The SHA1 of {@link PLAIN_SCRIPT}. */
export const PLAIN_SHA = createHash('sha1').update(PLAIN_SCRIPT).digest('hex');

/**
 * The cluster forms (Redis 7 script flag `allow-cross-slot-keys`): one call holds rows of any slots one node
 * serves; KEYS[1] (the first row's key) routes the call, the other keys are built in the script (they must be
 * served by that node, which Redis checks). So a node gets `rows_per_call` rows per call, not one per slot.
 */
const CLUSTER_FLAGS = '#!lua flags=allow-cross-slot-keys\n';
export const GUARD_CLUSTER_SCRIPT = CLUSTER_FLAGS + GUARD_SCRIPT;
export const GUARD_CLUSTER_SHA = createHash('sha1').update(GUARD_CLUSTER_SCRIPT).digest('hex');
export const PLAIN_CLUSTER_SCRIPT = CLUSTER_FLAGS + PLAIN_SCRIPT;
export const PLAIN_CLUSTER_SHA = createHash('sha1').update(PLAIN_CLUSTER_SCRIPT).digest('hex');

/** Loads the write scripts on every given server (SCRIPT LOAD); on a cluster the cluster forms. */
export async function loadWriteScripts(servers: Redis[], cluster = false): Promise<void> {
  const scripts = cluster ? [GUARD_CLUSTER_SCRIPT, PLAIN_CLUSTER_SCRIPT] : [GUARD_SCRIPT, PLAIN_SCRIPT];
  await Promise.all(servers.flatMap((s) => scripts.map((x) => s.script('LOAD', x))));
}

/** Whether an error is Redis's NOSCRIPT (the script cache was flushed or a node is new): load and retry. */
export function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}
