import { describe, expect, it } from 'vitest';
import { daysFromCivil, newIsoParts, parseIsoParts } from '../../../src/arrow/iso-time.js';
import { ZoneOffsets } from '../../../src/arrow/zone-offsets.js';

function instantMs(s: string): number | undefined {
  const p = newIsoParts();
  if (!parseIsoParts(s, p)) return undefined;
  return (p.localSeconds - (p.naive ? 0 : p.offsetSeconds)) * 1000 + Math.floor(p.nanos / 1e6);
}

describe('parseIsoParts', () => {
  it('agrees with Date.parse on the accepted forms', () => {
    for (const s of [
      '2024-01-05T10:00:00Z', '2024-01-05T10:00:00.123Z', '2024-02-29T23:59:59+05:30', '1969-12-31T23:59:59-08:00',
      '2024-01-05 10:00:00Z', '2024-01-05T10:00Z', '1900-03-01T00:00:00Z', '2400-02-29T12:00:00Z', '2024-01-05T10:00:00+0200',
    ]) {
      expect(instantMs(s), s).toBe(Date.parse(s.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
    }
  });

  it('reads naive times and dates, fractions up to nanoseconds and offsets in hours only', () => {
    const p = newIsoParts();
    expect(parseIsoParts('2024-01-05T10:00:00.123456789', p)).toBe(true);
    expect(p).toMatchObject({ naive: true, nanos: 123456789, localSeconds: Date.UTC(2024, 0, 5, 10) / 1000 });
    expect(parseIsoParts('2024-01-05', p)).toBe(true);
    expect(p).toMatchObject({ dateOnly: true, localSeconds: Date.UTC(2024, 0, 5) / 1000 });
    expect(parseIsoParts('2024-01-05T10:00:00.5+01', p)).toBe(true);
    expect(p).toMatchObject({ naive: false, offsetSeconds: 3600, nanos: 500_000_000 });
  });

  it('refuses impossible dates and other text', () => {
    const p = newIsoParts();
    for (const s of ['2023-02-29', '2024-13-01', '2024-01-32T00:00:00Z', '2024-01-05T24:00:00Z', '2024-01-05T10:61:00Z',
      '2024-01-05T10:00:00X', '2024-01-05T10:00:00.Z', 'abc', '20240105', '2024-01-05T10', '1704448800']) {
      expect(parseIsoParts(s, p), s).toBe(false);
    }
  });

  it('daysFromCivil counts days from 1970-01-01 both ways', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 3, 1)).toBe(Date.UTC(2000, 2, 1) / 86_400_000);
  });
});

describe('ZoneOffsets', () => {
  it('gives the offset of a wall time in an IANA zone, across DST changes', () => {
    const z = new ZoneOffsets('Europe/Berlin');
    expect(z.offsetMs(Date.UTC(2024, 0, 5, 10))).toBe(3_600_000);
    expect(z.offsetMs(Date.UTC(2024, 6, 5, 10))).toBe(7_200_000);
    // the autumn hour that happens twice takes standard time (luxon's choice); a spring gap moves forward
    expect(z.offsetMs(Date.UTC(2024, 9, 27, 2, 30))).toBe(3_600_000);
    expect(z.offsetMs(Date.UTC(2024, 2, 31, 2, 30))).toBe(3_600_000);
    expect(z.offsetMs(Date.UTC(2024, 2, 31, 3, 30))).toBe(7_200_000);
    expect(new ZoneOffsets('Asia/Kolkata').offsetMs(Date.UTC(2024, 0, 5))).toBe(19_800_000);
  });
});
