/**
 * The FileFormat contract: every format of file targets (Parquet, CSV) passes these tests. Files are read back
 * by DuckDB, the reader users point at the output.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileSystem } from '../../src/index.js';
import type { FileFormat } from '../../src/index.js';
import { duckQuery } from '../support/duckdb.js';
import { tmpDir } from '../support/tmp-dir.js';
import { TARGET_SCHEMA, targetBatch } from './target-writer.contract.js';

const fs = new LocalFileSystem();

/** Rows as DuckDB reads the file: id, user, amount, and the event time in epoch ms. */
async function readBack(format: FileFormat, path: string): Promise<Array<Record<string, unknown>>> {
  const from = format.extension === 'parquet' ? `read_parquet('${path}')` : `read_csv('${path}', header = true)`;
  return duckQuery(`SELECT id, "user", amount, epoch_ms(ts::TIMESTAMPTZ) AS ts FROM ${from} ORDER BY id`);
}

const expectedRows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, user: `u${i % 3}`, amount: i * 0.5, ts: Date.UTC(2024, 0, 1) + i * 3 * 3_600_000 }));

async function hidden(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const s of fs.list(dir, { recursive: true, includeHidden: true })) out.push(s.path);
  return out;
}

/** Registers the contract suite for one file format. */
export function fileFormatContract(format: FileFormat): void {
  describe(`FileFormat contract: ${format.kind}`, () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-format-contract-')));
    afterEach(async () => cleanup());

    it('names its kind, extension and settings, and parses empty attributes to its defaults', () => {
      expect(format.kind).toMatch(/^[a-z]+$/);
      expect(format.extension).toMatch(/^[a-z]+$/);
      expect(Array.isArray(format.settings ?? [])).toBe(true);
      expect(typeof format.parseOptions({})).toBe('object');
    });

    it('open, append, close: the file appears only at close and a reader gets every row and type back', async () => {
      const path = join(dir, 'p', `part-0.${format.extension}`);
      const w = await format.open(fs, path, TARGET_SCHEMA, format.parseOptions({}));
      await w.append(targetBatch(0, 25));
      await w.append(targetBatch(25, 40));
      expect(await fs.stat(path)).toBeUndefined();
      const { bytes } = await w.close();
      expect((await fs.stat(path))?.size).toBe(bytes);
      expect(await readBack(format, path)).toEqual(expectedRows(40));
      expect(await hidden(dir)).toEqual([path]);
    });

    it('abort leaves no file and no staging file', async () => {
      const path = join(dir, `part-0.${format.extension}`);
      const w = await format.open(fs, path, TARGET_SCHEMA, format.parseOptions({}));
      await w.append(targetBatch(0, 25));
      await w.abort();
      expect(await fs.stat(path)).toBeUndefined();
      expect(await hidden(dir)).toEqual([]);
    });

    if (format.openWhole) {
      const openWhole = format.openWhole.bind(format);
      it('openWhole writes the same file as open', async () => {
        const a = join(dir, `stream.${format.extension}`);
        const b = join(dir, `whole.${format.extension}`);
        for (const [path, open] of [[a, format.open.bind(format)], [b, openWhole]] as const) {
          const w = await open(fs, path, TARGET_SCHEMA, format.parseOptions({}));
          await w.append(targetBatch(0, 25));
          await w.append(targetBatch(25, 40));
          await w.close();
        }
        expect(await readBack(format, b)).toEqual(await readBack(format, a));
        expect(Buffer.from(await fs.read(b)).equals(Buffer.from(await fs.read(a)))).toBe(true);
      });

      it('openWhole: abort leaves no file', async () => {
        const path = join(dir, `whole.${format.extension}`);
        const w = await openWhole(fs, path, TARGET_SCHEMA, format.parseOptions({}));
        await w.append(targetBatch(0, 25));
        await w.abort();
        expect(await hidden(dir)).toEqual([]);
      });
    }
  });
}
