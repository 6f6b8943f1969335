import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileSystem } from '../../../src/index.js';
import { cleanPreviousAttempt } from '../../../src/ingest/commit-protocol.js';
import { tmpDir } from '../../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir()));
afterEach(async () => cleanup());

describe('cleanPreviousAttempt (a retry with the same run id)', () => {
  it("removes the killed attempt's final and staging part files and its manifest, and nothing of other runs or writers", async () => {
    const part = join(dir, 'hash4_key=1', 'day=09');
    await mkdir(part, { recursive: true });
    await mkdir(join(dir, '_manifests'));
    const files = {
      final: join(part, 'part-7_7-0-0.parquet'),
      staging: join(part, '.part-7_7-0-1.parquet.b2f76939b44f.tmp'),
      manifest: join(dir, '_manifests', '7_7.json'),
      otherRun: join(part, 'part-6_6-0-0.parquet'),
      otherRunStaging: join(part, '.part-6_6-0-0.parquet.aaaa.tmp'),
      otherWriter: join(part, '.part-7_7-1-0.parquet.bbbb.tmp'),
    };
    for (const f of Object.values(files)) await writeFile(f, 'x');
    expect(await cleanPreviousAttempt(new LocalFileSystem(), dir, '7_7', 0)).toBe(3);
    expect(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, existsSync(f)]))).toEqual({
      final: false, staging: false, manifest: false, otherRun: true, otherRunStaging: true, otherWriter: true,
    });
  });
});
