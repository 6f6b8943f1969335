/** Issue #8 item 10: a bad spec setting reaches the user as one line naming the setting, never an internal message. */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  await copyFile(join(ROOT, 'fixtures/data/transactions.csv'), join(dir, 'tx.csv'));
});
afterAll(async () => cleanup());

async function ingest(entities: string, target: string): Promise<{ code: number; stderr: string }> {
  const spec = [
    'kind: FeatureSet',
    'metadata: {name: tx}',
    'spec:',
    `  entities: ${entities}`,
    '  timestamp_key: ts',
    '  source: {kind: csv, path: tx.csv}',
    '  targets:',
    `    - ${target}`,
  ].join('\n');
  const file = join(dir, `spec-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, spec);
  return sluice(['ingest', file], { cwd: dir });
}

describe('sluice ingest: bad numbers and entities are refused with the setting and the range', () => {
  it('entities given as a string', async () => {
    const r = await ingest('user_id', '{name: o, kind: parquet, path: out/}');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^sluice: error: \S+\.yaml: FeatureSet\.spec\.entities: "user_id" must be a list of entity names or \{name, value_type\} dicts, e\.g\. entities: \[user_id\]\n$/,
    );
  });

  it('max_events: 1e30', async () => {
    const r = await ingest('[user_id]', '{name: o, kind: parquet, path: out/, max_events: 1e30}');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sluice: error: \S+\.yaml: FeatureSet\.spec\.targets\[0\]\.max_events: 1e\+30 is not an integer in 1\.\.10,000,000\n$/);
  });

  it('attributes.row_group_size: 1e30', async () => {
    const r = await ingest('[user_id]', '{name: o, kind: parquet, path: out/, attributes: {row_group_size: 1e30}}');
    expect(r.code).toBe(1);
    // Refused while planning, before a run is created or anything opened.
    expect(r.stderr).toMatch(/^sluice: error: feature set "tx" target "o" \(parquet\): parquet target attributes\.row_group_size: 1e\+30 is not an integer in 1\.\.10,000,000\n$/);
  });
});
