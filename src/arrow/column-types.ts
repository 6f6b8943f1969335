import { Bool, DateDay, Float64, Int32, Int64, TimeUnit, Timestamp, Utf8 } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { IANAZone } from 'luxon';
import { SpecError } from '../errors.js';

/** Names a user may give a column's type in `attributes.schema`. */
export type ColumnTypeName =
  | 'string'
  | 'int64'
  | 'int32'
  | 'float64'
  | 'bool'
  | 'date'
  | 'timestamp'
  | 'timestamp[s]'
  | 'timestamp[ms]'
  | 'timestamp[us]'
  | 'timestamp[ns]';

export const COLUMN_TYPE_NAMES: readonly ColumnTypeName[] = [
  'string', 'int64', 'int32', 'float64', 'bool', 'date',
  'timestamp', 'timestamp[s]', 'timestamp[ms]', 'timestamp[us]', 'timestamp[ns]',
];

/** A time unit: seconds, milliseconds, microseconds, nanoseconds. */
export type TimeUnitName = 's' | 'ms' | 'us' | 'ns';
export const TIME_UNIT_NAMES: readonly TimeUnitName[] = ['s', 'ms', 'us', 'ns'];

/**
 * One column's declared type. For timestamps, `unit` is the storage unit (default `us`), `epochUnit` the unit
 * of epoch numbers in the data (numbers are refused without it), and `tz` both the Arrow type's time zone and
 * the zone a naive time in this column is read in.
 */
export interface ColumnSpec {
  type: ColumnTypeName;
  unit?: TimeUnitName;
  epochUnit?: TimeUnitName;
  tz?: string;
}

/** Checks an IANA time zone name, throwing a {@link SpecError} naming `what` when it is unknown. */
export function checkTimeZone(zone: unknown, what: string): string {
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) {
    throw new SpecError(`${what}: ${JSON.stringify(zone)} is not an IANA time zone; expected a name such as UTC or Europe/Berlin`);
  }
  return zone;
}

/** Checks a time unit, throwing a {@link SpecError} naming `what` when it is not s, ms, us or ns. */
export function checkTimeUnit(unit: unknown, what: string): TimeUnitName {
  if (!TIME_UNIT_NAMES.includes(unit as TimeUnitName)) {
    throw new SpecError(`${what}: ${JSON.stringify(unit)} is not a time unit; expected one of ${TIME_UNIT_NAMES.join(', ')}`);
  }
  return unit as TimeUnitName;
}

function checkTypeName(t: unknown, what: string): ColumnTypeName {
  if (!COLUMN_TYPE_NAMES.includes(t as ColumnTypeName)) {
    throw new SpecError(`${what}: ${JSON.stringify(t)} is not a column type; expected one of ${COLUMN_TYPE_NAMES.join(', ')}`);
  }
  return t as ColumnTypeName;
}

/**
 * Parses a declared column type: a type name (`'int64'`, `'timestamp[ms]'`) or an object
 * `{ type, tz?, unit? }`, where `unit` on a timestamp names the unit of epoch numbers in the data.
 */
export function parseColumnSpec(raw: unknown, what: string): ColumnSpec {
  if (typeof raw === 'string') return storageSpec(checkTypeName(raw, what));
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError(`${what}: ${JSON.stringify(raw)} is not a column type; expected a type name such as 'int64' or { type: 'timestamp', tz: 'UTC', unit: 's' }`);
  }
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!['type', 'tz', 'unit'].includes(k)) {
      throw new SpecError(`${what}: unknown key "${k}" (value ${JSON.stringify(obj[k])}); accepted keys: type, tz, unit`);
    }
  }
  const spec = storageSpec(checkTypeName(obj.type, `${what}.type`));
  if (obj.tz !== undefined) {
    if (!spec.type.startsWith('timestamp')) throw new SpecError(`${what}.tz: a time zone applies only to timestamp columns, not ${spec.type}`);
    spec.tz = checkTimeZone(obj.tz, `${what}.tz`);
  }
  if (obj.unit !== undefined) {
    if (!spec.type.startsWith('timestamp')) throw new SpecError(`${what}.unit: an epoch unit applies only to timestamp columns, not ${spec.type}`);
    spec.epochUnit = checkTimeUnit(obj.unit, `${what}.unit`);
  }
  return spec;
}

function storageSpec(type: ColumnTypeName): ColumnSpec {
  const m = /^timestamp(?:\[(s|ms|us|ns)\])?$/.exec(type);
  if (!m) return { type };
  return { type, unit: (m[1] as TimeUnitName | undefined) ?? 'us' };
}

/**
 * Parses `attributes.schema`, a map of column name to type (see {@link parseColumnSpec}).
 * @example parseColumnSchema({ id: 'int64', ts: { type: 'timestamp', tz: 'Europe/Berlin' } }, 'attributes.schema')
 */
export function parseColumnSchema(raw: unknown, what: string): Map<string, ColumnSpec> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError(`${what}: ${JSON.stringify(raw)} is not a map of column name to type; expected e.g. { id: 'int64', ts: 'timestamp' }`);
  }
  const out = new Map<string, ColumnSpec>();
  for (const [name, t] of Object.entries(raw as Record<string, unknown>)) out.set(name, parseColumnSpec(t, `${what}.${name}`));
  return out;
}

const ARROW_UNITS: Record<TimeUnitName, TimeUnit> = {
  s: TimeUnit.SECOND,
  ms: TimeUnit.MILLISECOND,
  us: TimeUnit.MICROSECOND,
  ns: TimeUnit.NANOSECOND,
};

/** The Arrow type of a column spec; timestamps carry their `tz` or `UTC`. */
export function arrowTypeOf(spec: ColumnSpec): DataType {
  switch (spec.type) {
    case 'string': return new Utf8();
    case 'int64': return new Int64();
    case 'int32': return new Int32();
    case 'float64': return new Float64();
    case 'bool': return new Bool();
    case 'date': return new DateDay();
    default: return new Timestamp(ARROW_UNITS[spec.unit ?? 'us'], spec.tz ?? 'UTC');
  }
}
