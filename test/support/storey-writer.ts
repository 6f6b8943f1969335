import type { Redis } from 'ioredis';

/** A Python value as storey's writer gets it: str, int (bigint), float (number), bool, datetime, timedelta, None. */
export type PyValue = string | bigint | number | boolean | Date | { timedeltaSeconds: number } | null;

/** Python's repr of a float (`1704448800.0`, `0.1`, `1e-05`), for the values these tests use. */
function pyFloatRepr(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  return String(x).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * storey's `RedisDriver._convert_python_obj_to_lua_value` (storey/redis_driver.py): the Lua literal of a value;
 * undefined for a NaT (storey then sends HDEL). Whole floats become ints; inf/nan become the *strings*
 * "math.huge" / "0/0" (json.dumps of the replacement text).
 */
export function storeyLuaValue(v: Exclude<PyValue, null>): string {
  if (v instanceof Date) return `"_dt:${pyFloatRepr(v.getTime() / 1000)}"`;
  if (typeof v === 'object') return `"_td:${pyFloatRepr(v.timedeltaSeconds)}"`;
  if (typeof v === 'boolean') return `"${v}"`;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (v === Infinity) return JSON.stringify('math.huge');
    if (v === -Infinity) return JSON.stringify('-math.huge');
    if (Number.isNaN(v)) return JSON.stringify('0/0');
    if (Number.isInteger(v)) return BigInt(v).toString();
    return pyFloatRepr(v);
  }
  return JSON.stringify(v);
}

/**
 * Writes one entity as storey's `RedisDriver._save_key` does for static data (no aggregations): the same Lua
 * text (`_build_feature_store_lua_update_script`), one HSET per non-None value in column order (None is skipped
 * by `NoSqlTarget`, `_write_missing_fields=False`), then the `\x01_mtime_` field, sent with EVAL.
 */
export async function storeySaveKey(redis: Redis, staticKey: string, data: Array<[string, PyValue]>, mtimeMicros = 1_704_448_800_000_000): Promise<void> {
  let script = `local redis_hash="${staticKey}";\n`;
  for (const [name, value] of data) {
    if (value === null) continue;
    script += `redis.call("HSET",redis_hash, "${name}", ${storeyLuaValue(value)});\n`;
  }
  script += `redis.call("HSET","${staticKey}","\x01_mtime_",${mtimeMicros});return 1;`;
  await redis.eval(script, 1, staticKey);
}
