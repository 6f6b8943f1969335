import { BadInputError } from '../errors.js';

/** The directory value Hive, Spark, pyarrow and DuckDB read as null. */
export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** ASCII characters that must be escaped in a path segment (Spark's `escapePathName` set, plus space). */
const SPECIAL = new Set([...'"#%\'*/:=?\\{[]^ '].map((c) => c.charCodeAt(0)));

const HEX = '0123456789ABCDEF';

function needsEscape(code: number): boolean {
  return code < 0x20 || code >= 0x7f || SPECIAL.has(code);
}

/**
 * Encodes a partition value (or column name) for one Hive path segment: `" # % ' * / : = ? \ { [ ] ^`, space,
 * control characters (0x00-0x1F, 0x7F) and every byte of a non-ASCII character (UTF-8) become `%XX` with
 * upper-case hex. Null and the empty string become {@link HIVE_DEFAULT_PARTITION} (Spark's rule).
 */
export function encodeHiveValue(value: string | null): string {
  if (value === null || value === '') return HIVE_DEFAULT_PARTITION;
  let i = 0;
  while (i < value.length && !needsEscape(value.charCodeAt(i))) i++;
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (const ch of value.slice(i)) {
    const code = ch.codePointAt(0) ?? 0;
    if (!needsEscape(code)) {
      out += ch;
    } else if (code < 0x80) {
      out += `%${HEX[code >> 4]}${HEX[code & 15]}`;
    } else {
      for (const b of Buffer.from(ch, 'utf8')) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    }
  }
  return out;
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Decodes one Hive path segment value: {@link HIVE_DEFAULT_PARTITION} → null; `%XX` sequences are bytes of
 * UTF-8 (either hex case); a `%` not followed by two hex digits stays as it is. Throws {@link BadInputError}
 * when the bytes are not UTF-8.
 */
export function decodeHiveValue(segment: string): string | null {
  if (segment === HIVE_DEFAULT_PARTITION) return null;
  if (!segment.includes('%')) return segment;
  const bytes: number[] = [];
  const text = Buffer.from(segment, 'utf8');
  for (let i = 0; i < text.length; i++) {
    const b = text[i] as number;
    const hex = b === 0x25 ? text.subarray(i + 1, i + 3).toString('latin1') : '';
    if (HEX_PAIR.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(b);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (cause) {
    throw new BadInputError(`Hive partition value "${segment}" does not decode to UTF-8 text`, { cause });
  }
}

/** One level of a Hive partition path, decoded. */
export interface HiveLevel {
  name: string;
  value: string | null;
}

/**
 * Splits a relative Hive partition path (`hash16_key=3/country=US/year=2024`) into decoded levels. Throws
 * {@link BadInputError} naming the segment when a segment has no `=`.
 */
export function decodeHivePath(path: string): HiveLevel[] {
  const out: HiveLevel[] = [];
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    if (eq <= 0) throw new BadInputError(`Hive partition path "${path}": segment "${segment}" is not name=value`);
    out.push({ name: decodeHiveValue(segment.slice(0, eq)) ?? '', value: decodeHiveValue(segment.slice(eq + 1)) });
  }
  return out;
}
