import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataTargetBase, FeatureSet, runIngestion } from '../../../src/index.js';
import { createDataFrameSource } from '../../../connectors/dataframe/index.js';
import { localConnectors } from '../../support/ingest-connectors.js';
import { duckQuery } from '../../support/duckdb.js';
import { tmpDir } from '../../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir()));
afterEach(async () => cleanup());

// Partition values that need Hive percent-encoding, plus null; keys with the same trouble.
const LABELS = ['a/b', 'x=y', '100%', 'with space', 'ünï©ødé', 'q?#*:', "it's", 'back\\slash', '[br]{ce}^', null];
const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata'];

function rows() {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 300; i++) {
    out.push({
      id: `id/${i % 37}=ü ${i % 5}`,
      label: LABELS[i % LABELS.length],
      value: i * 1.25,
      n: BigInt(i) * 10_000_000_000n,
      ts: new Date(Date.UTC(2024, 0, 5, 22, 0, 0) + i * 600_000), // crosses midnight UTC
    });
  }
  return out;
}


describe('DuckDB reads Sluice Parquet output with Hive partitioning: exactly the source rows and values', () => {
  for (const zone of ZONES) {
    it(`partition values with / = % spaces non-ASCII and nulls; timestamps with zone ${zone}`, async () => {
      const data = rows();
      const fs = new FeatureSet({
        name: 'interop',
        entities: ['id'],
        timestampKey: 'ts',
        targets: [new DataTargetBase({ name: 'p', kind: 'parquet', path: `${dir}/out/`, keyBucketingNumber: 0, partitionCols: ['label'], timePartitioningGranularity: 'day', maxEvents: 7 })],
      });
      const source = createDataFrameSource(data, { keyField: 'id', timeField: 'ts', schema: { ts: { type: 'timestamp', tz: zone } } });
      await runIngestion(fs, { connectors: localConnectors(), source, runId: '1_1' });
      const got = await duckQuery(
        `SELECT id, key, label, value, n, epoch_ms(ts) AS ts_ms, year, month, day
         FROM read_parquet('${dir}/out/1_1/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)
         ORDER BY value`,
      );
      expect(got).toHaveLength(data.length);
      got.forEach((g, i) => {
        const src = data[i] as { id: string; label: string | null; value: number; n: bigint; ts: Date };
        expect(g.id).toBe(src.id);
        expect(g.key).toBe(src.id); // the key=<value> level decodes back to the key
        expect(g.label).toBe(src.label);
        expect(g.value).toBe(src.value);
        expect(g.n).toBe(Number(src.n));
        expect(g.ts_ms).toBe(src.ts.getTime());
        const d = src.ts; // time levels come from the UTC event time
        expect([g.year, g.month, g.day]).toEqual([String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0')]);
      });
      const types = await duckQuery(`DESCRIBE SELECT ts FROM read_parquet('${dir}/out/1_1/**/*.parquet', hive_partitioning = false)`);
      expect(types[0]?.column_type).toBe('TIMESTAMP WITH TIME ZONE');
    });
  }
});
