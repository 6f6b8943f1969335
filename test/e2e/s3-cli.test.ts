import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { services } from '../support/services.js';
import { tmpDir } from '../support/tmp-dir.js';
import { uniqueBucket } from '../integration/s3/s3-fixture.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
});
afterAll(async () => cleanup());

describe('S3 errors on the command line', () => {
  it('an S3 error is exactly one line on stderr (no AWS SDK Node-version warning before it)', async () => {
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_S3: services.s3Endpoint(),
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
    };
    const r = await sluice(['vacuum', `s3://${uniqueBucket('missing')}/target/`, '--dry-run'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sluice: error: [^\n]*missing[^\n]*\n$/);
  });
});
