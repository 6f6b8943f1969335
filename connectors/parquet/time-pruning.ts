import type { HiveLevel } from '../../src/index.js';

/** The time levels a partitioned target writes, coarse to fine; they become int32 partition columns. */
export const TIME_LEVELS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;

/**
 * The UTC instants `[lo, hi)` (epoch ms) that the time levels of a directory path cover, read as the chain
 * year[/month[/day[/hour[/minute[/second]]]]] (levels past a gap are ignored); `null` when a level of the chain
 * is the null partition; undefined when there is no year level or a value is not a number.
 */
export function timeRangeOf(levels: readonly HiveLevel[]): { lo: number; hi: number } | null | undefined {
  const parts: number[] = [];
  for (const name of TIME_LEVELS) {
    const level = levels.find((l) => l.name === name);
    if (!level) break;
    if (level.value === null) return null;
    if (!/^\d+$/.test(level.value)) return undefined;
    parts.push(Number(level.value));
  }
  if (parts.length === 0) return undefined;
  const [y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0] = parts;
  const at = (k: number, add: number) => {
    const p = [y, mo - 1, d, h, mi, s];
    p[k] = p[k]! + add;
    return Date.UTC(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!);
  };
  const last = parts.length - 1;
  return { lo: at(last, 0), hi: at(last, 1) };
}

/**
 * Whether a directory with these levels may hold rows with `start < t <= end`: false when its time range lies
 * wholly at or before `start` or after `end`, or when its time level is the null partition (a null time is in no
 * window). Without time levels (or a window), true.
 */
export function mayHoldWindow(levels: readonly HiveLevel[], start: Date | undefined, end: Date | undefined): boolean {
  if (start === undefined && end === undefined) return true;
  const range = timeRangeOf(levels);
  if (range === undefined) return true;
  if (range === null) return false;
  if (start !== undefined && range.hi <= start.getTime()) return false;
  if (end !== undefined && range.lo > end.getTime()) return false;
  return true;
}
