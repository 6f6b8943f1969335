/**
 * A fast ISO-8601 reader for `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fffffffff]][Z|±HH[:MM]]`, without a
 * `Date` per value. Results go into a caller-owned {@link IsoParts} to avoid an allocation per row.
 */
export interface IsoParts {
  /** Seconds since the epoch of the wall time read as UTC (before the offset is applied). */
  localSeconds: number;
  /** Nanoseconds within the second, 0..999,999,999. */
  nanos: number;
  /** Offset east of UTC in seconds; meaningful only when `naive` is false. */
  offsetSeconds: number;
  /** True when the text carries no offset (`Z` or `±HH:MM`). */
  naive: boolean;
  /** True when the text is a date without a time. */
  dateOnly: boolean;
}

/** A fresh {@link IsoParts} to reuse across calls. */
export function newIsoParts(): IsoParts {
  return { localSeconds: 0, nanos: 0, offsetSeconds: 0, naive: true, dateOnly: false };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, m: number): number {
  if (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29;
  return MONTH_DAYS[m - 1] ?? 0;
}

/** Two decimal digits at `i`, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

/**
 * Reads an ISO-8601 date or date-time into `out`. Returns false (leaving `out` unspecified) when `s` is not
 * one of the accepted forms or names an impossible date or time.
 */
export function parseIsoParts(s: string, out: IsoParts): boolean {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y1 = two(s, 0);
  const y2 = two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1) return false;
  const y = y1 * 100 + y2;
  if (d > daysInMonth(y, mo)) return false;
  const days = daysFromCivil(y, mo, d);
  out.nanos = 0;
  out.offsetSeconds = 0;
  out.naive = true;
  if (n === 10) {
    out.localSeconds = days * 86400;
    out.dateOnly = true;
    return true;
  }
  out.dateOnly = false;
  const t = s.charCodeAt(10);
  if ((t !== 84 && t !== 116 && t !== 32) || n < 16 || s.charCodeAt(13) !== 58) return false; // T, t, space; ':'
  const h = two(s, 11);
  const mi = two(s, 14);
  if (h < 0 || h > 23 || mi < 0 || mi > 59) return false;
  let sec = 0;
  let i = 16;
  if (i < n && s.charCodeAt(i) === 58) {
    sec = two(s, i + 1);
    if (sec < 0 || sec > 59) return false;
    i += 3;
    if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
      i++;
      let frac = 0;
      let digits = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (digits < 9) {
          frac = frac * 10 + c;
          digits++;
        }
      }
      if (digits === 0) return false;
      for (let k = digits; k < 9; k++) frac *= 10;
      out.nanos = frac;
    }
  }
  out.localSeconds = days * 86400 + h * 3600 + mi * 60 + sec;
  if (i === n) return true;
  const c = s.charCodeAt(i);
  if ((c === 90 || c === 122) && i + 1 === n) {
    out.naive = false;
    return true;
  }
  if (c !== 43 && c !== 45) return false;
  const oh = two(s, i + 1);
  if (oh < 0 || oh > 23) return false;
  let om = 0;
  let j = i + 3;
  if (j < n) {
    if (s.charCodeAt(j) === 58) j++;
    om = two(s, j);
    if (om < 0 || om > 59) return false;
    j += 2;
  }
  if (j !== n) return false;
  out.offsetSeconds = (c === 45 ? -1 : 1) * (oh * 3600 + om * 60);
  out.naive = false;
  return true;
}
