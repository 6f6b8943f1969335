import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateExpression, ExpressionError, truthy } from '../../../src/run/expression.js';
import { SpecError } from '../../../src/errors.js';

const ev = (src: string, scope: Record<string, unknown> = {}): unknown => evaluateExpression(src, scope);

function errorOf(f: () => unknown): ExpressionError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    expect(err).toBeInstanceOf(SpecError);
    return err as ExpressionError;
  }
  throw new Error('expected an ExpressionError');
}

describe('expression literals', () => {
  it('reads numbers: int, float, exponent, leading dot, unary minus', () => {
    expect(ev('42')).toBe(42);
    expect(ev('2.5')).toBe(2.5);
    expect(ev('1e3')).toBe(1000);
    expect(ev('1.5E-2')).toBe(0.015);
    expect(ev('.5')).toBe(0.5);
    expect(ev('-3')).toBe(-3);
    expect(ev('--3')).toBe(3);
    expect(ev('-(2 + 1)')).toBe(-3);
  });

  it('reads strings in both quotes with escapes', () => {
    expect(ev(`'it\\'s'`)).toBe("it's");
    expect(ev(`"say \\"hi\\""`)).toBe('say "hi"');
    expect(ev(`"it's"`)).toBe("it's");
    expect(ev(`'a\\\\b'`)).toBe('a\\b');
    expect(ev(`'tab\\there\\n'`)).toBe('tab\there\n');
    expect(ev(`'\\u00e9\\x41'`)).toBe('éA');
    expect(ev(`'\\d'`)).toBe('\\d');
  });

  it('reads true/false/null and the Python spellings', () => {
    expect(ev('true')).toBe(true);
    expect(ev('True')).toBe(true);
    expect(ev('false')).toBe(false);
    expect(ev('False')).toBe(false);
    expect(ev('null')).toBe(null);
    expect(ev('None')).toBe(null);
  });

  it('reads lists', () => {
    expect(ev('[]')).toEqual([]);
    expect(ev('[1, "a", [true, None]]')).toEqual([1, 'a', [true, null]]);
    expect(ev('[1, 2,]')).toEqual([1, 2]);
    expect(ev('[x, x * 2]', { x: 3 })).toEqual([3, 6]);
  });
});

