import { TimeUnit, Type } from 'apache-arrow';
import type { Timestamp } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowTypeOf, parseColumnSchema, parseColumnSpec } from '../../../src/arrow/column-types.js';
import { SpecError } from '../../../src/errors.js';

describe('column types', () => {
  it('maps type names to Arrow types; timestamps default to microseconds in UTC', () => {
    const s = parseColumnSchema({ a: 'string', b: 'int64', c: 'int32', d: 'float64', e: 'bool', f: 'date', g: 'timestamp', h: 'timestamp[ms]' }, 'schema');
    const types = [...s.values()].map((c) => arrowTypeOf(c));
    expect(types.map((t) => t.typeId)).toEqual([Type.Utf8, Type.Int, Type.Int, Type.Float, Type.Bool, Type.Date, Type.Timestamp, Type.Timestamp]);
    expect((types[6] as Timestamp).unit).toBe(TimeUnit.MICROSECOND);
    expect((types[6] as Timestamp).timezone).toBe('UTC');
    expect((types[7] as Timestamp).unit).toBe(TimeUnit.MILLISECOND);
  });

  it('reads the object form with tz and epoch unit', () => {
    const spec = parseColumnSpec({ type: 'timestamp[ns]', tz: 'Europe/Berlin', unit: 's' }, 'schema.ts');
    expect(spec).toEqual({ type: 'timestamp[ns]', unit: 'ns', tz: 'Europe/Berlin', epochUnit: 's' });
    expect((arrowTypeOf(spec) as Timestamp).timezone).toBe('Europe/Berlin');
  });

  it('refuses bad declarations, naming the key and the value', () => {
    expect(() => parseColumnSpec('integer', 'attributes.schema.n')).toThrow(SpecError);
    expect(() => parseColumnSpec('integer', 'attributes.schema.n')).toThrow(/attributes.schema.n: "integer" is not a column type; expected one of string, int64/);
    expect(() => parseColumnSpec({ type: 'timestamp', tz: 'Mars/Base' }, 's.t')).toThrow(/s.t.tz: "Mars\/Base" is not an IANA time zone/);
    expect(() => parseColumnSpec({ type: 'timestamp', unit: 'min' }, 's.t')).toThrow(/s.t.unit: "min" is not a time unit; expected one of s, ms, us, ns/);
    expect(() => parseColumnSpec({ type: 'int64', tz: 'UTC' }, 's.n')).toThrow(/s.n.tz: a time zone applies only to timestamp columns/);
    expect(() => parseColumnSpec({ type: 'int64', size: 3 }, 's.n')).toThrow(/unknown key "size" \(value 3\); accepted keys: type, tz, unit/);
    expect(() => parseColumnSchema(['a'], 'attributes.schema')).toThrow(/attributes.schema: \["a"\] is not a map/);
  });
});
