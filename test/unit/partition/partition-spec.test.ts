import { describe, expect, it } from 'vitest';
import { DateDay, Field, Int32, List, Schema, Timestamp, TimeUnit, Utf8 } from 'apache-arrow';
import { SpecError } from '../../../src/errors.js';
import { resolvePartitionSpec, validatePartitionSpec } from '../../../src/partition/partition-spec.js';

const src = { keyFields: ['id'], timeField: 'ts' };

describe('resolvePartitionSpec', () => {
  it('partitions by hour when nothing is set', () => {
    expect(resolvePartitionSpec({}, src)).toEqual({ keyFields: ['id'], timeField: 'ts', granularity: 'hour' });
    expect(resolvePartitionSpec({ partitioned: true }, src).granularity).toBe('hour');
  });

  it('gives no levels when not partitioned', () => {
    expect(resolvePartitionSpec({ partitioned: false, keyBucketingNumber: 4, timePartitioningGranularity: 'day' }, src)).toEqual({ keyFields: ['id'], timeField: 'ts' });
  });

  it('gives no time levels for partition_cols or key bucketing without a granularity (as MLRun)', () => {
    expect(resolvePartitionSpec({ partitionCols: ['country'] }, src)).toEqual({ keyFields: ['id'], timeField: 'ts', partitionCols: ['country'] });
    expect(resolvePartitionSpec({ keyBucketingNumber: 4 }, src).granularity).toBeUndefined();
  });

  it('keeps every setting given', () => {
    expect(resolvePartitionSpec({ keyBucketingNumber: 16, partitionCols: ['country'], timePartitioningGranularity: 'day' }, src)).toEqual({
      keyFields: ['id'], timeField: 'ts', keyBucketingNumber: 16, partitionCols: ['country'], granularity: 'day',
    });
  });

  it('refuses time partitioning without a time field, naming the setting', () => {
    const noTime = { keyFields: ['id'] };
    expect(() => resolvePartitionSpec({ timePartitioningGranularity: 'day' }, noTime)).toThrow(SpecError);
    expect(() => resolvePartitionSpec({ timePartitioningGranularity: 'day' }, noTime)).toThrow(/time_partitioning_granularity: "day" needs an event time column/);
    expect(() => resolvePartitionSpec({}, noTime)).toThrow(/time_partitioning_granularity: .*partitions by hour of the event time, but the source has no time field/);
    expect(resolvePartitionSpec({ partitionCols: ['c'] }, noTime)).toEqual({ keyFields: ['id'], partitionCols: ['c'] });
  });

  it('refuses an unknown granularity, listing the legal ones', () => {
    expect(() => resolvePartitionSpec({ timePartitioningGranularity: 'week' }, src)).toThrow(
      'time_partitioning_granularity: "week" is not a time unit; expected one of year, month, day, hour, minute, second',
    );
  });

  it('refuses bad key bucketing and partition column lists', () => {
    expect(() => resolvePartitionSpec({ keyBucketingNumber: -1 }, src)).toThrow(/key_bucketing_number: -1 is not a non-negative integer/);
    expect(() => resolvePartitionSpec({ keyBucketingNumber: 2.5 }, src)).toThrow(/key_bucketing_number: 2.5/);
    expect(() => resolvePartitionSpec({ keyBucketingNumber: 4 }, { keyFields: [], timeField: 'ts' })).toThrow(/key_bucketing_number: 4 needs an entity key/);
    expect(() => resolvePartitionSpec({ partitionCols: ['a', 'a'] }, src)).toThrow(/partition_cols: column `a` is listed twice/);
    expect(() => resolvePartitionSpec({ partitionCols: ['ts'] }, src)).toThrow(/partition_cols: column `ts` is the time field/);
  });
});

describe('validatePartitionSpec', () => {
  const schema = new Schema([
    new Field('id', new Utf8()),
    new Field('country', new Utf8()),
    new Field('ts', new Timestamp(TimeUnit.MICROSECOND, 'UTC')),
    new Field('d', new DateDay()),
    new Field('tags', new List(new Field('item', new Int32()))),
  ]);

  it('accepts columns that exist with usable types', () => {
    expect(() => validatePartitionSpec({ keyFields: ['id'], keyBucketingNumber: 4, partitionCols: ['country'], granularity: 'day', timeField: 'ts' }, schema)).not.toThrow();
    expect(() => validatePartitionSpec({ keyFields: ['id'], granularity: 'day', timeField: 'd' }, schema)).not.toThrow();
  });

  it('names a missing column and lists the columns', () => {
    expect(() => validatePartitionSpec({ keyFields: ['id'], partitionCols: ['region'] }, schema)).toThrow(
      'partition_cols: column `region` is not in the source; columns: id, country, ts, d, tags',
    );
    expect(() => validatePartitionSpec({ keyFields: ['uid'], keyBucketingNumber: 2 }, schema)).toThrow(/key_field: column `uid` is not in the source/);
    expect(() => validatePartitionSpec({ keyFields: ['id'], granularity: 'hour', timeField: 'when' }, schema)).toThrow(/time_field: column `when` is not in the source/);
  });

  it('refuses a non-time time field and an unusable partition column type', () => {
    expect(() => validatePartitionSpec({ keyFields: ['id'], granularity: 'hour', timeField: 'country' }, schema)).toThrow(/time_field: column `country` has type Utf8; time partitioning needs a Timestamp or Date column/);
    expect(() => validatePartitionSpec({ keyFields: ['id'], partitionCols: ['tags'] }, schema)).toThrow(/partition_cols: column `tags` has type List/);
  });
});
