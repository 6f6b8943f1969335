import { describe, expect, it } from 'vitest';
import { committedPath, readBack } from '../../../src/run/read-back.js';

describe('readBack', () => {
  it('fills {run_id} and gives a DuckDB query for a partitioned directory, a single file, and CSV', () => {
    expect(committedPath('s3://lake/tx/{run_id}/', '1_2')).toBe('s3://lake/tx/1_2/');
    expect(readBack('parquet', 'out/tx/{run_id}/', '1_2')).toEqual({
      location: 'out/tx/1_2/',
      command: `duckdb -c "SELECT * FROM read_parquet('out/tx/1_2/**/*.parquet', hive_partitioning = true)"`,
    });
    expect(readBack('parquet', 'out/{run_id}/tx.parquet', '1_2').command).toBe(`duckdb -c "SELECT * FROM read_parquet('out/1_2/tx.parquet')"`);
    expect(readBack('csv', "o'k/{run_id}/", '1_2').command).toBe(`duckdb -c "SELECT * FROM read_csv('o''k/1_2/**/*.csv', hive_partitioning = true)"`);
  });

  it('points an online target to sluice online get', () => {
    expect(readBack('redisnosql', 'redis://127.0.0.1:6379/0', '1_2', 'tx.yaml')).toEqual({ location: 'redis://127.0.0.1:6379/0', command: 'sluice online get tx.yaml <key>' });
  });
});
