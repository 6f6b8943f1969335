import { CronExpressionParser } from 'cron-parser';
import type { CronExpression } from 'cron-parser';
import type { IANAZone } from 'luxon';
import { SpecError, errorMessage } from '../errors.js';
import { checkZone, fromWall, toWall } from './zone-time.js';

/** Default time zone of a schedule. */
export const DEFAULT_SCHEDULE_TZ = 'UTC';

/** How far `previous()` looks back before giving up (a cron that matches less than once in 5 years is refused). */
const MAX_LOOKBACK_MS = 5 * 366 * 86_400_000;

/**
 * A cron schedule in an IANA time zone: 5 fields (`min hour dom month dow`) or 6 with seconds first.
 *
 * Fire times follow the local wall clock, and every matching wall time fires exactly once:
 * - a wall time skipped by a DST change (02:30 on 2024-03-31 in Europe/Berlin) fires once, at the first valid
 *   instant after it (the transition, 03:00 CEST); several skipped matches collapse into that one fire;
 * - a wall time repeated by a DST change (02:30 on 2024-10-27 in Europe/Berlin) fires once, at its first
 *   occurrence (CEST); the second pass through the repeated hour does not fire again.
 * cron-parser's own `tz` handling fires repeated hours twice for wildcard hours and moves skipped times by the
 * gap length (02:30 → 03:30); so cron-parser here only enumerates naive wall times (in UTC, where there is no
 * DST) and this class maps them to instants.
 *
 * @example
 * const s = new CronSchedule('0 6 * * *', 'Europe/Berlin');
 * s.next(new Date('2024-03-30T12:00:00Z')); // 2024-03-31T04:00:00.000Z (06:00 CEST)
 */
export class CronSchedule {
  readonly expression: string;
  readonly tz: string;
  /** Whether the expression has a seconds field. */
  readonly hasSeconds: boolean;
  private readonly zone: IANAZone;

  constructor(expression: string, tz: string = DEFAULT_SCHEDULE_TZ, what = 'schedule') {
    if (typeof expression !== 'string' || expression.trim() === '') {
      throw new SpecError(`${what}: ${JSON.stringify(expression)} is not a cron expression; expected 5 fields (min hour day month weekday), e.g. "*/30 * * * *", or 6 with seconds first`);
    }
    const parts = expression.trim().split(/\s+/);
    if (parts.length !== 5 && parts.length !== 6) {
      throw new SpecError(`${what}: ${JSON.stringify(expression)} has ${parts.length} fields; expected 5 (min hour day month weekday), e.g. "*/30 * * * *", or 6 with seconds first`);
    }
    this.expression = parts.join(' ');
    this.hasSeconds = parts.length === 6;
    this.zone = checkZone(tz, `${what} time zone`);
    this.tz = tz;
    try {
      this.iterate(0);
    } catch (err) {
      throw new SpecError(`${what}: ${JSON.stringify(expression)} is not a valid cron expression: ${errorMessage(err)}`, { cause: err });
    }
  }

  private iterate(wallMs: number): CronExpression {
    return CronExpressionParser.parse(this.expression, { currentDate: new Date(wallMs), tz: 'UTC', strict: false });
  }

  /** Fires strictly after `after`, in order, without end. */
  *fires(after: Date): Generator<Date, never> {
    let t = after.getTime();
    const it = this.iterate(toWall(t, this.zone));
    for (;;) {
      const instant = fromWall(it.next().getTime(), this.zone);
      // A wall time whose first occurrence is already past (the repeated hour's second pass) does not fire;
      // skipped wall times that map to the same transition instant fire once.
      if (instant > t) {
        t = instant;
        yield new Date(instant);
      }
    }
  }

  /** The first fire strictly after `after`. */
  next(after: Date): Date {
    return this.fires(after).next().value;
  }

  /** The last fire at or before `atOrBefore`, or undefined when there was none in the last five years. */
  previous(atOrBefore: Date): Date | undefined {
    const t = atOrBefore.getTime();
    const it = this.iterate(toWall(t, this.zone) + 1);
    let candidate: number | undefined;
    for (;;) {
      let wall: number;
      try {
        wall = it.prev().getTime();
      } catch {
        return undefined;
      }
      const instant = fromWall(wall, this.zone);
      if (t - instant > MAX_LOOKBACK_MS) return undefined;
      if (instant <= t) {
        candidate = instant;
        break;
      }
    }
    // In a repeated hour the wall clock went back: later wall times may have fired before `t`. Walk forward.
    for (const d of this.fires(new Date(candidate))) {
      if (d.getTime() > t) break;
      candidate = d.getTime();
    }
    return new Date(candidate);
  }

  /** The next `n` fires after `after`. */
  take(after: Date, n: number): Date[] {
    const out: Date[] = [];
    if (n <= 0) return out;
    for (const d of this.fires(after)) {
      out.push(d);
      if (out.length >= n) break;
    }
    return out;
  }
}