describe('expression operators', () => {
  it('follows arithmetic precedence and parentheses', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('10 - 4 - 3')).toBe(3);
    expect(ev('12 / 4 / 3')).toBe(1);
    expect(ev('-2 * 3 + 1')).toBe(-5);
    expect(ev('7 % 3')).toBe(1);
    expect(ev('-7 % 3')).toBe(2);
    expect(ev('7 % -3')).toBe(-2);
    expect(ev('"ab" + "cd"')).toBe('abcd');
    expect(ev('[1] + [2]')).toEqual([1, 2]);
  });

  it('binds not looser than comparisons, and tighter than and, which binds tighter than or', () => {
    expect(ev('not 1 == 2')).toBe(true);
    expect(ev('true or false and false')).toBe(true);
    expect(ev('(true or false) and false')).toBe(false);
    expect(ev('not false and false')).toBe(false);
    expect(ev('1 + 1 == 2 and 2 * 3 > 5')).toBe(true);
    expect(ev('!(1 < 2) || 3 >= 3 && 1 != 2')).toBe(true);
  });

  it('returns the deciding operand from and/or and short-circuits', () => {
    expect(ev('0 or "x"')).toBe('x');
    expect(ev('"a" and 0')).toBe(0);
    expect(ev('false and missing.thing')).toBe(false);
    expect(ev('true or missing')).toBe(true);
  });

  it('compares numbers, strings and chains comparisons as Python', () => {
    expect(ev('3 > 2')).toBe(true);
    expect(ev('2 >= 2 and 2 <= 2 and 1 < 2')).toBe(true);
    expect(ev('"abc" < "abd"')).toBe(true);
    expect(ev('0 < x <= 1', { x: 0.5 })).toBe(true);
    expect(ev('0 < x <= 1', { x: 1.5 })).toBe(false);
    expect(ev('3 > 2 > 1')).toBe(true);
  });

  it('applies the mismatched-type rule', () => {
    expect(ev('"0.95" > 0.9')).toBe(true);
    expect(ev('x == 1', { x: '1.0' })).toBe(true);
    expect(ev('"abc" > 1')).toBe(false);
    expect(ev('"abc" < 1')).toBe(false);
    expect(ev('true == 1')).toBe(false);
    expect(ev('"1" == "1.0"')).toBe(false);
    expect(ev('null == x', { x: undefined })).toBe(true);
    expect(ev('x > 0', { x: null })).toBe(false);
    expect(ev('[1, 2] == [1, 2]')).toBe(true);
    expect(ev('o == o2', { o: { a: 1 }, o2: { a: 1 } })).toBe(true);
    expect(ev('"2" + 1')).toBe(3);
    expect(ev('x + 1', { x: null })).toBeUndefined();
  });

  it('tests membership with in / not in for lists, strings and maps', () => {
    expect(ev('2 in [1, 2, 3]')).toBe(true);
    expect(ev('"2" in [1, 2, 3]')).toBe(true);
    expect(ev('4 not in [1, 2, 3]')).toBe(true);
    expect(ev('"ell" in "hello"')).toBe(true);
    expect(ev('"z" not in "hello"')).toBe(true);
    expect(ev('state in ["error", "aborted"]', { state: 'error' })).toBe(true);
    expect(ev('"a" in m', { m: { a: 1 } })).toBe(true);
    expect(ev('"constructor" in m', { m: {} })).toBe(false);
    expect(ev('not "a" in ["a"]')).toBe(false);
  });

  it('reads dotted paths and indexes', () => {
    const scope = { run: { status: { state: 'completed', results: { 'f1-score': 0.8, accuracy: 0.95 } }, tags: ['a', 'b'] } };
    expect(ev('run.status.state', scope)).toBe('completed');
    expect(ev('run.status.results.accuracy > 0.9', scope)).toBe(true);
    expect(ev('run.status.results["f1-score"]', scope)).toBe(0.8);
    expect(ev('run.tags[0] + run.tags[-1]', scope)).toBe('ab');
    expect(ev('run.status.reason', scope)).toBeUndefined();
    expect(ev('run.nothing.deeper.still', scope)).toBeUndefined();
    expect(ev('run.status.in', { run: { status: { in: 1 } } })).toBe(1);
  });
});

