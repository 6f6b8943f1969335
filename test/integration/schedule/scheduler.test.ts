import { appendFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestConnectors } from '../../../src/ingest/ingest-pipeline.js';
import { FeatureSet } from '../../../src/model/feature-set.js';
import { Notification } from '../../../src/model/notification.js';
import { SqliteRunDB } from '../../../src/run/db/sqlite-run-db.js';
import type { RunDict } from '../../../src/run/db/run-db.js';
import { newScheduleRecord, type NewScheduleOptions } from '../../../src/schedule/schedule-record.js';
import { withLease } from '../../../src/run/with-lease.js';
import { Scheduler } from '../../../src/schedule/scheduler.js';
import type { Clock } from '../../../src/util/time.js';
import { duckQuery } from '../../support/duckdb.js';
import { localConnectors } from '../../support/ingest-connectors.js';
import { tmpDir } from '../../support/tmp-dir.js';

const T0 = Date.parse('2024-05-01T12:00:00Z');
let dir: string;
let cleanup: () => Promise<void>;
let nowMs: number;
const clock: Clock = () => new Date(nowMs);
let db: SqliteRunDB;
const at = (hhmm: string) => {
  nowMs = Date.parse(`2024-05-01T${hhmm}:00Z`);
};

beforeEach(async () => {
  ({ dir, cleanup } = await tmpDir('sluice-sched-'));
  nowMs = T0;
  db = new SqliteRunDB({ path: join(dir, 'runs.db'), clock });
});
afterEach(async () => {
  await db.close();
  await cleanup();
});

/** Appends rows `id,ts` (ts as HH:MM on 2024-05-01, UTC) to the CSV. */
async function rows(...items: Array<[string, string]>): Promise<void> {
  const csv = join(dir, 'events.csv');
  if (!existsSync(csv)) await writeFile(csv, 'user_id,amount,ts\n');
  await appendFile(csv, items.map(([id, hhmm]) => `${id},1.5,2024-05-01T${hhmm}:00Z\n`).join(''));
}

function featureSet(targets = [{ name: 'offline', kind: 'parquet', path: join(dir, 'out') + '/' }], attributes: Record<string, unknown> = {}): FeatureSet {
  return FeatureSet.fromDict({
    kind: 'FeatureSet',
    metadata: { name: 'events', project: 'shop' },
    spec: {
      entities: [{ name: 'user_id' }],
      timestamp_key: 'ts',
      source: { kind: 'csv', path: join(dir, 'events.csv'), attributes: { schema: { user_id: 'string', amount: 'float64', ts: 'timestamp' }, ...attributes } },
      targets,
    },
  });
}

async function addSchedule(fs: FeatureSet, o: Partial<NewScheduleOptions> = {}): Promise<void> {
  await db.storeSchedule(newScheduleRecord(fs, { now: clock(), cron: '*/10 * * * *', ...o }).record as unknown as Record<string, unknown>);
}

const scheduler = (o: { holder?: string; connectors?: IngestConnectors; db?: SqliteRunDB } = {}) =>
  new Scheduler({ db: o.db ?? db, connectors: o.connectors ?? localConnectors(), clock, holder: o.holder ?? 'test-a', lease: { ttlMs: 60_000, renewMs: 20_000 } });

async function ingestedIds(root = join(dir, 'out')): Promise<string[]> {
  if (!existsSync(root) || (await readdir(root, { recursive: true })).every((f) => !String(f).endsWith('.parquet'))) return [];
  const r = await duckQuery(`SELECT user_id FROM read_parquet('${root}/**/*.parquet', hive_partitioning = false) ORDER BY user_id`);
  return r.map((x) => String(x.user_id));
}

const scheduledRuns = async (): Promise<RunDict[]> => (await db.listRuns({ project: 'shop', labels: { schedule: 'events' } })).reverse();
const params = (r: RunDict | undefined) => (r?.spec as { parameters: Record<string, unknown> }).parameters;

