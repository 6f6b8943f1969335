import { DateDay, makeData } from 'apache-arrow';
import type { Data, Timestamp } from 'apache-arrow';
import type { ColumnParser } from './column-parser.js';
import { arrowTypeOf } from './column-types.js';
import type { ColumnSpec, TimeUnitName } from './column-types.js';
import { newIsoParts, parseIsoParts } from './iso-time.js';
import { NumberArrayParser } from './number-array-parser.js';
import { Int64Column } from './number-parsers.js';
import { ZoneOffsets } from './zone-offsets.js';

const PER_SECOND: Record<TimeUnitName, number> = { s: 1, ms: 1e3, us: 1e6, ns: 1e9 };
const EPOCH_INT_RE = /^[+-]?\d+$/;

/** How a timestamp column reads its cells. */
export interface TimestampParseOptions {
  /** IANA zone a naive time is read in; UTC when absent. */
  naiveZone?: string;
  /** Unit of epoch numbers in the data; numbers are refused without it. */
  epochUnit?: TimeUnitName;
}

/**
 * timestamp cells: ISO-8601 with or without an offset (naive = `naiveZone`, default UTC), a date alone
 * (midnight), or an epoch number in `epochUnit`. Values are stored as UTC epoch counts in the column's unit.
 */
export class TimestampParser extends Int64Column implements ColumnParser {
  readonly type: Timestamp;
  readonly expected: string;
  private readonly unit: TimeUnitName;
  private readonly parts = newIsoParts();
  private readonly zone: ZoneOffsets | undefined;
  private readonly epochUnit: TimeUnitName | undefined;

  constructor(spec: ColumnSpec, capacity: number, o: TimestampParseOptions = {}) {
    super(capacity);
    this.type = arrowTypeOf(spec) as Timestamp;
    this.unit = spec.unit ?? 'us';
    const zone = spec.tz ?? o.naiveZone;
    this.zone = zone === undefined || zone === 'UTC' ? undefined : new ZoneOffsets(zone);
    this.epochUnit = spec.epochUnit ?? o.epochUnit;
    this.expected = `${spec.type} (an ISO-8601 time such as 2024-01-05T10:00:00Z` +
      (this.epochUnit ? ` or epoch ${this.epochUnit} such as 1704448800)` : '; to read epoch numbers set attributes.epoch_unit)');
  }

  append(cell: string): boolean {
    if (cell === '') {
      this.appendNull();
      return true;
    }
    const p = this.parts;
    const i = this.next();
    if (parseIsoParts(cell, p)) {
      let seconds = p.localSeconds;
      let nanos = p.nanos;
      if (!p.naive) seconds -= p.offsetSeconds;
      else if (this.zone) {
        const off = this.zone.offsetMs(seconds * 1000);
        const whole = Math.floor(off / 1000);
        seconds -= whole;
        nanos -= (off - whole * 1000) * 1e6;
      }
      this.putInstant(i, seconds, nanos);
    } else if (this.epochUnit !== undefined) {
      const v = epochTo(cell, this.epochUnit, this.unit);
      if (v === undefined) return false;
      this.putBig(i, v);
    } else return false;
    this.commit(i);
    return true;
  }

  private putInstant(i: number, seconds: number, nanos: number): void {
    const per = PER_SECOND[this.unit];
    if (per <= 1e6) {
      const v = seconds * per + Math.floor(nanos / (1e9 / per));
      if (Number.isSafeInteger(v)) {
        this.put(i, v);
        return;
      }
    }
    this.putBig(i, BigInt(seconds) * BigInt(per) + BigInt(Math.floor(nanos / (1e9 / per))));
  }

  flush(): Data {
    const data = this.takeValues();
    return makeData({ type: this.type, ...this.takeRows(), data });
  }
}

/** An epoch number (integer or decimal) in unit `from`, converted to unit `to` (floored). */
function epochTo(cell: string, from: TimeUnitName, to: TimeUnitName): bigint | undefined {
  const ratio = PER_SECOND[to] / PER_SECOND[from];
  if (EPOCH_INT_RE.test(cell)) {
    const v = BigInt(cell);
    if (ratio >= 1) return v * BigInt(ratio);
    const div = BigInt(1 / ratio);
    const q = v / div;
    return v < 0n && q * div !== v ? q - 1n : q;
  }
  const n = Number(cell);
  if (!Number.isFinite(n) || cell.trim() === '') return undefined;
  return BigInt(Math.floor(n * ratio));
}

/** date cells: `YYYY-MM-DD`, stored as days since the epoch. */
export class DateParser extends NumberArrayParser<DateDay> {
  constructor(capacity: number) {
    const parts = newIsoParts();
    const readDays = (cell: string): number | undefined =>
      parseIsoParts(cell, parts) && parts.dateOnly ? parts.localSeconds / 86400 : undefined;
    super(new DateDay(), 'date (YYYY-MM-DD such as 2024-01-05)', Int32Array, readDays, capacity);
  }
}
