import { decimalSecondsToMs, intValue } from './value-decoding.js';

/** A decimal number as Python's `float()` reads it (sign, digits, optional fraction and exponent). */
const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i;

/**
 * A stored string read the way storey reads a table without a type record
 * (`storey/redis_driver.py:RedisDriver.convert_redis_value_to_python_obj`), case-insensitively:
 * `_dt:<epoch seconds>` → Date, `_td:<seconds>` → a duration in milliseconds, `inf`/`-inf` → ±Infinity,
 * `nan`/`-nan`/`0/0`/`-0/0` → NaN, `true`/`false` → booleans, an integer → a number (a bigint past 2^53),
 * another decimal → a number, anything else → the string as it is. Two additions: storey's Lua writer stores an
 * infinity as the text `math.huge` (read as ±Infinity here), and an integer that went through a Lua double comes
 * back in exponent form (`4.6116860184273879e+18`): a whole value past 2^53 is returned as a bigint.
 */
export function decodeStoreyValue(raw: string | null): unknown {
  if (raw === null) return null;
  const s = raw.toLowerCase();
  if (s.startsWith('_td:') || s.startsWith('_dt:')) {
    const body = raw.slice(4);
    if (s.startsWith('_dt:')) {
      const ms = decimalSecondsToMs(body);
      return ms === undefined ? raw : new Date(ms);
    }
    return DECIMAL.test(body) ? Number(body) * 1000 : raw;
  }
  switch (s) {
    case 'inf':
    case 'math.huge':
      return Infinity;
    case '-inf':
    case '-math.huge':
      return -Infinity;
    case 'nan':
    case '-nan':
    case '0/0':
    case '-0/0':
      return NaN;
    case 'true':
      return true;
    case 'false':
      return false;
  }
  const int = intValue(raw);
  if (int !== undefined) return int;
  if (!DECIMAL.test(raw)) return raw;
  const x = Number(raw);
  return Number.isInteger(x) && !Number.isSafeInteger(x) ? BigInt(x) : x;
}
