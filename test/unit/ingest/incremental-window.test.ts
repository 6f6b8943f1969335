import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../src/errors.js';
import { featureSetWatermark, incrementalWindow } from '../../../src/ingest/incremental-window.js';

const now = new Date('2024-05-01T12:00:00Z');

describe('incrementalWindow', () => {
  it('reads everything up to now when nothing was written yet', () => {
    expect(incrementalWindow({ now })).toEqual({ end: now });
  });

  it('is (watermark, now - allowed lateness]', () => {
    const watermark = new Date('2024-05-01T11:00:00Z');
    expect(incrementalWindow({ now, watermark, allowedLatenessSeconds: 300 })).toEqual({ start: watermark, end: new Date('2024-05-01T11:55:00Z'), watermark });
  });

  it('subtracts the lookback from the start, to re-read late rows', () => {
    const watermark = new Date('2024-05-01T11:00:00Z');
    const w = incrementalWindow({ now, watermark, lookbackSeconds: 600 });
    expect(w.start).toEqual(new Date('2024-05-01T10:50:00Z'));
    expect(w.end).toEqual(now);
  });

  it('never ends past now; accepts numeric strings from YAML attributes', () => {
    expect(incrementalWindow({ now, allowedLatenessSeconds: 0 }).end).toEqual(now);
    expect(incrementalWindow({ now, allowedLatenessSeconds: '60' as unknown as number }).end).toEqual(new Date('2024-05-01T11:59:00Z'));
  });

  it('refuses negative or non-numeric seconds, naming the key and value', () => {
    expect(() => incrementalWindow({ now, allowedLatenessSeconds: -1 })).toThrow(/allowed_lateness_seconds: -1 is not valid; expected a number of seconds >= 0/);
    expect(() => incrementalWindow({ now, lookbackSeconds: 'soon' as unknown as number })).toThrow(SpecError);
    expect(() => incrementalWindow({ now, lookbackSeconds: 'soon' as unknown as number })).toThrow(/lookback_seconds: "soon"/);
  });
});

describe('featureSetWatermark', () => {
  it('is the smallest last_written over the targets that have one', () => {
    const status = {
      targets: [
        { name: 'offline', last_written: '2024-05-01T10:00:00+00:00' },
        { name: 'online', last_written: '2024-05-01T09:30:00+02:00' },
        { name: 'new' },
      ],
    };
    expect(featureSetWatermark(status)).toEqual(new Date('2024-05-01T07:30:00Z'));
  });

  it('is undefined without a status or without any last_written', () => {
    expect(featureSetWatermark(undefined)).toBeUndefined();
    expect(featureSetWatermark({})).toBeUndefined();
    expect(featureSetWatermark({ targets: [{ name: 'offline', last_written: null }] })).toBeUndefined();
  });

  it('names the target of a bad last_written', () => {
    expect(() => featureSetWatermark({ targets: [{ name: 'offline', last_written: 'yesterday' }] })).toThrow(/target offline: last_written: "yesterday" is not a time/);
  });
});
