const LONG_DIGITS = /\d{16}/;
const MAX = BigInt(Number.MAX_SAFE_INTEGER);
/** Marks a big integer literal rewritten as a string (a data string would have to begin with an escaped NUL and this tag). */
const MARK = '\u0000sluice:int64:';
/** {@link MARK} as JSON text (a raw NUL is not allowed in a JSON string). */
const MARK_JSON = '\\u0000sluice:int64:';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * `JSON.parse`, except that an integer literal beyond ±2^53 becomes a bigint instead of a rounded number
 * (JSON lines from Java or Go systems carry int64 ids). Text without a run of 16 digits takes `JSON.parse`
 * directly; otherwise big integer literals outside strings are rewritten to marked strings and revived.
 *
 * @example parseJsonExact('{"id":9007199254740993}'); // { id: 9007199254740993n }
 */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  const n = text.length;
  let out = '';
  let last = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      continue;
    }
    if (c !== 45 && !isDigit(c)) continue;
    let j = c === 45 ? i + 1 : i;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    const next = text.charCodeAt(j);
    if (next === 46 || next === 101 || next === 69) {
      while (j < n && /[0-9.eE+-]/.test(text[j]!)) j++;
    } else if (j - i >= 16 && text.charCodeAt(c === 45 ? i + 1 : i) !== 48) {
      const literal = text.slice(i, j);
      const v = BigInt(literal);
      if (v > MAX || v < -MAX) {
        out += `${text.slice(last, i)}"${MARK_JSON}${literal}"`;
        last = j;
      }
    }
    i = j - 1;
  }
  if (last === 0) return JSON.parse(text);
  return JSON.parse(out + text.slice(last), (_k, v: unknown) => (typeof v === 'string' && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v));
}
