import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, runIngestion } from '../../../src/index.js';
import type { IngestConnectors } from '../../../src/index.js';
import { connector, getOnlineFeatures } from '../../../connectors/redis/index.js';
import { registerOnline } from '../../../src/cli/commands/online.js';
import { localConnectors } from '../../support/ingest-connectors.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { duckQuery } from '../../support/duckdb.js';
import { cleanPrefix } from './redis-test-kit.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
let redis: Redis;
let prefix: string;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(() => {
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(async () => {
  prefix = `${uniqueName('si')}:`;
  ({ dir, cleanup } = await tmpDir());
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
  await cleanup();
});

const connectors = (): IngestConnectors => ({ ...localConnectors(), createTarget: (t, ctx) => connector.createTarget(t, ctx) });

function transactions(extra: Partial<{ schedule: string }> = {}): FeatureSet {
  return new FeatureSet({
    name: 'transactions',
    project: 'demo',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'csv', path: FIXTURE, ...extra, attributes: { schema: { user_id: 'string', amount: 'float64', category: 'string', ts: 'timestamp[ms]' } } }),
    targets: [new DataTargetBase({ kind: 'redisnosql', name: 'online', path: services.redisUrl(), attributes: { key_prefix: prefix, ttl_seconds: 3600 } })],
  });
}

/** The newest row per user in the CSV, computed independently by DuckDB. */
async function latestPerUser(): Promise<Map<string, { amount: number; category: string; ts: number }>> {
  const rows = await duckQuery(
    `SELECT user_id, arg_max(amount, ts) AS amount, arg_max(category, ts) AS category, epoch_ms(max(ts::TIMESTAMP)) AS ts FROM read_csv('${FIXTURE}') GROUP BY user_id`,
  );
  return new Map(rows.map((r) => [String(r.user_id), { amount: Number(r.amount), category: String(r.category), ts: Number(r.ts) }]));
}

describe('ingestion into the Redis online store', () => {
  it('runIngestion writes the newest row per entity (rows arrive out of order within the run), fills the status, and the reader agrees with DuckDB', async () => {
    const fs = transactions();
    const res = await runIngestion(fs, { connectors: connectors(), runId: '1700000000000_7' });
    expect(res.rowsRead).toBe(2000);
    const t = res.targets[0];
    expect(t).toMatchObject({ name: 'online', kind: 'redisnosql', files: 0 });
    const st = fs.status.getTarget('online');
    expect(st?.status).toBe('ready');
    const expected = await latestPerUser();
    expect(st?.lastWritten?.getTime()).toBe(Math.max(...[...expected.values()].map((v) => v.ts)));
    const users = [...expected.keys()].sort();
    const rows = await getOnlineFeatures(fs, users.map((u) => ({ user_id: u })));
    for (const r of rows) {
      const e = expected.get(r.user_id as string);
      expect(r).toEqual({ user_id: r.user_id, amount: e?.amount, category: e?.category, ts: new Date(e?.ts ?? 0) });
    }
    // Replaying the same data is fully skipped by the event-time guard, except rows equal to the stored time.
    const again = await runIngestion(fs, { connectors: connectors(), runId: '1700000000000_8', overwrite: false });
    expect(again.targets[0]?.rows).toBe(expected.size);
    const ttl = await redis.ttl(`{${prefix}projects/demo/featuresets/transactions/:${users[0]}}:static`);
    expect(ttl).toBeGreaterThan(3500);
  });

  it('sluice online get prints a table, and with --json one object per key (null features for unknown keys)', async () => {
    const fs = transactions();
    await runIngestion(fs, { connectors: connectors(), runId: '1700000000000_9' });
    const file = join(dir, 'fs.yaml');
    await writeFile(file, fs.toYaml());
    const expected = await latestPerUser();
    const u = [...expected.keys()].sort()[0] as string;
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    try {
      const program = new Command().exitOverride();
      registerOnline(program, { loadReader: async () => connector });
      await program.parseAsync(['node', 'sluice', 'online', 'get', file, u, 'nobody', '--json']);
      const json = JSON.parse(out.join(''));
      const e = expected.get(u);
      expect(json).toEqual([
        { user_id: u, amount: e?.amount, category: e?.category, ts: new Date(e?.ts ?? 0).toISOString() },
        { user_id: 'nobody', amount: null, category: null, ts: null },
      ]);
      out.length = 0;
      const p2 = new Command().exitOverride();
      registerOnline(p2, { loadReader: async () => connector });
      await p2.parseAsync(['node', 'sluice', 'online', 'get', file, u, '--features', 'category']);
      const lines = out.join('').trimEnd().split('\n');
      expect(lines[0]).toMatch(/^user_id\s+category$/);
      expect(lines[2]).toMatch(new RegExp(`^${u}\\s+${e?.category}$`));
    } finally {
      spy.mockRestore();
    }
  });
});