describe('expression errors', () => {
  it('names the unexpected token and its column', () => {
    const e = errorOf(() => compileExpression('accuracy >> 0.9'));
    expect(e.kind).toBe('syntax');
    expect(e.position).toBe(10);
    expect(e.message).toBe('expression "accuracy >> 0.9": unexpected token ">" at column 11');
    expect(errorOf(() => compileExpression('a = 1')).message).toMatch(/unexpected character "=" \(use == to compare\) at column 3/);
    expect(errorOf(() => compileExpression('(1 + 2')).message).toMatch(/expected "\)" to close the "\(" at column 1 but found end of expression at column 7/);
    expect(errorOf(() => compileExpression('"abc')).message).toMatch(/unterminated string starting with " at column 1/);
    expect(errorOf(() => compileExpression('1 2')).message).toMatch(/unexpected token "2" at column 3/);
    expect(errorOf(() => compileExpression('a and')).message).toMatch(/unexpected end of expression at column 6/);
    expect(errorOf(() => compileExpression('a.1')).message).toMatch(/expected a name after "\." but found token "1" at column 3/);
    expect(errorOf(() => compileExpression('x @ y')).message).toMatch(/unexpected character "@" at column 3/);
    expect(errorOf(() => compileExpression('a & b')).message).toMatch(/use && or and/);
    expect(errorOf(() => compileExpression('  ')).message).toMatch(/empty expression/);
    expect(errorOf(() => compileExpression('"\\u12"')).message).toMatch(/bad escape/);
  });

  it('refuses deep nesting and huge sources', () => {
    expect(errorOf(() => compileExpression('('.repeat(200) + '1' + ')'.repeat(200))).message).toMatch(/nesting deeper than 100/);
    expect(errorOf(() => compileExpression('1+'.repeat(6000) + '1')).message).toMatch(/at most 10000/);
  });

  it('names a missing identifier and the known names, unless missing names are allowed', () => {
    const e = errorOf(() => ev('accuracy > 0.9', { loss: 0.1, f1: 0.2 }));
    expect(e.kind).toBe('missing');
    expect(e.message).toBe('expression "accuracy > 0.9": unknown name "accuracy" at column 1; known names: f1, loss');
    expect(compileExpression('accuracy > 0.9').evaluate({}, { missing: 'undefined' })).toBe(false);
    expect(compileExpression('not accuracy').evaluate({}, { missing: 'undefined' })).toBe(true);
  });

  it('reports type errors and division by zero with the column', () => {
    expect(errorOf(() => ev('"a" - 1')).message).toMatch(/cannot apply "-" to string and number at column 5/);
    expect(errorOf(() => ev('1 / 0')).message).toMatch(/division by zero in "\/" at column 3/);
    expect(errorOf(() => ev('-"x"')).message).toMatch(/unary "-" to string/);
    expect(errorOf(() => ev('1 in 5')).message).toMatch(/"in" needs a list, a string or an object on the right, not number/);
    expect(errorOf(() => ev('1 in "abc"')).message).toMatch(/needs a string on the left/);
    expect(errorOf(() => ev('a[[1]]', { a: [1] })).message).toMatch(/an index must be a number or a string, not list/);
  });
});

describe('expression safety', () => {
  it('reads own data properties only: no prototype, constructor or getters', () => {
    expect(ev('a.constructor', { a: {} })).toBeUndefined();
    expect(ev('a.constructor.constructor', { a: {} })).toBeUndefined();
    expect(ev('a["constructor"]["constructor"]', { a: {} })).toBeUndefined();
    expect(ev('a.__proto__', { a: {} })).toBeUndefined();
    expect(ev('a.toString', { a: {} })).toBeUndefined();
    expect(ev('s.length', { s: 'abc' })).toBeUndefined();
    expect(ev('l.map', { l: [1] })).toBeUndefined();
    expect(ev('l.length', { l: [1] })).toBeUndefined();
    expect(ev('f', { f: () => 1 })).toBeUndefined();
    let called = false;
    const withGetter = Object.defineProperty({}, 'g', { get: () => ((called = true), 1), enumerable: true });
    expect(ev('o.g', { o: withGetter })).toBeUndefined();
    expect(called).toBe(false);
    expect(() => ev('constructor', {})).toThrow(/unknown name "constructor"/);
    expect(() => ev('toString', {})).toThrow(/unknown name "toString"/);
  });

  it('compiles once and evaluates against many scopes, listing the names it reads', () => {
    const expr = compileExpression('a > b or a.x == c');
    expect(expr.names).toEqual(['a', 'b', 'c']);
    expect(expr.source).toBe('a > b or a.x == c');
    expect(expr.evaluate({ a: 2, b: 1, c: 0 })).toBe(true);
    expect(expr.evaluate({ a: { x: 5 }, b: 1, c: 5 })).toBe(true);
  });
});

describe('truthy', () => {
  it('follows Python truthiness', () => {
    for (const v of [false, null, undefined, 0, NaN, '', [], {}]) expect(truthy(v)).toBe(false);
    for (const v of [true, 1, -1, 'x', [0], { a: 0 }, new Date(0)]) expect(truthy(v)).toBe(true);
  });
});
