/**
 * Readers of single text cells, shared by the column parsers and schema inference. They never throw:
 * a cell that does not parse gives `NaN`/`undefined` as documented on each.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const BIG_INT_RE = /^[+-]?\d+$/;

/** The value of an integer cell (`42`, `-7`, `+3`) of at most 15 digits; `NaN` otherwise. */
export function readSafeInt(s: string): number {
  const len = s.length;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45) {
    neg = true;
    i = 1;
  } else if (c0 === 43) i = 1;
  if (i === len || len - i > 15) return NaN;
  let v = 0;
  for (; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** The value of an integer cell within the int64 range; `undefined` otherwise. */
export function readInt64(s: string): bigint | undefined {
  if (!BIG_INT_RE.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

const SPECIAL_FLOATS: Readonly<Record<string, number>> = {
  nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};

/**
 * The value of a decimal number cell (`1.5`, `-2e3`, `NaN`, `inf`); `undefined` for anything else,
 * including hex/octal/binary literals and blank text, which `Number()` would accept.
 */
export function readFloat(s: string): number | undefined {
  const v = Number(s);
  if (v === v) {
    if (v === 0 && s.indexOf('0') === -1) return undefined;
    if (s.charCodeAt(0) === 48 && s.length > 2) {
      const c = s.charCodeAt(1) | 32;
      if (c === 120 || c === 111 || c === 98) return undefined; // 0x 0o 0b
    }
    return v;
  }
  return SPECIAL_FLOATS[s.toLowerCase()];
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/** `true`/`false` for true/false, t/f, yes/no, y/n, 1/0 in any case; `undefined` otherwise. */
export function readBool(s: string): boolean | undefined {
  if (s.length > 5) return undefined;
  const l = s.toLowerCase();
  if (TRUE_WORDS.has(l)) return true;
  if (FALSE_WORDS.has(l)) return false;
  return undefined;
}
