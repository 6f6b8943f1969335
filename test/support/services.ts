import { randomBytes } from 'node:crypto';

/** Addresses of the real services the tests use (set by test/global-setup.ts). */
export const services = {
  redisUrl: (): string => process.env.SLUICE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  pgUrl: (): string => process.env.SLUICE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  s3Endpoint: (): string => {
    const e = process.env.SLUICE_TEST_S3_ENDPOINT;
    if (!e) throw new Error('SLUICE_TEST_S3_ENDPOINT is not set: run the tests through vitest (global setup starts moto_server)');
    return e;
  },
};

/** A name no other test uses: for key prefixes, buckets, schemas and temp folders. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