describe('scheduled incremental ingestion (fake clock, SQLite run db, CSV → Parquet)', () => {
  it('fires on the cron, reads (watermark, now], appends, and ingests every row exactly once', async () => {
    await rows(['u1', '11:00'], ['u2', '11:30'], ['u3', '11:59']);
    await addSchedule(featureSet(), { notifications: [new Notification({ kind: 'console', when: ['completed'] })] });
    at('12:05');
    expect(await scheduler().runDue()).toEqual([]);

    at('12:10');
    const [first] = await scheduler().runDue();
    expect(first).toMatchObject({ name: 'events', project: 'shop', status: 'completed', rowsRead: 3, fireTime: new Date('2024-05-01T12:10:00Z') });
    expect(first?.window?.start).toBeUndefined();
    expect(await ingestedIds()).toEqual(['u1', 'u2', 'u3']);

    await rows(['u4', '12:05'], ['u5', '12:15'], ['u6', '12:25']); // u6 is later than the next fire
    at('12:20');
    expect((await scheduler().runDue()).map((x) => [x.status, x.rowsRead])).toEqual([['completed', 2]]);
    at('12:30');
    expect((await scheduler().runDue()).map((x) => [x.status, x.rowsRead])).toEqual([['completed', 1]]);
    at('12:40'); // nothing new: an empty run must keep the watermark
    expect((await scheduler().runDue()).map((x) => [x.status, x.rowsRead])).toEqual([['completed', 0]]);
    await rows(['u7', '12:45']);
    at('12:50');
    expect((await scheduler().runDue()).map((x) => [x.status, x.rowsRead])).toEqual([['completed', 1]]);
    expect(await ingestedIds()).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);

    const runs = await scheduledRuns();
    expect(runs).toHaveLength(5);
    expect(runs.map((r) => r.status?.state)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    expect(params(runs[0])).toMatchObject({ overwrite: false, end_time: '2024-05-01T12:10:00.000+00:00' });
    expect(params(runs[0])).not.toHaveProperty('start_time');
    expect(params(runs[1])).toMatchObject({ start_time: '2024-05-01T11:59:00.000+00:00', end_time: '2024-05-01T12:20:00.000+00:00' });
    expect(params(runs[4])).toMatchObject({ start_time: '2024-05-01T12:25:00.000+00:00', end_time: '2024-05-01T12:50:00.000+00:00' });
    expect(runs[0]?.metadata.labels).toMatchObject({ schedule: 'events', kind: 'ingest', 'feature-set': 'events' });
    expect((runs[0]?.status?.notifications as Record<string, { status: string }>).console?.status).toBe('sent');
    const [stored] = await db.listSchedules({ project: 'shop' });
    expect(stored).toMatchObject({ last_fire: '2024-05-01T12:50:00.000+00:00', last_run: { state: 'completed', uid: runs[4]?.metadata.uid } });
  });

  it('allowed lateness leaves young rows for the next fire; lookback re-reads a margin before the watermark', async () => {
    await rows(['u1', '11:50'], ['u2', '12:07']);
    await addSchedule(featureSet(undefined, { allowed_lateness_seconds: 300 }));
    at('12:10'); // window (-inf, 12:05]: u2 is too young
    expect((await scheduler().runDue()).map((x) => x.rowsRead)).toEqual([1]);
    expect(await ingestedIds()).toEqual(['u1']);
    at('12:20'); // (11:50, 12:15]
    expect((await scheduler().runDue()).map((x) => x.rowsRead)).toEqual([1]);
    expect(await ingestedIds()).toEqual(['u1', 'u2']);

    await db.deleteSchedule('events', { project: 'shop' });
    await rows(['u3', '12:21']);
    await addSchedule(featureSet(), { lookbackSeconds: 600 });
    at('12:30'); // (12:07 - 10 min, 12:30]: u2 is read again, u3 is new
    const [x] = await scheduler().runDue();
    expect(x).toMatchObject({ status: 'completed', rowsRead: 2 });
    expect(x?.window?.start).toEqual(new Date('2024-05-01T11:57:00Z'));
  });

  it('the watermark is the smallest last_written over the targets', async () => {
    await rows(['u1', '11:00'], ['u2', '11:40']);
    const targets = [
      { name: 'a', kind: 'parquet', path: join(dir, 'a') + '/' },
      { name: 'b', kind: 'parquet', path: join(dir, 'b') + '/' },
    ];
    await addSchedule(featureSet(targets));
    at('12:10');
    await scheduler().runDue();
    const stored = (await db.getFeatureSet('events', { project: 'shop' })) as { status: { targets: Array<{ name: string; last_written?: string }> } };
    expect(stored.status.targets.map((t) => t.last_written)).toEqual(['2024-05-01T11:40:00.000+00:00', '2024-05-01T11:40:00.000+00:00']);
    (stored.status.targets[1] as { last_written?: string }).last_written = '2024-05-01T11:30:00+00:00'; // b is behind
    await db.storeFeatureSet(stored as unknown as Record<string, unknown>);
    at('12:20');
    const [x] = await scheduler().runDue();
    expect(x?.window?.start).toEqual(new Date('2024-05-01T11:30:00Z'));
    expect(x?.rowsRead).toBe(1); // u2 (11:40) again, for b
    expect(params((await scheduledRuns())[1])).toMatchObject({ start_time: '2024-05-01T11:30:00.000+00:00' });
  });

  it('a fire missed while no scheduler ran runs once at start-up', async () => {
    await rows(['u1', '11:00']);
    await addSchedule(featureSet());
    at('12:10');
    await scheduler().runDue();
    nowMs = Date.parse('2024-05-01T15:47:00Z'); // down from 12:10 to 15:47: 21 fires missed
    const out = await scheduler().runDue();
    expect(out.map((x) => [x.status, x.fireTime?.toISOString()])).toEqual([['completed', '2024-05-01T15:40:00.000Z']]);
    expect(await scheduler().runDue()).toEqual([]);
    expect(await scheduledRuns()).toHaveLength(2);
  });

  it('a fire while another run ingests the feature set fails naming that run, without deadlock; the next fire catches up', async () => {
    await rows(['u1', '11:00']);
    await addSchedule(featureSet());
    await db.storeRun({ metadata: { uid: 'manual-run', project: 'shop' }, status: { state: 'running', start_time: '2024-05-01T11:58:00+00:00' } });
    expect(await db.tryLock('feature-set:shop/events', 'manual-run', 3_600_000)).toBe(true);
    at('12:10');
    const [blocked] = await scheduler().runDue();
    expect(blocked?.status).toBe('error');
    expect(blocked?.error).toBe(
      'feature set shop/events is being ingested by run manual-run (started 2024-05-01T11:58:00+00:00); wait for it (sluice runs wait manual-run) or give a lock timeout (--lock-timeout <seconds>)',
    );
    expect(await db.readLock('schedule:shop/events')).toBeUndefined();
    await db.unlock('feature-set:shop/events', 'manual-run');
    at('12:20');
    expect((await scheduler().runDue()).map((x) => x.status)).toEqual(['completed']);
    expect(await ingestedIds()).toEqual(['u1']);
  });

  it('two schedulers (separate connections) fire a due schedule once; a crashed holder’s lock expires', async () => {
    await rows(['u1', '11:00']);
    await addSchedule(featureSet());
    at('12:10');
    const db2 = new SqliteRunDB({ path: join(dir, 'runs.db'), clock });
    try {
      const [a, b] = await Promise.all([scheduler({ holder: 'host-a' }).runDue(), scheduler({ holder: 'host-b', db: db2 }).runDue()]);
      const all = [...a, ...b];
      expect(all.filter((x) => x.status === 'completed')).toHaveLength(1);
      expect(all.filter((x) => x.status !== 'completed').every((x) => x.status === 'locked')).toBe(true);
      expect(await scheduledRuns()).toHaveLength(1);
      expect(await ingestedIds()).toEqual(['u1']);

      await rows(['u2', '12:15']);
      at('12:20');
      expect(await db.tryLock('schedule:shop/events', 'crashed-host', 60_000)).toBe(true); // a holder that died
      expect((await scheduler().runDue()).map((x) => x.status)).toEqual(['locked']);
      nowMs += 61_000;
      expect((await scheduler({ db: db2 }).runDue()).map((x) => [x.status, x.rowsRead])).toEqual([['completed', 1]]);
      expect(await ingestedIds()).toEqual(['u1', 'u2']);
    } finally {
      await db2.close();
    }
  });

  it('a lease lost while running (the holder stalled past the ttl) aborts the work', async () => {
    const out = await withLease(
      db,
      'schedule:shop/stall',
      'slow',
      (signal) =>
        new Promise<string>((resolve) => {
          nowMs += 61_000; // the lease ran out...
          void db.tryLock('schedule:shop/stall', 'other', 60_000); // ...and another holder took it
          signal.addEventListener('abort', () => resolve(String((signal.reason as Error).message)));
        }),
      { ttlMs: 60_000, renewMs: 10 },
    );
    expect(out).toEqual({ acquired: true, value: expect.stringMatching(/lock schedule:shop\/stall: lost to another holder/) });
    expect(await db.tryLock('schedule:shop/stall', 'slow', 1000)).toBe(false); // not released from under the new holder
  });

  it('stopping the daemon after the grace period aborts the running fire: nothing committed, the fire runs again at start-up', async () => {
    await rows(['u1', '11:00']);
    await addSchedule(featureSet());
    at('12:10');
    const base = localConnectors();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const slow: IngestConnectors = {
      ...base,
      createSource: async (spec, ctx) => {
        const src = await base.createSource(spec, ctx);
        return {
          ...src,
          description: src.description,
          schema: () => src.schema(),
          async *read(o) {
            started();
            await new Promise((r) => o?.signal?.addEventListener('abort', r, { once: true })); // slow until aborted
            yield* src.read(o);
          },
        };
      },
    };
    const s = scheduler({ connectors: slow });
    const stop = new AbortController();
    const daemon = s.run({ signal: stop.signal, graceMs: 50 });
    await running;
    stop.abort();
    await daemon;
    const runs = await scheduledRuns();
    expect(runs.map((r) => r.status?.state)).toEqual(['aborted']);
    expect(await ingestedIds()).toEqual([]);
    expect((await db.listSchedules({ project: 'shop' }))[0]?.last_fire).toBeUndefined();
    expect((await scheduler().runDue()).map((x) => [x.status, x.rowsRead])).toEqual([['completed', 1]]);
    expect(await ingestedIds()).toEqual(['u1']);
  });

  it('an invalid schedule is reported, not fired', async () => {
    await db.storeSchedule({ name: 'broken', project: 'shop', cron: 'every minute', created: '2024-05-01T00:00:00Z', feature_set: featureSet().toDict() });
    const out = await scheduler().runDue();
    expect(out).toEqual([{ name: 'broken', project: 'shop', status: 'invalid', error: expect.stringMatching(/schedule broken: cron: "every minute" has 2 fields/) }]);
  });
});
