import { describe, expect, it } from 'vitest';
import { redact, redactDeep, redactUrl } from '../../../src/util/redact.js';

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redact('user=admin pw=s3cret, again s3cret', ['s3cret'])).toBe('user=admin pw=***, again ***');
    expect(redact('nothing here', ['s3cret'])).toBe('nothing here');
    expect(redact('a.b*c+', ['.b*c+'])).toBe('a***');
  });

  it('replaces the longest secret first and never re-matches ***', () => {
    expect(redact('token abcdef', ['abc', 'abcdef'])).toBe('token ***');
    expect(redact('x ** y', ['*', '**'])).toBe('x *** y');
    expect(redact('value', [''])).toBe('value');
    expect(redact('value', [])).toBe('value');
  });

  it('replaces a short secret (under 4 characters, or a literal word such as true) only where it stands alone', () => {
    expect(redact('user a logged in with data', ['a'])).toBe('user *** logged in with data');
    expect(redact('2026-12-01T10:01:00Z took 1 s, 1.5 rows', ['1'])).toBe('2026-12-01T10:01:00Z took *** s, ***.5 rows');
    expect(redact('region eu-west-1 (europe, EU)', ['eu'])).toBe('region ***-west-1 (europe, EU)');
    expect(redact('flag=true, trueness, TRUE', ['true'])).toBe('flag=***, trueness, TRUE');
    expect(redact('x * y and x*y', ['*'])).toBe('x *** y and x*y');
    expect(redact('abcd in xabcdx', ['abcd'])).toBe('*** in x***x');
  });

  it('walks JSON values, rewriting strings but never keys, leaving the input untouched', () => {
    const input = { url: 'pg://u:pw12@h', list: ['pw12', 2, null, { deep: 'x pw12 y' }], pw12: true, n: 5 };
    expect(redactDeep(input, ['pw12'])).toEqual({ url: 'pg://u:***@h', list: ['***', 2, null, { deep: 'x *** y' }], pw12: true, n: 5 });
    expect(input.url).toBe('pg://u:pw12@h');
    expect(redactDeep('pw12', ['pw12'])).toBe('***');
    expect(redactDeep({ metadata: { start_time: '2026-12-01T10:00:00Z', name: 'a' } }, ['a', '20'])).toEqual({
      metadata: { start_time: '2026-12-01T10:00:00Z', name: '***' },
    });
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest byte for byte', () => {
    expect(redactUrl('redis://user:pa:ss@host:6379/0')).toBe('redis://user:***@host:6379/0');
    expect(redactUrl('redis://:secret@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(redactUrl('postgres://postgres:p@ss@db/test?x=1')).toBe('postgres://postgres:***@db/test?x=1');
    expect(redactUrl('http://example.com/a@b')).toBe('http://example.com/a@b');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});
