import { describe, expect, it } from 'vitest';
import { RecordBatchBuilder } from '../../../src/arrow/record-batch-builder.js';

describe('RecordBatchBuilder', () => {
  it('keeps a row whole or not at all and reports the failing column', () => {
    const b = new RecordBatchBuilder([
      { name: 'id', spec: { type: 'int64' } },
      { name: 'name', spec: { type: 'string' } },
      { name: 'score', spec: { type: 'float64' } },
    ]);
    expect(b.appendRow(['1', 'a', '0.5'])).toBe(-1);
    expect(b.appendRow(['2', 'b', 'oops'])).toBe(2);
    expect(b.appendRow(['x', 'c', '1'])).toBe(0);
    expect(b.appendRow(['3', '', ''])).toBe(-1);
    const batch = b.flush();
    expect(batch.numRows).toBe(2);
    expect(batch.toArray().map((r) => r.toJSON())).toEqual([{ id: 1n, name: 'a', score: 0.5 }, { id: 3n, name: null, score: null }]);
    expect(batch.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['id:Int64', 'name:Utf8', 'score:Float64']);
    expect(b.length).toBe(0);
    expect(b.flush().numRows).toBe(0);
  });
});
