import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../src/errors.js';
import { CronSchedule } from '../../../src/schedule/cron-schedule.js';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString().replace('.000Z', 'Z'));
const fires = (expr: string, tz: string, from: string, n: number) => iso(new CronSchedule(expr, tz).take(new Date(from), n));
/** What cron-parser itself returns with its `tz` option. */
const raw = (expr: string, tz: string, from: string, n: number) => {
  const it = CronExpressionParser.parse(expr, { currentDate: new Date(from), tz });
  return iso(Array.from({ length: n }, () => it.next().toDate()));
};

describe('CronSchedule: fields and edges', () => {
  it('takes 5 fields, or 6 with seconds first; next is strictly after the given instant', () => {
    expect(fires('*/15 * * * *', 'UTC', '2024-01-01T00:00:00Z', 3)).toEqual(['2024-01-01T00:15:00Z', '2024-01-01T00:30:00Z', '2024-01-01T00:45:00Z']);
    expect(fires('*/2 * * * * *', 'UTC', '2024-01-01T00:00:00.500Z', 3)).toEqual(['2024-01-01T00:00:02Z', '2024-01-01T00:00:04Z', '2024-01-01T00:00:06Z']);
    expect(new CronSchedule('*/2 * * * * *').hasSeconds).toBe(true);
    expect(fires('0 0 * * *', 'UTC', '2024-02-28T00:00:00Z', 2)).toEqual(['2024-02-29T00:00:00Z', '2024-03-01T00:00:00Z']);
    expect(fires('59 23 31 12 *', 'UTC', '2024-06-01T00:00:00Z', 2)).toEqual(['2024-12-31T23:59:00Z', '2025-12-31T23:59:00Z']);
    expect(fires('0 9 * * MON-FRI', 'UTC', '2024-01-05T10:00:00Z', 2)).toEqual(['2024-01-08T09:00:00Z', '2024-01-09T09:00:00Z']);
  });

  it('follows the wall clock of the time zone (default UTC)', () => {
    expect(new CronSchedule('0 6 * * *').tz).toBe('UTC');
    expect(fires('0 6 * * *', 'Europe/Berlin', '2024-01-10T12:00:00Z', 1)).toEqual(['2024-01-11T05:00:00Z']);
    expect(fires('0 6 * * *', 'Europe/Berlin', '2024-07-10T12:00:00Z', 1)).toEqual(['2024-07-11T04:00:00Z']);
    expect(fires('0 6 * * *', 'Asia/Kolkata', '2024-07-10T12:00:00Z', 1)).toEqual(['2024-07-11T00:30:00Z']);
  });

  it('previous() is the last fire at or before the instant', () => {
    const s = new CronSchedule('*/10 * * * *');
    expect(s.previous(new Date('2024-01-01T00:20:00Z'))?.toISOString()).toBe('2024-01-01T00:20:00.000Z');
    expect(s.previous(new Date('2024-01-01T00:29:59.999Z'))?.toISOString()).toBe('2024-01-01T00:20:00.000Z');
  });

  it('refuses bad expressions and zones, naming the value and what is expected', () => {
    expect(() => new CronSchedule('0 0 * *')).toThrow(/"0 0 \* \*" has 4 fields; expected 5/);
    expect(() => new CronSchedule('1 2 3 4 5 6 7')).toThrow(/7 fields/);
    expect(() => new CronSchedule('61 * * * *')).toThrow(/"61 \* \* \* \*" is not a valid cron expression.*61/);
    expect(() => new CronSchedule('0 0 30 2 *')).toThrow(SpecError);
    expect(() => new CronSchedule('', 'UTC', 'schedule s: cron')).toThrow(/schedule s: cron: "" is not a cron expression/);
    expect(() => new CronSchedule('0 0 * * *', 'Mars/Olympus')).toThrow(/time zone: "Mars\/Olympus" is not an IANA time zone/);
  });
});

