import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors.js';
import { HIVE_DEFAULT_PARTITION, decodeHivePath, decodeHiveValue, encodeHiveValue } from '../../../src/partition/hive-encoding.js';

describe('encodeHiveValue / decodeHiveValue', () => {
  it('escapes every Hive-special character with upper-case hex', () => {
    const expected: Record<string, string> = {
      '"': '%22', '#': '%23', '%': '%25', "'": '%27', '*': '%2A', '/': '%2F', ':': '%3A', '=': '%3D',
      '?': '%3F', '\\': '%5C', '{': '%7B', '[': '%5B', ']': '%5D', '^': '%5E', ' ': '%20',
    };
    for (const [ch, enc] of Object.entries(expected)) expect(encodeHiveValue(`a${ch}b`)).toBe(`a${enc}b`);
  });

  it('escapes control characters and DEL', () => {
    expect(encodeHiveValue('\u0000')).toBe('%00');
    expect(encodeHiveValue('a\tb\nc')).toBe('a%09b%0Ac');
    expect(encodeHiveValue('\u001f\u007f')).toBe('%1F%7F');
  });

  it('escapes each UTF-8 byte of non-ASCII text', () => {
    expect(encodeHiveValue('Zürich')).toBe('Z%C3%BCrich');
    expect(encodeHiveValue('東京')).toBe('%E6%9D%B1%E4%BA%AC');
    expect(encodeHiveValue('😀')).toBe('%F0%9F%98%80');
    expect(encodeHiveValue('\u00a0')).toBe('%C2%A0');
  });

  it('leaves safe text alone', () => {
    expect(encodeHiveValue('US-east_1.a~b,c+d(e)!@$&;<>|}')).toBe('US-east_1.a~b,c+d(e)!@$&;<>|}');
  });

  it('writes null and the empty string as the Hive default partition, and reads it back as null', () => {
    expect(encodeHiveValue(null)).toBe(HIVE_DEFAULT_PARTITION);
    expect(encodeHiveValue('')).toBe('__HIVE_DEFAULT_PARTITION__');
    expect(decodeHiveValue('__HIVE_DEFAULT_PARTITION__')).toBeNull();
  });

  it('round-trips every ASCII character and non-ASCII text', () => {
    const all = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    for (const v of [all, 'Zürich/東京 😀', '100%', '%zz', 'a=b', '  ']) {
      const enc = encodeHiveValue(v);
      expect(enc).not.toMatch(/[/=\s"#'*:?\\{[\]^]|[^\x21-\x7e]|%(?![0-9A-F]{2})/);
      expect(decodeHiveValue(enc)).toBe(v);
    }
  });

  it('decodes lower-case hex and keeps a stray % as it is', () => {
    expect(decodeHiveValue('a%2fb')).toBe('a/b');
    expect(decodeHiveValue('50%')).toBe('50%');
    expect(decodeHiveValue('%G1')).toBe('%G1');
  });

  it('refuses bytes that are not UTF-8, naming the value', () => {
    expect(() => decodeHiveValue('%FF%FE')).toThrow(BadInputError);
    expect(() => decodeHiveValue('%FF%FE')).toThrow(/"%FF%FE" does not decode to UTF-8/);
  });

  it('decodes a whole path into levels', () => {
    expect(decodeHivePath('hash16_key=3/country=Z%C3%BCrich/city=__HIVE_DEFAULT_PARTITION__/year=2024/')).toEqual([
      { name: 'hash16_key', value: '3' },
      { name: 'country', value: 'Zürich' },
      { name: 'city', value: null },
      { name: 'year', value: '2024' },
    ]);
    expect(() => decodeHivePath('year=2024/oops')).toThrow(/segment "oops" is not name=value/);
  });
});
