import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError, DataSource, DataTargetBase, FeatureSet, runIngestion } from '../../../src/index.js';
import { localConnectors } from '../../support/ingest-connectors.js';
import { tmpDir } from '../../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir()));
afterEach(async () => cleanup());

/** A CSV whose `city` column is short on every row but `longRow`, where it is `longValue`. */
async function csv(rows: number, longRow: number, longValue: string): Promise<string> {
  const lines = ['id,city,ts'];
  for (let i = 0; i < rows; i++) lines.push(`u${i},${i === longRow ? longValue : `c${i % 3}`},2024-01-05T0${i % 10}:00:00Z`);
  const path = join(dir, 'in.csv');
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

function featureSet(path: string, target: Partial<ConstructorParameters<typeof DataTargetBase>[0]> = {}): FeatureSet {
  return new FeatureSet({
    name: 'cities',
    entities: ['id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'csv', path, attributes: { batch_size: 10, schema: { id: 'string', city: 'string', ts: 'timestamp' } } }),
    targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: join(dir, 'out/'), partitionCols: ['city'], ...target })],
  });
}

describe('a partition value longer than a file name may be', () => {
  it('is refused before anything is written, naming the column, the truncated value and the limit', async () => {
    const long = 'x'.repeat(300);
    const fs = featureSet(await csv(5, 0, long));
    const run = runIngestion(fs, { connectors: localConnectors(), runId: '1_1' });
    await expect(run).rejects.toThrow(BadInputError);
    await expect(runIngestion(featureSet(await csv(5, 0, long)), { connectors: localConnectors(), runId: '1_1' })).rejects.toThrow(
      /partition_cols: column `city`: value "x{40}…" \(300 characters\) encodes to a 305-byte directory name `city=x+…`, more than the 255 bytes a file name may have/,
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(fs.status.getTarget('offline')?.status).toBe('error');
  });

  it('counts the percent-encoded bytes (non-ASCII) and names the key column of a key=<key> level', async () => {
    const wide = 'é'.repeat(50); // 100 UTF-8 bytes, 300 once percent-encoded
    await expect(runIngestion(featureSet(await csv(5, 2, wide)), { connectors: localConnectors(), runId: '2_1' })).rejects.toThrow(/column `city`: value "é{40}…" \(50 characters\) encodes to a 305-byte/);
    const keyed = new FeatureSet({
      name: 'keys',
      entities: ['city'],
      timestampKey: 'ts',
      source: new DataSource({ kind: 'csv', path: await csv(5, 1, 'k'.repeat(260)) }),
      targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: join(dir, 'keyed/'), keyBucketingNumber: 0 })],
    });
    await expect(runIngestion(keyed, { connectors: localConnectors(), runId: '3_1' })).rejects.toThrow(/key_field `city`: value "k{40}…" \(260 characters\) encodes to a 264-byte directory name `key=k+…`/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'keyed'))).toBe(false);
  });

  it('met in a later batch, after files were written, fails the run and leaves no file and no empty directory', { timeout: 60_000 }, async () => {
    // The CSV source yields batches of at most 65,536 rows: the first is written (max_events 1,000) before the bad
    // value fails the run.
    const fs = featureSet(await csv(70_000, 69_000, 'y'.repeat(256)), { maxEvents: 1000 });
    let read = 0;
    const run = runIngestion(fs, { connectors: localConnectors(), runId: '4_1', onProgress: (n) => (read = n) });
    await expect(run).rejects.toThrow(/column `city`: value "y{40}…" \(256 characters\)/);
    expect(read).toBeGreaterThanOrEqual(65_536);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('exactly 255 bytes is accepted', async () => {
    const fs = featureSet(await csv(5, 0, 'z'.repeat(250)));
    const res = await runIngestion(fs, { connectors: localConnectors(), runId: '5_1' });
    expect(res.rowsRead).toBe(5);
    expect(existsSync(join(dir, 'out', '5_1', `city=${'z'.repeat(250)}`))).toBe(true);
  });
});
