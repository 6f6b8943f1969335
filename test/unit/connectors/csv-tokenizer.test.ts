import { describe, expect, it } from 'vitest';
import { CsvTokenizer } from '../../../connectors/csv/csv-tokenizer.js';
import type { CsvRecord } from '../../../connectors/csv/csv-tokenizer.js';

function tokenize(text: string, chunkSize = text.length || 1, delimiter = ','): CsvRecord[] {
  const t = new CsvTokenizer(delimiter);
  const out: CsvRecord[] = [];
  const drain = () => {
    for (let r = t.next(); r !== undefined; r = t.next()) out.push(r);
  };
  for (let i = 0; i < text.length; i += chunkSize) {
    t.push(text.slice(i, i + chunkSize));
    drain();
  }
  t.end();
  drain();
  return out;
}

const RFC = [
  'id,text,n',
  '1,"a, b",10',
  '2,"he said ""hi""",20',
  '3,"line one\nline two",30',
  '4,"",40',
  '"5",plain,"50"',
  '6,"""quoted""",',
].join('\n') + '\n';

const EXPECTED = [
  { line: 1, fields: ['id', 'text', 'n'] },
  { line: 2, fields: ['1', 'a, b', '10'] },
  { line: 3, fields: ['2', 'he said "hi"', '20'] },
  { line: 4, fields: ['3', 'line one\nline two', '30'] },
  { line: 6, fields: ['4', '', '40'] },
  { line: 7, fields: ['5', 'plain', '50'] },
  { line: 8, fields: ['6', '"quoted"', ''] },
];

describe('CsvTokenizer (RFC 4180)', () => {
  it('reads quoted delimiters, doubled quotes, line breaks in quotes and empty fields, with line numbers', () => {
    expect(tokenize(RFC)).toEqual(EXPECTED);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    for (let size = 1; size <= RFC.length; size++) expect(tokenize(RFC, size), `chunk size ${size}`).toEqual(EXPECTED);
  });

  it('handles CRLF line ends, CRLF inside quotes, a missing final line break, a BOM and blank lines', () => {
    const text = '\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n2,z';
    for (const size of [1, 2, 3, 100]) {
      expect(tokenize(text, size)).toEqual([
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', 'x\r\ny'] },
        { line: 5, fields: ['2', 'z'] },
      ]);
    }
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(tokenize('a,b\n1,5"7\n')).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '5"7'] }]);
  });

  it('uses another delimiter', () => {
    expect(tokenize('a;b\n"1;2";3\n', 4, ';')).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1;2', '3'] }]);
    expect(tokenize('a\tb\n1\t2\n', 100, '\t')[1]).toEqual({ line: 2, fields: ['1', '2'] });
  });

  it('reports text after a closing quote and an unclosed quote as malformed records, and goes on', () => {
    expect(tokenize('a,b\n"1"x,2\n3,4\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'unexpected text "x,2" after the closing quote of field 1', raw: '"1"x,2' },
      { line: 3, fields: ['3', '4'] },
    ]);
    expect(tokenize('a,b\n1,"open\n2,3\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'a quoted field is not closed before the end of the file', raw: '1,"open\n2,3\n' },
    ]);
  });

  it('refuses a record longer than the limit instead of buffering the file', () => {
    const t = new CsvTokenizer(',', 100);
    t.push('a\n"');
    expect(t.next()).toEqual({ line: 1, fields: ['a'] });
    expect(t.next()).toBeUndefined();
    t.push('x'.repeat(200));
    expect(t.next()).toBeUndefined();
    expect(() => t.push('x')).toThrow(/a record starting on line 2 is longer than 100 characters \(an unclosed quote\?\)/);
  });
});
