import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { encodeHiveValue } from '../../../src/partition/hive-encoding.js';
import { tmpDir } from '../../support/tmp-dir.js';

// Interoperability: DuckDB (one of the readers SPEC §3 names) decodes our directory names back to the values.
describe('Hive directory names read by DuckDB', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ dir, cleanup } = await tmpDir('sluice-hive-'));
  });
  afterAll(() => cleanup());

  it('decodes special characters, control characters, non-ASCII text and null', async () => {
    const values: Array<string | null> = ['US', 'a/b=c d', `"#%'*:?\\{[]^`, 'tab\there\u0001\u007f', 'Zürich', '東京 😀', '100%', null];
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      for (const [i, v] of values.entries()) {
        const partition = join(dir, `c=${encodeHiveValue(v)}`);
        await mkdir(partition, { recursive: true });
        await conn.run(`COPY (SELECT ${i} AS id) TO '${join(partition, 'part.parquet')}' (FORMAT parquet)`);
      }
      const reader = await conn.runAndReadAll(`SELECT id, c FROM read_parquet('${dir}/*/*.parquet', hive_partitioning = true, hive_types_autocast = false) ORDER BY id`);
      expect(reader.getRows().map(([id, c]) => [Number(id), c])).toEqual(values.map((v, i) => [i, v]));
    } finally {
      conn.closeSync();
    }
  });
});
