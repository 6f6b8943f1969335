import { describe, expect, it } from 'vitest';
import { INVALID_UTF8, Utf8ChunkDecoder } from '../../../src/index.js';

function decodeIn(bytes: Uint8Array, cut: number): { text: string; invalid: number } {
  const d = new Utf8ChunkDecoder();
  const text = d.decode(bytes.subarray(0, cut)) + d.decode(bytes.subarray(cut)) + d.decode(new Uint8Array(0), true);
  return { text, invalid: d.invalidBytes };
}

describe('Utf8ChunkDecoder', () => {
  const valid = Buffer.from('a\u00e9\u4e2d\u{1f600}\ufffd\ufeffz');

  it('decodes valid text identically wherever a chunk ends, keeping U+FFFD and U+FEFF', () => {
    for (let cut = 0; cut <= valid.length; cut++) expect(decodeIn(valid, cut)).toEqual({ text: 'a\u00e9\u4e2d\u{1f600}\ufffd\ufeffz', invalid: 0 });
  });

  it('marks each invalid byte, overlong forms, surrogates and a sequence cut by the end of the input', () => {
    const bad = Buffer.from([0x61, 0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x62, 0xe4, 0xb8]);
    for (let cut = 0; cut <= bad.length; cut++) {
      const { text, invalid } = decodeIn(bad, cut);
      expect(text).toBe(`a${INVALID_UTF8.repeat(6)}b${INVALID_UTF8.repeat(2)}`);
      expect(invalid).toBe(8);
    }
  });
});
