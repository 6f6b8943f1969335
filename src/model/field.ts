import { SpecError } from '../errors.js';
import { formatTime, parseTime } from '../util/time.js';

/**
 * The type of one field of a model object. Checked when a model is constructed (from options or from a dict),
 * so a model that exists is valid ("parse, don't validate").
 */
export type FieldType =
  | { t: 'string' }
  | { t: 'number'; min?: number; max?: number }
  | { t: 'int'; min?: number; max?: number }
  | { t: 'boolean' }
  | { t: 'date' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'stringOrList' }
  | { t: 'list'; of: FieldType }
  | { t: 'map'; of: FieldType }
  | { t: 'json' }
  | { t: 'model'; cls: () => ModelClassLike }
  | { t: 'modelList'; cls: () => ModelClassLike };

/** One field: its camelCase property and its MLRun snake_case wire key. */
export interface Field {
  prop: string;
  key: string;
  type: FieldType;
}

/** What a nested model class must offer to the field checker. */
export interface ModelClassLike {
  readonly name: string;
  readonly fields?: readonly Field[];
  fromDict(dict: unknown, path?: string): ModelLike;
}

/** Hidden option that carries the path of a nested object into its constructor, for error messages. */
export const PATH = Symbol('sluice.path');

/** Hidden option set by `fromDict`: nested plain objects are snake_case dicts, never camelCase options. */
export const WIRE = Symbol('sluice.wire');

/**
 * How a plain object is read where a model object is expected: `wire` (a `fromDict` document) as a snake_case
 * dict; `options` (constructor options, property assignment) as camelCase constructor options, or as a
 * snake_case dict when it holds a key only the dict form has (`key_field`).
 */
export type CheckMode = 'wire' | 'options';

function buildModel(cls: ModelClassLike, value: Record<string, unknown>, path: string, mode: CheckMode): ModelLike {
  const snakeOnly = new Set((cls.fields ?? []).filter((f) => f.key !== f.prop).map((f) => f.key));
  if (mode === 'options' && !Object.keys(value).some((k) => snakeOnly.has(k))) {
    return new (cls as unknown as new (options: object) => ModelLike)({ ...value, [PATH]: path });
  }
  return cls.fromDict(value, path);
}

/** What a nested model instance must offer to the serialiser. */
export interface ModelLike {
  toDict(options?: ToDictOptions): Record<string, unknown>;
}

export interface ToDictOptions {
  /** Only these wire keys. */
  fields?: readonly string[];
  /** Every wire key but these. */
  exclude?: readonly string[];
}

export const T = {
  string: { t: 'string' },
  number: { t: 'number' },
  int: { t: 'int' },
  boolean: { t: 'boolean' },
  date: { t: 'date' },
  json: { t: 'json' },
  stringOrList: { t: 'stringOrList' },
  /** An integer in `min..max` (both inclusive). */
  intIn: (min: number, max: number): FieldType => ({ t: 'int', min, max }),
  /** A finite number in `min..max` (both inclusive). */
  numberIn: (min: number, max: number): FieldType => ({ t: 'number', min, max }),
  enum: (values: readonly string[]): FieldType => ({ t: 'enum', values }),
  list: (of: FieldType): FieldType => ({ t: 'list', of }),
  map: (of: FieldType): FieldType => ({ t: 'map', of }),
  model: (cls: () => ModelClassLike): FieldType => ({ t: 'model', cls }),
  modelList: (cls: () => ModelClassLike): FieldType => ({ t: 'modelList', cls }),
} as const satisfies Record<string, FieldType | ((...a: never[]) => FieldType)>;

/** Shorthand for a field list: `[['keyField', 'key_field', T.stringOrList], ...]`. */
export function fields(list: ReadonlyArray<readonly [string, string, FieldType]>): readonly Field[] {
  return list.map(([prop, key, type]) => ({ prop, key, type }));
}

