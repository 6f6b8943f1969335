import { describe, expect, it } from 'vitest';
import { declaredColumnTypes, Entity } from '../../../src/index.js';

describe('declaredColumnTypes', () => {
  it("maps MLRun value types to column types; an entity wins over a feature; unknown types are left to inference", () => {
    const got = declaredColumnTypes(
      [new Entity({ name: 'user_id', valueType: 'str' }), new Entity({ name: 'plain' })],
      [new Entity({ name: 'user_id', valueType: 'int' }), new Entity({ name: 'amount', valueType: 'float' }), new Entity({ name: 'n', valueType: 'int32' }),
        new Entity({ name: 'ok', valueType: 'bool' }), new Entity({ name: 'at', valueType: 'datetime' }), new Entity({ name: 'raw', valueType: 'bytes' })],
    );
    expect(got).toEqual({ user_id: { type: 'string' }, amount: { type: 'float64' }, n: { type: 'int32' }, ok: { type: 'bool' }, at: { type: 'timestamp', unit: 'us' } });
  });
});
