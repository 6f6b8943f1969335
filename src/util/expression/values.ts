/**
 * Value rules of the expression language. Values come from JSON-like scopes: numbers, strings, booleans,
 * null/undefined, arrays, plain objects (and Dates, compared by time).
 */

const NUMERIC_RE = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const BLOCKED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** Whether `s` is a string that reads as a decimal number, e.g. `"0.9"`, `" -1e3 "`. */
export function isNumericString(s: unknown): boolean {
  return typeof s === 'string' && NUMERIC_RE.test(s);
}

/**
 * Python-style truthiness: `false`, `null`, `undefined`, `0`, `NaN`, `''`, `[]` and `{}` are false;
 * everything else is true.
 */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** A plain object: a `{}` literal, `Object.create(null)` or a parsed JSON object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype;
}

/**
 * The own data property `key` of `obj`, or `undefined`. Never walks the prototype chain, never runs a getter,
 * never returns a function, and refuses `__proto__`, `prototype` and `constructor`; so `constructor.constructor`
 * cannot reach `Function`. Arrays answer integer indexes (negative counts from the end, as Python) only.
 */
export function ownMember(obj: unknown, key: string | number): unknown {
  if (Array.isArray(obj)) {
    const n = typeof key === 'number' ? key : isNumericString(key) ? Number(key) : NaN;
    if (!Number.isInteger(n)) return undefined;
    return sanitize(obj[n < 0 ? obj.length + n : n]);
  }
  if (typeof obj !== 'object' || obj === null || obj instanceof Date) return undefined;
  const k = String(key);
  if (BLOCKED_KEYS.has(k)) return undefined;
  const desc = Object.getOwnPropertyDescriptor(obj, k);
  if (desc === undefined || !('value' in desc)) return undefined;
  return sanitize(desc.value);
}

function sanitize(value: unknown): unknown {
  return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
}

/** Whether a value is "none" (`null` or `undefined`, both Python's `None`). */
export function isNone(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/**
 * Equality: `null == undefined`; a number and a numeric string compare as numbers (`1 == "1.0"`); Dates by time;
 * arrays and plain objects structurally; anything else strictly (`true == 1` is false, `"a" == "A"` is false).
 */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (isNone(a) || isNone(b)) return isNone(a) && isNone(b);
  if (typeof a === 'number' && isNumericString(b)) return a === Number(b);
  if (typeof b === 'number' && isNumericString(a)) return Number(a) === b;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => looseEquals(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && looseEquals(a[k], b[k]));
  }
  return a === b;
}

/**
 * Ordering for `< <= > >=`: numbers (a numeric string beside a number counts as a number), strings by code
 * unit, Dates by time, booleans as 0/1 against each other. Any other pair, a NaN or a missing value is
 * unordered and every ordering comparison is false. Returns the sign of `a - b`, or `undefined` if unordered.
 */
export function order(a: unknown, b: unknown): number | undefined {
  const na = typeof a === 'number' ? a : typeof b === 'number' && isNumericString(a) ? Number(a) : undefined;
  const nb = typeof b === 'number' ? b : typeof a === 'number' && isNumericString(b) ? Number(b) : undefined;
  if (na !== undefined && nb !== undefined) return Number.isNaN(na) || Number.isNaN(nb) ? undefined : Math.sign(na - nb);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) {
    const d = a.getTime() - b.getTime();
    return Number.isNaN(d) ? undefined : Math.sign(d);
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

/** A short description of a value's type for error messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'date';
  if (typeof value === 'object') return 'object';
  return typeof value;
}
