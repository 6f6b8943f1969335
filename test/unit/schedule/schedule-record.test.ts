import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../src/errors.js';
import { FeatureSet } from '../../../src/model/feature-set.js';
import { Notification } from '../../../src/model/notification.js';
import { dueFire, nextFire } from '../../../src/schedule/due-fire.js';
import { newScheduleRecord, resolveSchedule } from '../../../src/schedule/schedule-record.js';

const fsDict = (source: Record<string, unknown> = {}) => ({
  kind: 'FeatureSet',
  metadata: { name: 'tx', project: 'shop' },
  spec: {
    entities: [{ name: 'user_id' }],
    timestamp_key: 'ts',
    source: { kind: 'csv', path: 'tx.csv', ...source },
    targets: [{ name: 'offline', kind: 'parquet', path: 'out/' }],
  },
});
const created = new Date('2024-05-01T12:00:00Z');

describe('newScheduleRecord / resolveSchedule', () => {
  it('takes the cron and time zone from the source when no flag is given; lateness and lookback from attributes', () => {
    const fs = FeatureSet.fromDict(fsDict({ schedule: '0 6 * * *', attributes: { schedule_tz: 'Europe/Berlin', allowed_lateness_seconds: 60, lookback_seconds: 30 } }));
    const s = newScheduleRecord(fs, { now: created });
    expect(s.record).toMatchObject({ name: 'tx', project: 'shop', cron: '0 6 * * *', created: '2024-05-01T12:00:00.000+00:00' });
    expect(s.record.tz).toBeUndefined();
    expect(s.cron.tz).toBe('Europe/Berlin');
    expect(s.allowedLatenessSeconds).toBe(60);
    expect(s.lookbackSeconds).toBe(30);
    expect(s.lockName).toBe('schedule:shop/tx');
    expect(s.record.feature_set).not.toHaveProperty('status');
  });

  it('flags win over the source; the stored feature set carries the cron as source.schedule', () => {
    const fs = FeatureSet.fromDict(fsDict({ schedule: '0 6 * * *', attributes: { allowed_lateness_seconds: 60 } }));
    const s = newScheduleRecord(fs, {
      now: created,
      name: 'tx-hourly',
      cron: '0 * * * *',
      tz: 'America/New_York',
      allowedLatenessSeconds: 5,
      lookbackSeconds: 0,
      notifications: [new Notification({ kind: 'console', when: ['completed', 'error'] })],
      secrets: ['env=API_KEY'],
    });
    expect(s.record).toMatchObject({ name: 'tx-hourly', cron: '0 * * * *', tz: 'America/New_York', allowed_lateness_seconds: 5, lookback_seconds: 0, secrets: ['env=API_KEY'] });
    expect((s.record.feature_set.spec as { source: { schedule: string } }).source.schedule).toBe('0 * * * *');
    expect(s.allowedLatenessSeconds).toBe(5);
    expect(s.notifications.map((n) => n.when)).toEqual([['completed', 'error']]);
    expect(resolveSchedule(JSON.parse(JSON.stringify(s.record))).cron.expression).toBe('0 * * * *');
  });

  it('with cwd, makes relative local paths absolute (a directory target keeps its trailing /); URLs stay', () => {
    const d = fsDict({ schedule: '* * * * *' });
    d.spec.targets.push({ name: 'remote', kind: 'parquet', path: 's3://bucket/tx/' });
    const s = newScheduleRecord(FeatureSet.fromDict(d), { now: created, cwd: '/srv/jobs' });
    const spec = s.record.feature_set.spec as { source: { path: string }; targets: Array<{ path: string }> };
    expect(spec.source.path).toBe('/srv/jobs/tx.csv');
    expect(spec.targets.map((t) => t.path)).toEqual(['/srv/jobs/out/', 's3://bucket/tx/']);
    expect(s.record.cwd).toBe('/srv/jobs');
  });

  it('refuses a schedule without a cron, without a time field, or with a bad name / zone / lateness, naming the key', () => {
    expect(() => newScheduleRecord(FeatureSet.fromDict(fsDict()), { now: created })).toThrow(/schedule tx: no cron; give --cron or set spec\.source\.schedule/);
    const noTime = { ...fsDict({ schedule: '* * * * *' }), spec: { ...fsDict().spec, timestamp_key: undefined, source: { kind: 'csv', path: 'x.csv', schedule: '* * * * *' } } };
    expect(() => newScheduleRecord(FeatureSet.fromDict(noTime), { now: created })).toThrow(/has no time field.*timestamp_key.*time_field/);
    const fs = FeatureSet.fromDict(fsDict({ schedule: '* * * * *' }));
    expect(() => newScheduleRecord(fs, { now: created, name: 'bad name' })).toThrow(/schedule name "bad name" is not valid/);
    expect(() => newScheduleRecord(fs, { now: created, tz: 'Nowhere/City' })).toThrow(/schedule tx: cron time zone: "Nowhere\/City"/);
    expect(() => newScheduleRecord(fs, { now: created, allowedLatenessSeconds: -5 })).toThrow(/schedule tx: allowed_lateness_seconds: -5/);
    expect(() => newScheduleRecord(fs, { now: created, cron: '* * *' })).toThrow(SpecError);
    expect(() => resolveSchedule({ name: 'x', created: '2024-01-01' })).toThrow(/schedule x: feature_set is missing/);
    expect(() => resolveSchedule({ name: 'x', feature_set: fsDict({ schedule: '* * * * *' }), created: 'never' })).toThrow(/schedule x: created: "never"/);
  });
});

describe('dueFire', () => {
  const s = (extra: Record<string, unknown> = {}) => resolveSchedule({ name: 'tx', feature_set: fsDict({ schedule: '*/10 * * * *' }), created: '2024-05-01T12:00:00+00:00', ...extra });

  it('is not due before the first fire after creation; due at it', () => {
    expect(nextFire(s())).toEqual(new Date('2024-05-01T12:10:00Z'));
    expect(dueFire(s(), new Date('2024-05-01T12:09:59Z'))).toBeUndefined();
    expect(dueFire(s(), new Date('2024-05-01T12:10:00Z'))).toEqual(new Date('2024-05-01T12:10:00Z'));
  });

  it('collapses fires missed while nothing ran into one: the latest due instant', () => {
    const missed = s({ last_fire: '2024-05-01T12:10:00+00:00' });
    expect(dueFire(missed, new Date('2024-05-01T15:47:00Z'))).toEqual(new Date('2024-05-01T15:40:00Z'));
    const after = s({ last_fire: '2024-05-01T15:40:00+00:00' });
    expect(dueFire(after, new Date('2024-05-01T15:47:00Z'))).toBeUndefined();
  });
});
