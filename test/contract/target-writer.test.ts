/** The TargetWriter contract for partitioned files (Parquet, CSV) on local disk and on S3 (moto). */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { csvFormat } from '../../connectors/csv/csv-format.js';
import { parquetFormat } from '../../connectors/parquet/parquet-format.js';
import { S3FileSystem } from '../../connectors/s3/index.js';
import { LocalFileSystem } from '../../src/index.js';
import { createBucket, motoOptions, rawClient, removeBucket, uniqueBucket } from '../integration/s3/s3-fixture.js';
import { uniqueName } from '../support/services.js';
import { tmpDir } from '../support/tmp-dir.js';
import { fileTargetFixture } from './target-writer-files.js';
import { targetWriterContract } from './target-writer.contract.js';

const bucket = uniqueBucket('sluice-target-contract');
const client = rawClient();
beforeAll(async () => {
  await createBucket(client, bucket);
});
afterAll(async () => {
  await removeBucket(client, bucket);
  client.destroy();
});

for (const format of [parquetFormat, csvFormat]) {
  targetWriterContract(`PartitionedFileWriter ${format.kind} on local disk`, async () => {
    const { dir, cleanup } = await tmpDir('sluice-target-contract-');
    const base = join(dir, 'target');
    return fileTargetFixture({
      fs: new LocalFileSystem(),
      base,
      format,
      everything: async () => (existsSync(base) ? (await readdir(base, { recursive: true })).sort() : []),
      cleanup,
    });
  }, { transactional: true });

  targetWriterContract(`PartitionedFileWriter ${format.kind} on S3 (moto)`, async () => {
    const fs = new S3FileSystem(motoOptions());
    const base = `s3://${bucket}/${uniqueName('t')}`;
    const everything = async () => {
      const out: string[] = [];
      for await (const s of fs.list(base, { recursive: true, includeHidden: true })) out.push(s.path);
      return out;
    };
    return fileTargetFixture({ fs, base, format, everything, cleanup: async () => (await fs.deletePrefix(base), fs.destroy()) });
  }, { transactional: true });
}