function describe(type: FieldType): string {
  switch (type.t) {
    case 'string':
      return 'a string';
    case 'number':
      return type.min !== undefined || type.max !== undefined ? `a number in ${range(type)}` : 'a number';
    case 'int':
      return type.min !== undefined || type.max !== undefined ? `an integer in ${range(type)}` : 'an integer';
    case 'boolean':
      return 'true or false';
    case 'date':
      return 'an ISO-8601 time';
    case 'enum':
      return `one of ${type.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'stringOrList':
      return 'a string or a list of strings';
    case 'list':
      return `a list of ${describe(type.of).replace(/^an? /, '')}s`;
    case 'map':
      return `a map of ${describe(type.of).replace(/^an? /, '')}s`;
    case 'json':
      return 'a JSON value';
    case 'model':
      return `a ${type.cls().name} mapping`;
    case 'modelList':
      return `a list of ${type.cls().name} mappings`;
  }
}

/** `1..10,000,000`: a range as messages write it (an open end is the safe-integer bound). */
function range(type: { min?: number; max?: number }): string {
  const n = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 6 });
  return `${n(type.min ?? Number.MIN_SAFE_INTEGER)}..${n(type.max ?? Number.MAX_SAFE_INTEGER)}`;
}

/** Whether `v` lies in the type's range; integers must also be safe (exact in a double). */
function inRange(type: { min?: number; max?: number }, v: number): boolean {
  return v >= (type.min ?? -Infinity) && v <= (type.max ?? Infinity);
}

function show(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Checks `value` against `type` and returns the parsed value (a Date for a date, a model instance for a model).
 * `path` names the field in errors, e.g. `DataSource.key_field`; `mode` says how a plain object becomes a model.
 */
export function checkValue(type: FieldType, value: unknown, path: string, mode: CheckMode = 'wire'): unknown {
  const fail = (): never => {
    throw new SpecError(`${path}: ${show(value)} is not ${describe(type)}`);
  };
  switch (type.t) {
    case 'string':
      return typeof value === 'string' ? value : fail();
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inRange(type, value) ? value : fail();
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) && inRange(type, value) ? value : fail();
    case 'boolean':
      return typeof value === 'boolean' ? value : fail();
    case 'date':
      if (!(value instanceof Date) && typeof value !== 'string') fail();
      return parseTime(value, path);
    case 'enum':
      return typeof value === 'string' && type.values.includes(value) ? value : fail();
    case 'stringOrList':
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...(value as string[])];
      return fail();
    case 'list':
      if (!Array.isArray(value)) fail();
      return (value as unknown[]).map((v, i) => checkValue(type.of, v, `${path}[${i}]`, mode));
    case 'map': {
      if (!isPlainObject(value)) fail();
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = checkValue(type.of, v, `${path}.${k}`, mode);
      return out;
    }
    case 'json':
      return value;
    case 'model': {
      const cls = type.cls();
      if (value instanceof (cls as unknown as new () => unknown)) return value;
      if (!isPlainObject(value)) fail();
      return buildModel(cls, value as Record<string, unknown>, path, mode);
    }
    case 'modelList': {
      const cls = type.cls();
      if (!Array.isArray(value)) fail();
      return (value as unknown[]).map((v, i) => {
        if (v instanceof (cls as unknown as new () => unknown)) return v;
        if (!isPlainObject(v)) throw new SpecError(`${path}[${i}]: ${show(v)} is not a ${cls.name} mapping`);
        return buildModel(cls, v, `${path}[${i}]`, mode);
      });
    }
  }
}

/** Serialises one value for a dict: dates as ISO with offset, models through their toDict. */
export function serialiseValue(type: FieldType, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (type.t) {
    case 'date':
      return value instanceof Date ? formatTime(value) : value;
    case 'model':
      return (value as ModelLike).toDict();
    case 'modelList':
      return (value as ModelLike[]).map((v) => v.toDict());
    case 'list':
      return (value as unknown[]).map((v) => serialiseValue(type.of, v));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = serialiseValue(type.of, v);
      return out;
    }
    case 'json':
      return structuredClone(value);
    default:
      return value;
  }
}

/** True for values `toDict` leaves out: null, undefined, empty lists and empty maps. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}
