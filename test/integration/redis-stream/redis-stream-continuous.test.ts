/**
 * runStreamIngestion against a real Redis: cycles that commit every max_events / flush_after_seconds and then
 * acknowledge, a stop between cycles, an abort inside a cycle (nothing acknowledged, the cycle resumed under
 * its run id), and the in-flight record in `<stream>:sluice:<group>`.
 */
import { readdir } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet } from '../../../src/index.js';
import type { IngestResult } from '../../../src/index.js';
import { runStreamIngestion, StreamCheckpoint, openStreamConnection } from '../../../connectors/redis/stream/index.js';
import { builtinConnectors } from '../../../connectors/registry.js';
import { duckQuery } from '../../support/duckdb.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';

const T0 = Date.UTC(2024, 0, 1);
let redis: Redis;
let stream: string;
let dir: string;
let cleanup: () => Promise<void>;
const GROUP = 'sluice-clicks';

beforeAll(() => {
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(async () => {
  stream = uniqueName('rsc');
  ({ dir, cleanup } = await tmpDir('sluice-rsc-'));
});
afterEach(async () => {
  await redis.del(stream, `${stream}:sluice:${GROUP}`);
  await cleanup();
});

async function seed(n: number, from = 0): Promise<void> {
  const p = redis.pipeline();
  for (let i = from; i < from + n; i++) p.xadd(stream, '*', 'user_id', `u${i % 5}`, 'n', String(i), 'ts', new Date(T0 + i * 1000).toISOString());
  await p.exec();
}

function clicks(attributes: Record<string, unknown>): FeatureSet {
  return new FeatureSet({
    name: 'clicks',
    project: 'p1',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({
      kind: 'redis-stream',
      path: services.redisUrl(),
      attributes: { stream, consumer: 'worker-1', block_ms: 50, schema: { user_id: 'string', n: 'int64', ts: 'timestamp[ms]' }, id_column: 'entry_id', ...attributes },
    }),
    targets: [new DataTargetBase({ kind: 'parquet', name: 'offline', path: `${dir}/offline/` })],
  });
}

async function pending(): Promise<number> {
  return Number(((await redis.xpending(stream, GROUP)) as [number])[0]);
}

const parquet = () => `read_parquet('${dir}/offline/**/*.parquet')`;

describe('runStreamIngestion', () => {
  it('commits a cycle per max_events or flush_after_seconds, acknowledges after each, and stops on the signal', async () => {
    await seed(45);
    const fs = clicks({ max_events: 20, flush_after_seconds: 0.4 });
    const ac = new AbortController();
    const cycles: Array<{ rows: number; runId: string }> = [];
    let committed = 0;
    const onCycle = (r: IngestResult) => {
      cycles.push({ rows: r.rowsRead, runId: r.runId });
      committed += r.rowsRead;
      if (committed === 45) setTimeout(() => ac.abort(new Error('SIGTERM')), 50);
    };
    const summary = await runStreamIngestion(fs, { connectors: builtinConnectors(), signal: ac.signal, onCycle });
    expect(summary).toMatchObject({ rowsRead: 45, entries: 45, aborted: true });
    // 20 + 20 by max_events, then 5 closed by flush_after_seconds while the stream stays quiet.
    expect(cycles.map((c) => c.rows)).toEqual([20, 20, 5]);
    expect(new Set(cycles.map((c) => c.runId)).size).toBe(3);
    expect(await pending()).toBe(0);
    const out = await duckQuery(`SELECT count(*) AS n, count(DISTINCT entry_id) AS d, min(n) AS lo, max(n) AS hi FROM ${parquet()}`);
    expect(out).toEqual([{ n: 45, d: 45, lo: 0, hi: 44 }]);
    // Append: every cycle wrote into the first cycle's directory, one manifest per cycle.
    const runDirs = await readdir(`${dir}/offline`);
    expect(runDirs).toEqual([cycles[0]!.runId]);
    expect((await readdir(`${dir}/offline/${runDirs[0]}/_manifests`)).sort()).toEqual(cycles.map((c) => `${c.runId}.json`).sort());
    expect(fs.status.getTarget('offline')?.runId).toBe(cycles[0]!.runId);
  });

  it('picks up entries that arrive while it runs', async () => {
    const fs = clicks({ max_events: 1000, flush_after_seconds: 0.3 });
    const ac = new AbortController();
    let committed = 0;
    const done = runStreamIngestion(fs, {
      connectors: builtinConnectors(),
      signal: ac.signal,
      onCycle: (r) => {
        committed += r.rowsRead;
        if (committed >= 30) ac.abort();
      },
    });
    for (let k = 0; k < 3; k++) {
      await seed(10, k * 10);
      await new Promise((r) => setTimeout(r, 150));
    }
    const summary = await done;
    expect(summary.rowsRead).toBe(30);
    expect(await duckQuery(`SELECT count(DISTINCT entry_id) AS d FROM ${parquet()}`)).toEqual([{ d: 30 }]);
    expect(await pending()).toBe(0);
  });

  it('an abort inside a cycle aborts the targets and acknowledges nothing; the next start resumes the cycle under its run id', async () => {
    await seed(30);
    const fs = clicks({ max_events: 1000, flush_after_seconds: 60, count: 10 });
    const ac = new AbortController();
    const summary = await runStreamIngestion(fs, {
      connectors: builtinConnectors(),
      signal: ac.signal,
      newRunId: () => '1700000000000_1',
      onProgress: (rows) => {
        if (rows >= 30) ac.abort();
      },
    });
    expect(summary).toEqual({ cycles: 0, rowsRead: 0, entries: 0, aborted: true });
    expect(await pending()).toBe(30);
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.parquet') || f.includes('_manifests/'));
    expect(files).toEqual([]); // the aborted targets removed what they had written
    const conn = await openStreamConnection({ url: services.redisUrl() });
    try {
      const state = await new StreamCheckpoint(conn, stream, GROUP).load();
      expect(state).toMatchObject({ runId: '1700000000000_1', phase: 'reading', consumer: 'worker-1', targets: { offline: '1700000000000_1' } });
    } finally {
      await conn.close();
    }

    await seed(5, 30);
    const resumed: Array<{ runId: string; resumed: boolean; rows: number }> = [];
    const again = await runStreamIngestion(clicks({ max_events: 1000 }), {
      connectors: builtinConnectors(),
      drain: true,
      newRunId: () => '1700000000999_2',
      onCycle: (r, info) => resumed.push({ runId: r.runId, resumed: info.resumed, rows: r.rowsRead }),
    });
    expect(again).toMatchObject({ cycles: 1, rowsRead: 35, aborted: false });
    expect(resumed).toEqual([{ runId: '1700000000000_1', resumed: true, rows: 35 }]);
    expect(await pending()).toBe(0);
    expect(await redis.exists(`${stream}:sluice:${GROUP}`)).toBe(0);
    expect(await duckQuery(`SELECT count(*) AS n, count(DISTINCT entry_id) AS d FROM ${parquet()}`)).toEqual([{ n: 35, d: 35 }]);
  });

  it('finishes the acknowledgement of a cycle that committed everywhere before the process died', async () => {
    await seed(12);
    const ids = ((await redis.xrange(stream, '-', '+')) as Array<[string, string[]]>).map(([id]) => id);
    await redis.xgroup('CREATE', stream, GROUP, '0');
    await redis.xreadgroup('GROUP', GROUP, 'dead', 'COUNT', 12, 'STREAMS', stream, '>');
    expect(await pending()).toBe(12);
    await redis.hset(`${stream}:sluice:${GROUP}`, { run_id: '1700000000000_7', phase: 'acking', consumer: 'dead', targets: '{}', ack_ids: ids.slice(0, 8).join(' ') });
    const summary = await runStreamIngestion(clicks({ claim_idle_ms: 0 }), { connectors: builtinConnectors(), drain: true });
    // The 8 committed ones are acknowledged without being read again; the other 4 are reclaimed and ingested.
    expect(summary.rowsRead).toBe(4);
    expect(await pending()).toBe(0);
    expect(await duckQuery(`SELECT min(n) AS lo, count(*) AS c FROM ${parquet()}`)).toEqual([{ lo: 8, c: 4 }]);
  });

  it('refuses a feature set whose source is not a redis-stream', async () => {
    const fs = clicks({});
    fs.spec.source = new DataSource({ kind: 'csv', path: 'x.csv' });
    await expect(runStreamIngestion(fs, { connectors: builtinConnectors() })).rejects.toThrow(/needs a redis-stream source, not "csv"/);
  });
});
