import { DuckDBInstance } from '@duckdb/node-api';

/** Runs one query in an in-memory DuckDB and returns rows as objects (BigInts turned into numbers). */
export async function duckQuery(sql: string): Promise<Array<Record<string, unknown>>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
