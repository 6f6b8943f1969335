import { describe, expect, it } from 'vitest';
import { DataSource } from '../../../src/model/data-source.js';
import { SpecError } from '../../../src/errors.js';

describe('DataSource', () => {
  it('round-trips through the snake_case dict, times as ISO with offset', () => {
    const src = new DataSource({ kind: 'csv', path: 'a.csv', keyField: ['a', 'b'], timeField: 'ts', startTime: '2024-01-05T10:00:00' });
    expect(src.startTime).toEqual(new Date('2024-01-05T10:00:00Z'));
    const d = src.toDict();
    expect(d).toEqual({ kind: 'csv', path: 'a.csv', key_field: ['a', 'b'], time_field: 'ts', start_time: '2024-01-05T10:00:00.000+00:00' });
    expect(DataSource.fromDict(d).toDict()).toEqual(d);
    expect(JSON.parse(JSON.stringify(src))).toEqual(d);
    expect(DataSource.fromYaml(src.toYaml()).toDict()).toEqual(d);
  });

  it('toDict honours fields and exclude and omits empties', () => {
    const src = new DataSource({ kind: 'parquet', path: 'p', attributes: {} });
    expect(src.toDict({ fields: ['kind'] })).toEqual({ kind: 'parquet' });
    expect(src.toDict({ exclude: ['kind'] })).toEqual({ path: 'p' });
  });

  it('refuses unknown keys naming the key, the value and the accepted keys', () => {
    expect(() => DataSource.fromDict({ kind: 'csv', keyfield: 'x' })).toThrow(SpecError);
    expect(() => DataSource.fromDict({ kind: 'csv', keyfield: 'x' })).toThrow(/unknown key "keyfield" \(value "x"\); accepted keys: kind, name, path/);
  });

  it('refuses wrong types naming the key and the value', () => {
    expect(() => DataSource.fromDict({ workers: 'two' })).toThrow('DataSource.workers: "two" is not an integer');
    expect(() => DataSource.fromDict({ start_time: 'yesterday' })).toThrow(/DataSource.start_time: "yesterday" is not a time/);
    expect(() => new DataSource({ keyField: 3 as never })).toThrow(/key_field: 3 is not a string or a list of strings/);
  });
});

describe('DataSource numeric ranges (issue #8 item 10)', () => {
  it('refuses out-of-range workers and max_age with the range', () => {
    expect(() => DataSource.fromDict({ workers: 0 })).toThrow('DataSource.workers: 0 is not an integer in 1..1,024');
    expect(() => DataSource.fromDict({ max_age: 1e30 })).toThrow('DataSource.max_age: 1e+30 is not an integer in 0..9,007,199,254,740,991');
  });
});
