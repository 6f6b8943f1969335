import { describe, expect, it } from 'vitest';
import { redact, redactDeep, redactUrl } from '../../../src/util/redact.js';

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redact('user=admin pw=s3cret, again s3cret', ['s3cret'])).toBe('user=admin pw=***, again ***');
    expect(redact('nothing here', ['s3cret'])).toBe('nothing here');
    expect(redact('a.b*c', ['.', '*'])).toBe('a***b***c');
  });

  it('replaces the longest secret first and never re-matches ***', () => {
    expect(redact('token abcdef', ['abc', 'abcdef'])).toBe('token ***');
    expect(redact('x*y', ['*', '**'])).toBe('x***y');
    expect(redact('value', [''])).toBe('value');
    expect(redact('value', [])).toBe('value');
  });

  it('walks JSON values, strings and keys, leaving the input untouched', () => {
    const input = { url: 'pg://u:pw1@h', list: ['pw1', 2, null, { deep: 'x pw1 y' }], pw1: true, n: 5 };
    expect(redactDeep(input, ['pw1'])).toEqual({ url: 'pg://u:***@h', list: ['***', 2, null, { deep: 'x *** y' }], '***': true, n: 5 });
    expect(input.url).toBe('pg://u:pw1@h');
    expect(redactDeep('pw1', ['pw1'])).toBe('***');
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
