/**
 * Issue #10 (MLRun compatibility), RunObject items: state() re-reads the run db while the run is not terminal,
 * outputs / output() / artifact() wait for completion (with a timeout), waitForCompletion raises on every terminal
 * state but completed and prints the log once at the end by default, `error` only for error/aborting/aborted.
 * MLRun: mlrun/model.py class RunObject.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TimeoutError } from '../../../src/errors.js';
import { newTask } from '../../../src/model/new-task.js';
import type { RunDB } from '../../../src/run/db/run-db.js';
import { RunObject } from '../../../src/run/run-object.js';
import { run } from '../../../src/run/run-task.js';
import { tempRunDB } from '../../support/temp-run-db.js';

let dir: string;
let db: RunDB;
let done: () => Promise<void>;
beforeEach(async () => ({ dir, db, done } = await tempRunDB()));
afterEach(async () => done());

/** A run that waits for `release()`, logs a line, returns `{ n: 1 }` and logs an artifact. */
async function gatedRun() {
  let release!: () => void;
  const gate = new Promise<void>((res) => (release = res));
  const r = await run(newTask({ name: 'gated', project: 'ro' }), async (ctx) => {
    ctx.logger.info('work started');
    await gate;
    await ctx.logArtifact('report', { body: 'all good' });
    return { n: 1 };
  }, { db, cwd: dir, wait: false });
  return { r, release };
}

const stored = (uid: string, status: Record<string, unknown>) => db.storeRun({ metadata: { uid, name: 'x', project: 'ro' }, status });

describe('RunObject.state()', () => {
  it('re-reads the run db while the run is not terminal, and keeps a terminal state without reading', async () => {
    const { r, release } = await gatedRun();
    expect(await r.state()).toBe('running');
    release();
    for (let i = 0; i < 200 && (await db.readRun(r.uid, { project: 'ro' }))?.status?.state !== 'completed'; i += 1) await new Promise((res) => setTimeout(res, 10));
    expect(await r.state()).toBe('completed');
    await db.updateRun(r.uid, { status: { state: 'error' } }, { project: 'ro' });
    expect(await r.state()).toBe('completed');
  });
});

