import { describe, expect, it } from 'vitest';
import { inferColumnSpecs } from '../../../src/arrow/schema-inference.js';

describe('schema inference', () => {
  it('guesses int64, float64, bool, timestamp and string; empty cells do not count', () => {
    const rows = [
      ['1', '1.5', 'true', '2024-01-05T10:00:00Z', 'a', '', '1'],
      ['-2', '2', 'FALSE', '2024-01-05', 'b', '', '2.5'],
      ['', '', '', '', '', '', 'x'],
      ['123456789012345678', 'NaN', 'True', '2024-01-05 10:00:00+02:00', '3', '', '3'],
    ];
    expect(inferColumnSpecs(rows, [0, 1, 2, 3, 4, 5, 6]).map((s) => s.type))
      .toEqual(['int64', 'float64', 'bool', 'timestamp', 'string', 'string', 'string']);
  });

  it('an integer too long for int64 makes the column float64; 1/0 stay integers', () => {
    expect(inferColumnSpecs([['12345678901234567890', '1'], ['1', '0']], [0, 1]).map((s) => s.type)).toEqual(['float64', 'int64']);
  });
});
