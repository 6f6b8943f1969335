import { describe, expect, it } from 'vitest';
import { rangedBlob } from '../../../connectors/parquet/file-access.js';

describe('rangedBlob', () => {
  const data = Buffer.from('0123456789');
  const reads: Array<[number, number]> = [];
  // Reads return views into a larger pooled Buffer, as S3 and node:fs reads do.
  const pool = Buffer.alloc(8192);
  const blob = rangedBlob(data.length, async (s, e) => {
    reads.push([s, e]);
    data.copy(pool, 100, s, e);
    return pool.subarray(100, 100 + (e - s));
  });

  it('returns exactly the asked bytes as their own ArrayBuffer, not the pool', async () => {
    const ab = await blob.slice(2, 5).arrayBuffer();
    expect(ab.byteLength).toBe(3);
    expect(Buffer.from(ab).toString()).toBe('234');
  });

  it('counts negative indices from the end, as Blob.slice does (Parquet footers)', async () => {
    expect(Buffer.from(await blob.slice(-4).arrayBuffer()).toString()).toBe('6789');
    expect(Buffer.from(await blob.slice(-4, -1).arrayBuffer()).toString()).toBe('678');
    expect(reads.at(-1)).toEqual([6, 9]);
  });

  it('clamps past-the-end ranges', async () => {
    expect(Buffer.from(await blob.slice(8, 50).arrayBuffer()).toString()).toBe('89');
  });
});