describe('RunObject outputs, output(), artifact()', () => {
  it('wait for the run to complete before answering', async () => {
    const { r, release } = await gatedRun();
    setTimeout(release, 50);
    expect(await r.output('n')).toBe(1);
    expect(await r.state()).toBe('completed');
    const { r: r2, release: release2 } = await gatedRun();
    setTimeout(release2, 50);
    expect(await r2.outputs).toMatchObject({ n: 1 });
    const { r: r3, release: release3 } = await gatedRun();
    setTimeout(release3, 50);
    expect(await (await r3.artifact('report'))!.asString()).toBe('all good');
  });

  it('give up after a timeout, naming the run and its state', async () => {
    const { r, release } = await gatedRun();
    const err = await r.output('n', { timeout: 0.1, sleep: 0.02 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(new RegExp(`run ${r.uid} is still running after 0.1 s`));
    r.outputsTimeout = 0.1;
    await expect(r.outputs).rejects.toThrow(TimeoutError);
    await expect(r.artifact('report', { timeout: 0.1 })).rejects.toThrow(TimeoutError);
    release();
  });

  it('raise for a run that did not complete, unless outputsWaitForCompletion is off', async () => {
    await stored('failed', { state: 'error', error: 'boom', results: { partial: 2 } });
    const r = RunObject.fromRecord((await db.readRun('failed', { project: 'ro' }))!, db);
    await expect(r.output('partial')).rejects.toThrow(/run failed ended error: boom/);
    r.outputsWaitForCompletion = false;
    expect(await r.output('partial')).toBe(2);
  });
});

describe('RunObject.waitForCompletion()', () => {
  it('raises on every terminal state other than completed, skipped too', async () => {
    await stored('sk', { state: 'skipped' });
    const r = RunObject.fromRecord((await db.readRun('sk', { project: 'ro' }))!, db);
    await expect(r.waitForCompletion({ sleep: 0.01, showLogs: false })).rejects.toThrow(/run sk ended skipped/);
    expect(await r.waitForCompletion({ sleep: 0.01, raiseOnFailure: false, showLogs: false })).toBe('skipped');
  });

  it('prints the log once, at the end, by default', async () => {
    const { r, release } = await gatedRun();
    setTimeout(release, 100);
    let printed = '';
    expect(await r.waitForCompletion({ sleep: 0.01, write: (t) => (printed += t) })).toBe('completed');
    expect(printed.match(/work started/g)).toHaveLength(1);
    let quiet = '';
    await r.waitForCompletion({ sleep: 0.01, showLogs: false, write: (t) => (quiet += t) });
    expect(quiet).toBe('');
  });
});

describe('RunObject.error', () => {
  it('is set only for error, aborting and aborted', async () => {
    const of = (status: Record<string, unknown>) => RunObject.fromDict({ metadata: { uid: 'e' }, status }).error;
    expect(of({ state: 'completed', reason: 'finished early', status_text: 'ok' })).toBe('');
    expect(of({ state: 'running', reason: 'slow node' })).toBe('');
    expect(of({ state: 'aborting' })).toBe('Run was aborted');
    expect(of({ state: 'aborting', status_text: 'stopping' })).toBe('stopping');
    expect(of({ state: 'aborted', reason: 'by user' })).toBe('by user');
    expect(of({ state: 'error' })).toBe('Unknown error');
    expect(of({ state: 'error', status_text: 'node lost' })).toBe('node lost');
  });
});

describe('RunObject.abort()', () => {
  it('asks through the run db; the running process fires ctx.signal at its next heartbeat and ends aborted', async () => {
    let sawSignal = false;
    const r = await run(newTask({ name: 'abortable', project: 'ro' }), (ctx) => new Promise((_res, rej) => {
      ctx.signal.addEventListener('abort', () => {
        sawSignal = true;
        rej(new Error('stopped'));
      });
    }), { db, cwd: dir, wait: false, heartbeat: { intervalMs: 50, expiryMs: 10_000 } });
    const other = RunObject.fromRecord((await db.readRun(r.uid, { project: 'ro' }))!, db);
    expect(await other.abort()).toBe('aborting');
    expect(other.status.state).toBe('aborting');
    expect(await r.waitForCompletion({ sleep: 0.02, raiseOnFailure: false, showLogs: false })).toBe('aborted');
    expect(sawSignal).toBe(true);
    expect(r.error).toBe('Run was aborted');
    await expect(other.abort()).rejects.toThrow(`abortRun: run ${r.uid} (project ro) already ended aborted; there is nothing to abort`);
  });

  it('aborts a hyperparameter sweep: the running child sees its signal, parent and children end aborted', async () => {
    const task = newTask({ name: 'sweep', project: 'ro' }).withHyperParams({ x: [1, 2, 3] }, 'max.y');
    const r = await run(task, (ctx) => new Promise((_res, rej) => ctx.signal.addEventListener('abort', () => rej(new Error('stopped')))), {
      db, cwd: dir, wait: false, heartbeat: { intervalMs: 50, expiryMs: 10_000 },
    });
    for (let i = 0; i < 100 && (await db.listRuns({ project: 'ro', uid: r.uid })).length < 2; i += 1) await new Promise((res) => setTimeout(res, 10));
    expect(await r.abort()).toBe('aborting');
    expect(await r.waitForCompletion({ sleep: 0.02, raiseOnFailure: false, showLogs: false })).toBe('aborted');
    const children = (await db.listRuns({ project: 'ro', uid: r.uid })).filter((x) => (x.metadata.iteration ?? 0) > 0);
    expect(children.length).toBeGreaterThan(0);
    expect(children.map((x) => x.status?.state)).toEqual(children.map(() => 'aborted'));
  });
});