describe('CronSchedule across DST: every matching wall time fires exactly once', () => {
  describe('Europe/Berlin', () => {
    it('2024-03-31 (02:00-03:00 skipped): a skipped time fires once at the transition, 03:00 CEST', () => {
      // cron-parser moves the skipped 02:30 by the gap, to 03:30 CEST.
      expect(raw('30 2 * * *', 'Europe/Berlin', '2024-03-30T12:00:00Z', 2)).toEqual(['2024-03-31T01:30:00Z', '2024-04-01T00:30:00Z']);
      expect(fires('30 2 * * *', 'Europe/Berlin', '2024-03-30T12:00:00Z', 2)).toEqual(['2024-03-31T01:00:00Z', '2024-04-01T00:30:00Z']);
      // Hourly: 01:00 CET, then 02:00 (skipped) and 03:00 coincide at the transition: one fire.
      expect(fires('0 * * * *', 'Europe/Berlin', '2024-03-30T23:30:00Z', 4)).toEqual(['2024-03-31T00:00:00Z', '2024-03-31T01:00:00Z', '2024-03-31T02:00:00Z', '2024-03-31T03:00:00Z']);
      expect(fires('*/20 * * * *', 'Europe/Berlin', '2024-03-31T00:30:00Z', 3)).toEqual(['2024-03-31T00:40:00Z', '2024-03-31T01:00:00Z', '2024-03-31T01:20:00Z']);
    });

    it('2024-10-27 (02:00-03:00 repeated): a repeated time fires once, at its first occurrence', () => {
      expect(fires('30 2 * * *', 'Europe/Berlin', '2024-10-26T12:00:00Z', 2)).toEqual(['2024-10-27T00:30:00Z', '2024-10-28T01:30:00Z']);
      // cron-parser fires 02:00 twice (CEST and CET).
      expect(raw('0 * * * *', 'Europe/Berlin', '2024-10-26T23:30:00Z', 3)).toEqual(['2024-10-27T00:00:00Z', '2024-10-27T01:00:00Z', '2024-10-27T02:00:00Z']);
      expect(fires('0 * * * *', 'Europe/Berlin', '2024-10-26T23:30:00Z', 2)).toEqual(['2024-10-27T00:00:00Z', '2024-10-27T02:00:00Z']);
      expect(fires('*/30 * * * *', 'Europe/Berlin', '2024-10-26T23:40:00Z', 4)).toEqual(['2024-10-27T00:00:00Z', '2024-10-27T00:30:00Z', '2024-10-27T02:00:00Z', '2024-10-27T02:30:00Z']);
      // From inside the second pass (02:10 CET) nothing of the repeated hour fires again.
      expect(fires('*/20 * * * *', 'Europe/Berlin', '2024-10-27T01:10:00Z', 1)).toEqual(['2024-10-27T02:00:00Z']);
      // The last fire before 02:10 CET is 02:40 CEST, although 02:40 is a later wall time.
      expect(new CronSchedule('*/20 * * * *', 'Europe/Berlin').previous(new Date('2024-10-27T01:10:00Z'))?.toISOString()).toBe('2024-10-27T00:40:00.000Z');
    });
  });

  describe('America/New_York', () => {
    it('2024-03-10 (02:00-03:00 skipped): 02:30 fires once at 03:00 EDT', () => {
      expect(raw('30 2 * * *', 'America/New_York', '2024-03-09T12:00:00Z', 1)).toEqual(['2024-03-10T07:30:00Z']);
      expect(fires('30 2 * * *', 'America/New_York', '2024-03-09T12:00:00Z', 2)).toEqual(['2024-03-10T07:00:00Z', '2024-03-11T06:30:00Z']);
      expect(fires('0 * * * *', 'America/New_York', '2024-03-10T05:30:00Z', 3)).toEqual(['2024-03-10T06:00:00Z', '2024-03-10T07:00:00Z', '2024-03-10T08:00:00Z']);
    });

    it('2024-11-03 (01:00-02:00 repeated): 01:30 fires once, hourly does not double-fire', () => {
      expect(fires('30 1 * * *', 'America/New_York', '2024-11-02T12:00:00Z', 2)).toEqual(['2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z']);
      expect(raw('0 * * * *', 'America/New_York', '2024-11-03T04:30:00Z', 3)).toEqual(['2024-11-03T05:00:00Z', '2024-11-03T06:00:00Z', '2024-11-03T07:00:00Z']);
      expect(fires('0 * * * *', 'America/New_York', '2024-11-03T04:30:00Z', 2)).toEqual(['2024-11-03T05:00:00Z', '2024-11-03T07:00:00Z']);
      expect(fires('*/30 * * * * ', 'America/New_York', '2024-11-03T05:40:00Z', 2)).toEqual(['2024-11-03T07:00:00Z', '2024-11-03T07:30:00Z']);
    });
  });

  it('fire times are strictly increasing and never repeat over a whole year with both transitions', { timeout: 120_000 }, () => {
    for (const tz of ['Europe/Berlin', 'America/New_York']) {
      const all = new CronSchedule('15,45 * * * *', tz).take(new Date('2024-01-01T00:00:00Z'), 366 * 48);
      for (let i = 1; i < all.length; i += 1) expect((all[i] as Date).getTime()).toBeGreaterThan((all[i - 1] as Date).getTime());
      // In UTC every :15 and :45 is a fire instant, except the two repeated wall times of the autumn overlap (no
      // second fire); the two wall times skipped in spring fire together, once, at the transition instant.
      expect(all.filter((d) => d.getUTCFullYear() === 2024)).toHaveLength(366 * 48 - 2 + 1);
      expect(iso(all)).toContain(tz === 'Europe/Berlin' ? '2024-03-31T01:00:00Z' : '2024-03-10T07:00:00Z');
      expect(new Set(all.map((d) => d.getTime())).size).toBe(all.length);
    }
  });
});
