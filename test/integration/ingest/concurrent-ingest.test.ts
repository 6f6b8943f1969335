/**
 * Issue #8 item 8: two ingests of one feature set at once. The second must not run beside the first (both used to
 * succeed and leave an orphaned full copy that overwrite never removed): it fails naming the running run, or waits
 * for the lease with a lock timeout. A lease whose holder died expires.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, ingest } from '../../../connectors/index.js';
import { createDataFrameSource } from '../../../connectors/dataframe/index.js';
import type { RunDB, Source } from '../../../connectors/index.js';
import { tempRunDB } from '../../support/temp-run-db.js';

let dir: string;
let db: RunDB;
let done: () => Promise<void>;
beforeEach(async () => ({ dir, db, done } = await tempRunDB()));
afterEach(async () => done());

const rows = Array.from({ length: 50 }, (_, i) => ({ user_id: `u${i % 5}`, amount: i, ts: new Date(Date.UTC(2024, 0, 5, i % 24)) }));
const fsFor = () =>
  new FeatureSet({
    name: 'tx',
    project: 'p',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'dataframe' }),
    targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, timePartitioningGranularity: 'day' })],
  });

/** A dataframe source whose read() waits for `gate` (after telling `started`). */
function gatedSource(gate: Promise<void>, started: () => void): Source {
  const src = createDataFrameSource(rows, { keyField: 'user_id', timeField: 'ts' });
  return {
    spec: src.spec,
    description: src.description,
    schema: () => src.schema(),
    async *read(o) {
      started();
      await gate;
      yield* src.read(o);
    },
  } as Source;
}
const plainSource = () => createDataFrameSource(rows, { keyField: 'user_id', timeField: 'ts' });

describe('two ingests of one feature set at once', () => {
  it('the second fails at once naming the running run; no orphaned run directory is left', async () => {
    await ingest(fsFor(), { db, cwd: dir, runId: '1_1', source: plainSource() });
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const reading = new Promise<void>((r) => (started = r));
    const first = ingest(fsFor(), { db, cwd: dir, runId: '2_2', source: gatedSource(gate, started) });
    await reading;
    const running = await db.listRuns({ project: 'p', state: 'running' });
    expect(running).toHaveLength(1);
    const holder = running[0]!;

    const err = await ingest(fsFor(), { db, cwd: dir, runId: '3_3', source: plainSource() }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^ingestion of p/tx:latest failed \\(run [0-9a-f]{32}\\): feature set p/tx is being ingested by run ${holder.metadata.uid} \\(started ${holder.status!.start_time!.replace(/[.+]/g, '\\$&')}\\); wait for it \\(sluice runs wait ${holder.metadata.uid}\\) or give a lock timeout \\(--lock-timeout <seconds>\\)$`,
      ),
    );
    release();
    const done = await first;
    expect(await done.run.state()).toBe('completed');
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['2_2']);
    expect((await db.getFeatureSet('tx', { project: 'p' }))?.status).toMatchObject({ targets: [{ run_id: '2_2' }] });
    const states = (await db.listRuns({ project: 'p' })).map((r) => r.status?.state).sort();
    expect(states).toEqual(['completed', 'completed', 'error']);
  });

  it('with lockTimeoutMs the second waits for the first, then runs on the status it left', async () => {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const reading = new Promise<void>((r) => (started = r));
    const first = ingest(fsFor(), { db, cwd: dir, runId: '2_2', source: gatedSource(gate, started) });
    await reading;
    const second = ingest(fsFor(), { db, cwd: dir, runId: '3_3', source: plainSource(), lockTimeoutMs: 10_000 });
    setTimeout(release, 300);
    expect(await (await first).run.state()).toBe('completed');
    expect(await (await second).run.state()).toBe('completed');
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['3_3']);
  });

  it('a lease left by a dead ingest expires, so it never blocks forever', async () => {
    expect(await db.tryLock('feature-set:p/tx', 'dead-run-uid', 300)).toBe(true);
    const err = await ingest(fsFor(), { db, cwd: dir, runId: '4_4', source: plainSource() }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/feature set p\/tx is being ingested by run dead-run-uid \(started at an unknown time\)/);
    const { run } = await ingest(fsFor(), { db, cwd: dir, runId: '5_5', source: plainSource(), lockTimeoutMs: 5000 });
    expect(await run.state()).toBe('completed');
    expect(await db.readLock('feature-set:p/tx')).toBeUndefined();
  });
});
