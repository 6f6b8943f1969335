/** Issue #8 item 8 through the CLI: `sluice ingest` refuses to run beside another ingest of the feature set, or waits with --lock-timeout. */
import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteRunDB } from '../../src/run/db/sqlite-run-db.js';
import { ensureBuilt, sluice } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  await copyFile(join(ROOT, 'fixtures/data/transactions.csv'), join(dir, 'tx.csv'));
  await writeFile(
    join(dir, 'tx.yaml'),
    ['kind: FeatureSet', 'metadata: {name: tx, project: lockp}', 'spec:', '  entities: [user_id]', '  timestamp_key: ts', '  source: {kind: csv, path: tx.csv}', '  targets:', '    - {name: o, kind: parquet, path: out/}'].join('\n'),
  );
});
afterAll(async () => cleanup());

describe('sluice ingest while another run holds the feature set', () => {
  it('fails at once naming the run, and with --lock-timeout waits until the lease is released or expired', async () => {
    const db = new SqliteRunDB({ cwd: dir });
    await db.storeRun({ metadata: { uid: 'other-run', project: 'lockp' }, status: { state: 'running', start_time: '2024-05-01T11:58:00+00:00' } });
    expect(await db.tryLock('feature-set:lockp/tx', 'other-run', 60_000)).toBe(true);
    const refused = await sluice(['ingest', 'tx.yaml'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^sluice: error: ingestion of lockp\/tx:latest failed \(run [0-9a-f]{32}\): feature set lockp\/tx is being ingested by run other-run \(started 2024-05-01T11:58:00\+00:00\); wait for it \(sluice runs wait other-run\) or give a lock timeout \(--lock-timeout <seconds>\)\n$/,
    );
    expect(await readdir(dir)).not.toContain('out');

    await db.tryLock('feature-set:lockp/tx', 'other-run', 1500); // the holder stops renewing: the lease runs out in 1.5 s
    await db.close();
    const waited = await sluice(['ingest', 'tx.yaml', '--lock-timeout', '20'], { cwd: dir });
    expect(waited.stderr).toBe('');
    expect(waited.code).toBe(0);
    expect(await readdir(join(dir, 'out'))).toHaveLength(1);
    const bad = await sluice(['ingest', 'tx.yaml', '--lock-timeout', 'soon'], { cwd: dir });
    expect(bad.stderr).toMatch(/--lock-timeout "soon" is not a number of seconds in 0\.\.86,400/);
  }, 60_000);
});
