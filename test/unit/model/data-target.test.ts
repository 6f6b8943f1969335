import { describe, expect, it } from 'vitest';
import { DataTargetBase } from '../../../src/model/data-target-base.js';
import { DataTarget } from '../../../src/model/data-target.js';
import { FeatureSetProducer } from '../../../src/model/feature-set-producer.js';

describe('DataTargetBase', () => {
  it('uses MLRun snake_case keys and round-trips', () => {
    const t = new DataTargetBase({ kind: 'parquet', name: 'p', path: 'out/', partitioned: true, keyBucketingNumber: 16, partitionCols: ['country'], timePartitioningGranularity: 'day', maxEvents: 500, flushAfterSeconds: 30, storageOptions: { endpoint_url: 'http://x' } });
    const d = t.toDict();
    expect(d).toEqual({ name: 'p', kind: 'parquet', path: 'out/', partitioned: true, key_bucketing_number: 16, partition_cols: ['country'], time_partitioning_granularity: 'day', max_events: 500, flush_after_seconds: 30, storage_options: { endpoint_url: 'http://x' } });
    expect(DataTargetBase.fromDict(d).toDict()).toEqual(d);
  });

  it('refuses a bad granularity naming the legal ones', () => {
    expect(() => DataTargetBase.fromDict({ kind: 'parquet', time_partitioning_granularity: 'week' })).toThrow(
      'DataTargetBase.time_partitioning_granularity: "week" is not one of "year", "month", "day", "hour", "minute", "second"',
    );
  });

  it('refuses out-of-range settings with the key and the rule', () => {
    expect(() => new DataTargetBase({ maxEvents: 0 })).toThrow('DataTargetBase.max_events: 0 is not an integer in 1..10,000,000');
    expect(() => new DataTargetBase({ keyBucketingNumber: -1 })).toThrow('DataTargetBase.key_bucketing_number: -1 is not an integer in 0..1,000,000');
    expect(() => new DataTargetBase({ flushAfterSeconds: -5 })).toThrow('DataTargetBase.flush_after_seconds: -5 is not a number in 0..604,800');
  });

  it('refuses numbers past the range, fractions and huge exponents with the range (issue #8 item 10)', () => {
    const msg = (dict: Record<string, unknown>) => {
      try {
        DataTargetBase.fromDict({ kind: 'parquet', ...dict });
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(msg({ max_events: 1e30 })).toBe('DataTargetBase.max_events: 1e+30 is not an integer in 1..10,000,000');
    expect(msg({ max_events: 10_000_001 })).toBe('DataTargetBase.max_events: 10000001 is not an integer in 1..10,000,000');
    expect(msg({ max_events: 2.5 })).toBe('DataTargetBase.max_events: 2.5 is not an integer in 1..10,000,000');
    expect(msg({ max_events: 10_000_000 })).toBe('accepted');
    expect(msg({ flush_after_seconds: 1e30 })).toBe('DataTargetBase.flush_after_seconds: 1e+30 is not a number in 0..604,800');
    expect(msg({ flush_after_seconds: 0.5 })).toBe('accepted');
    expect(msg({ key_bucketing_number: 1e30 })).toBe('DataTargetBase.key_bucketing_number: 1e+30 is not an integer in 0..1,000,000');
    expect(msg({ key_bucketing_number: 1.5 })).toBe('DataTargetBase.key_bucketing_number: 1.5 is not an integer in 0..1,000,000');
    expect(() => new DataTarget({ name: 'o', rows: 1e30 })).toThrow('DataTarget.rows: 1e+30 is not an integer in 0..9,007,199,254,740,991');
    expect(() => new DataTarget({ name: 'o', size: -1 })).toThrow('DataTarget.size: -1 is not an integer in 0..9,007,199,254,740,991');
  });
});

describe('DataTarget', () => {
  it('records status fields, dates as ISO and the producer', () => {
    const t = new DataTarget({ name: 'offline', kind: 'parquet', path: 'out/{run_id}/', runId: '1_2', status: 'ready', updated: '2024-01-05T10:00:00Z', size: 1234, lastWritten: new Date('2024-01-05T09:59:00Z'), rows: 10, producer: new FeatureSetProducer({ kind: 'run', name: 'ingest', uri: 'demo@abc', sources: { src: 'a.csv' } }) });
    const d = t.toDict();
    expect(d).toMatchObject({ status: 'ready', updated: '2024-01-05T10:00:00.000+00:00', last_written: '2024-01-05T09:59:00.000+00:00', size: 1234, run_id: '1_2', producer: { kind: 'run', uri: 'demo@abc', sources: { src: 'a.csv' } } });
    const back = DataTarget.fromDict(d);
    expect(back.producer).toBeInstanceOf(FeatureSetProducer);
    expect(back.lastWritten?.toISOString()).toBe('2024-01-05T09:59:00.000Z');
    expect(back.toDict()).toEqual(d);
  });

  it('refuses an unknown status', () => {
    expect(() => DataTarget.fromDict({ status: 'done' })).toThrow('DataTarget.status: "done" is not one of "created", "ready", "error"');
  });
});
