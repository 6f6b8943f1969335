import { DataType } from 'apache-arrow';
import type { Data, Dictionary } from 'apache-arrow';
import { rowStringifier } from './python-str.js';

/** A column dictionary-coded per row: `values[codes[i]]` is row i's Python `str()` (null for a null). */
export interface ColumnCodes {
  codes: Int32Array;
  values: (string | null)[];
}

/** Codes one column chunk; a dictionary-encoded column stringifies each dictionary entry once. */
export function columnCodes(data: Data): ColumnCodes {
  const n = data.length;
  const codes = new Int32Array(n);
  const values: (string | null)[] = [];
  const index = new Map<string | null, number>();
  const codeOf = (s: string | null): number => {
    let c = index.get(s);
    if (c === undefined) {
      c = values.length;
      values.push(s);
      index.set(s, c);
    }
    return c;
  };
  if (DataType.isDictionary(data.type)) {
    const dict = (data as Data<Dictionary>).dictionary;
    const entries = dict ? dict.data.map((d) => rowStringifier(d)) : [];
    const entryCode: number[] = [];
    let base = 0;
    for (const [chunk, str] of entries.entries()) {
      const len = dict?.data[chunk]?.length ?? 0;
      for (let j = 0; j < len; j++) entryCode[base + j] = codeOf(str(j));
      base += len;
    }
    const indices = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < n; i++) codes[i] = data.getValid(i) ? (entryCode[Number(indices[i])] ?? codeOf(null)) : codeOf(null);
    return { codes, values };
  }
  if (DataType.isUtf8(data.type)) return utf8Codes(data);
  const str = rowStringifier(data);
  for (let i = 0; i < n; i++) codes[i] = codeOf(str(i));
  return { codes, values };
}

/**
 * Codes a Utf8 column by its bytes (FNV-1a hash, open addressing), decoding only the distinct values: the hot
 * path for string keys. Distinct byte strings that decode alike (invalid UTF-8) may get two codes; callers
 * tolerate equal values under different codes.
 */
function utf8Codes(data: Data): ColumnCodes {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const codes = new Int32Array(n);
  const values: (string | null)[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let cap = 1024;
  let table = new Int32Array(cap);
  const hashes: number[] = [];
  let nullCode = -1;
  const decoder = new TextDecoder();
  const checkNulls = data.nullCount > 0;
  for (let i = 0; i < n; i++) {
    if (checkNulls && !data.getValid(i)) {
      if (nullCode < 0) {
        nullCode = values.length;
        values.push(null);
        starts.push(0);
        ends.push(-1);
        hashes.push(0);
      }
      codes[i] = nullCode;
      continue;
    }
    const s = offsets[i] as number;
    const e = offsets[i + 1] as number;
    let h = 0x811c9dc5;
    for (let k = s; k < e; k++) h = Math.imul(h ^ (bytes[k] as number), 0x01000193);
    let slot = h & (cap - 1);
    for (;;) {
      const c = (table[slot] as number) - 1;
      if (c < 0) {
        const code = values.length;
        values.push(decoder.decode(bytes.subarray(s, e)));
        starts.push(s);
        ends.push(e);
        hashes.push(h);
        table[slot] = code + 1;
        codes[i] = code;
        if (values.length * 2 > cap) {
          cap *= 2;
          table = new Int32Array(cap);
          for (let c2 = 0; c2 < values.length; c2++) {
            if (ends[c2] === -1) continue;
            let sl = (hashes[c2] as number) & (cap - 1);
            while (table[sl] !== 0) sl = (sl + 1) & (cap - 1);
            table[sl] = c2 + 1;
          }
        }
        break;
      }
      if (hashes[c] === h && sameBytes(bytes, starts[c] as number, ends[c] as number, s, e)) {
        codes[i] = c;
        break;
      }
      slot = (slot + 1) & (cap - 1);
    }
  }
  return { codes, values };
}

function sameBytes(bytes: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (bytes[s1 + k] !== bytes[s2 + k]) return false;
  return true;
}

/** Rows grouped by a combination of per-row codes. */
export interface RowGroups {
  /** The group of each row, numbered in order of first appearance. */
  groupOf: Int32Array;
  /** The first row of each group. */
  firstRow: number[];
}

/** Above this many code pairs a Map replaces the flat lookup table. */
const TABLE_LIMIT = 1 << 22;

/**
 * Groups `n` rows by the tuple of their codes across `levels` (each `codes[i] < cards[level]`). With no levels
 * every row is in group 0.
 */
export function groupRows(n: number, levels: Int32Array[], cards: number[]): RowGroups {
  let groupOf = new Int32Array(n);
  let firstRow = n > 0 ? [0] : [];
  for (const [l, codes] of levels.entries()) {
    const card = cards[l] ?? 0;
    const next = new Int32Array(n);
    const nextFirst: number[] = [];
    const width = firstRow.length * card;
    if (width <= TABLE_LIMIT) {
      const table = new Int32Array(width).fill(-1);
      for (let i = 0; i < n; i++) {
        const k = (groupOf[i] as number) * card + (codes[i] as number);
        let g = table[k] as number;
        if (g < 0) {
          g = table[k] = nextFirst.length;
          nextFirst.push(i);
        }
        next[i] = g;
      }
    } else {
      const safe = width < Number.MAX_SAFE_INTEGER;
      const map = new Map<number | string, number>();
      for (let i = 0; i < n; i++) {
        const k = safe ? (groupOf[i] as number) * card + (codes[i] as number) : `${groupOf[i]},${codes[i]}`;
        let g = map.get(k);
        if (g === undefined) {
          g = nextFirst.length;
          map.set(k, g);
          nextFirst.push(i);
        }
        next[i] = g;
      }
    }
    groupOf = next;
    firstRow = nextFirst;
  }
  return { groupOf, firstRow };
}
