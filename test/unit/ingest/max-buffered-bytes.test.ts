/**
 * `max_buffered_bytes` (SPEC §4) measured, not inferred from the output: a FileFormat wrapper sees every row the
 * writer hands to a file and every open file's `pendingBytes`, so after each `write()` the test knows exactly
 * what the writer still holds in memory (rows in partition buffers plus what open format writers hold).
 */
import { join } from 'node:path';
import { Field, Float64, Schema, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchBytes, DEFAULT_FLUSH_SETTINGS, LocalFileSystem, PartitionedFileWriter, Partitioner } from '../../../src/index.js';
import type { FileFormat, FileFormatWriter } from '../../../src/index.js';
import { csvFormat } from '../../../connectors/csv/csv-format.js';
import { parquetFormat } from '../../../connectors/parquet/parquet-format.js';
import { duckQuery } from '../../support/duckdb.js';
import { makeBatch } from '../../support/make-batch.js';
import { tmpDir } from '../../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-membound-')));
afterEach(async () => cleanup());

const SCHEMA = new Schema([new Field('key', new Utf8(), true), new Field('v', new Float64(), true), new Field('ts', new TimestampMicrosecond('UTC'), true)]);
const T0 = Date.UTC(2024, 0, 5);
const SPEC = { keyFields: ['key'], keyBucketingNumber: 0, timeField: 'ts' };

/** 40 rows from row `from` on; key k0 gets 5 of 8 rows, so its partition is always the largest. */
function batch(from: number): RecordBatch {
  const key = (i: number) => ['k0', 'k0', 'k1', 'k0', 'k2', 'k0', 'k3', 'k0'][i % 8];
  return makeBatch(SCHEMA, Array.from({ length: 40 }, (_, j) => ({ key: key(from + j), v: from + j, ts: T0 + (from + j) * 1000 })));
}

/** What the writer holds: rows it was given and has not handed to a file yet, and the open files' pending bytes. */
class Probe {
  rowsIn = 0;
  rowsOut = 0;
  readonly open = new Set<FileFormatWriter>();
  readonly opened: string[] = [];

  wrap(inner: FileFormat): FileFormat {
    const wrapWriter = (w: FileFormatWriter, path: string): FileFormatWriter => {
      this.open.add(w);
      this.opened.push(path);
      return {
        append: async (b) => {
          this.rowsOut += b.numRows;
          await w.append(b);
        },
        close: async () => {
          this.open.delete(w);
          return w.close();
        },
        abort: async () => {
          this.open.delete(w);
          await w.abort();
        },
        get bytesWritten() {
          return w.bytesWritten;
        },
        get pendingBytes() {
          return w.pendingBytes ?? 0;
        },
      };
    };
    const { openWhole } = inner;
    return {
      ...inner,
      open: async (fs, path, schema, o) => wrapWriter(await inner.open(fs, path, schema, o), path),
      ...(openWhole ? { openWhole: async (fs, path, schema, o) => wrapWriter(await openWhole.call(inner, fs, path, schema, o), path) } : {}),
    } as FileFormat;
  }

  /** Bytes held, counted as the writer counts them: buffered slices (batchBytes) plus open writers' pendingBytes. */
  held(bytesPerRow: number): number {
    let n = (this.rowsIn - this.rowsOut) * bytesPerRow;
    for (const w of this.open) n += w.pendingBytes ?? 0;
    return n;
  }
}

/** Bytes per buffered row: the writer buffers the partitioner's slices, so measure those. */
function bytesPerRow(b: RecordBatch): number {
  const groups = [...new Partitioner(SPEC).split(b)];
  return groups.reduce((n, g) => n + batchBytes(g.batch), 0) / b.numRows;
}

describe('max_buffered_bytes bounds what the writer holds', () => {
  for (const [name, format, options] of [
    ['csv (buffers only)', csvFormat, {}],
    ['parquet with row groups larger than the bound (open writers hold rows too)', parquetFormat, { row_group_size: 1_000_000 }],
  ] as const) {
    it(`${name}: after every write the held bytes stay under the bound, the largest partition goes out first, and every row is written`, async () => {
      const bound = 4000;
      const probe = new Probe();
      const root = join(dir, 'out');
      const w = new PartitionedFileWriter({
        fs: new LocalFileSystem(),
        root,
        format: probe.wrap(format),
        formatOptions: format.parseOptions(options),
        partitioner: new Partitioner(SPEC),
        runId: '1_1',
        settings: { ...DEFAULT_FLUSH_SETTINGS, maxEvents: 1_000_000, maxBufferedBytes: bound },
        timeField: 'ts',
        now: () => 0,
      });
      const perRow = bytesPerRow(batch(0));
      const total = 50 * 40;
      expect(total * perRow).toBeGreaterThan(8 * bound); // without relief, the run would hold eight times the bound
      let peak = 0;
      for (let i = 0; i < 50; i++) {
        const b = batch(i * 40);
        probe.rowsIn += b.numRows;
        await w.write(b);
        const held = probe.held(perRow);
        peak = Math.max(peak, held);
        expect(held, `held after write ${i}`).toBeLessThanOrEqual(bound);
      }
      expect(peak).toBeGreaterThan(bound / 4); // the writer did buffer (it is not writing every batch straight out)
      expect(probe.opened[0]).toContain('/key=k0/'); // the largest buffer is written first
      const res = await w.commit();
      expect(res.rows).toBe(total);
      const ext = format.extension;
      const back = await duckQuery(`SELECT count(*) AS n, count(DISTINCT v) AS d FROM read_${ext === 'csv' ? 'csv' : 'parquet'}('${root}/**/*.${ext}')`);
      expect(back).toEqual([{ n: total, d: total }]);
    });
  }
});
