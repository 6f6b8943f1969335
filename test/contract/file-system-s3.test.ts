import { afterAll, beforeAll } from 'vitest';
import { S3FileSystem } from '../../connectors/s3/index.js';
import { createBucket, motoOptions, rawClient, removeBucket, uniqueBucket } from '../integration/s3/s3-fixture.js';
import { uniqueName } from '../support/services.js';
import { fileSystemContract } from './file-system.contract.js';

const bucket = uniqueBucket('sluice-contract');
const client = rawClient();

beforeAll(async () => {
  await createBucket(client, bucket);
});
afterAll(async () => {
  await removeBucket(client, bucket);
  client.destroy();
});

fileSystemContract('S3FileSystem (moto)', async () => {
  const fs = new S3FileSystem(motoOptions());
  const root = `s3://${bucket}/${uniqueName('c')}`;
  return {
    fs,
    root,
    cleanup: async () => {
      await fs.deletePrefix(root);
      fs.destroy();
    },
  };
});
