/**
 * The RunDB contract: every implementation passes these tests. A factory may be called several times and must
 * then return instances over the same store (same file, same schema). Tests isolate by a unique project per test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, NotFoundError, SpecError } from '../../src/errors.js';
import type { RunCursor, RunDB, RunDict } from '../../src/run/db/run-db.js';
import { runCursor } from '../../src/run/db/run-cursor.js';
import type { Clock } from '../../src/util/time.js';
import { uniqueName } from '../support/services.js';

/** Opens an instance of the implementation under test with the given clock. */
export type RunDbFactory = (opts: { clock: Clock }) => Promise<RunDB>;

const T0 = Date.parse('2024-03-01T10:00:00Z');

/** Registers the contract suite for one implementation. */
export function runDbContract(name: string, factory: RunDbFactory): void {
  describe(`RunDB contract: ${name}`, () => {
    let nowMs = T0;
    const clock: Clock = () => new Date(nowMs);
    let db: RunDB;
    let project: string;
    const run = (uid: string, extra: { name?: string; state?: string; start?: string; labels?: Record<string, string>; iteration?: number } = {}): RunDict => ({
      metadata: { uid, name: extra.name ?? 'ingest', project, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.iteration !== undefined ? { iteration: extra.iteration } : {}) },
      spec: { parameters: { p: 1 } },
      status: { state: extra.state ?? 'running', ...(extra.start ? { start_time: extra.start } : {}) },
    });
    const uids = (runs: RunDict[]): string[] => runs.map((r) => `${r.metadata.uid}#${r.metadata.iteration}`);

    beforeAll(async () => {
      db = await factory({ clock });
    });
    afterAll(async () => {
      await db?.close();
    });
    beforeEach(() => {
      nowMs = T0;
      project = uniqueName('proj');
    });

    describe('storeRun / readRun', () => {
      it('round-trips a run, filling project, iteration and last_update, without changing the caller dict', async () => {
        const r = run('u1', { start: '2024-03-01T09:00:00+00:00', labels: { owner: 'ana' } });
        const before = structuredClone(r);
        await db.storeRun(r);
        expect(r).toEqual(before);
        const got = await db.readRun('u1', { project });
        expect(got).toEqual({
          metadata: { uid: 'u1', name: 'ingest', project, iteration: 0, labels: { owner: 'ana' } },
          spec: { parameters: { p: 1 } },
          status: { state: 'running', start_time: '2024-03-01T09:00:00+00:00', last_update: '2024-03-01T10:00:00.000+00:00' },
        });
      });

      it('upserts by project + uid + iteration', async () => {
        await db.storeRun(run('u1', { state: 'running' }));
        await db.storeRun(run('u1', { state: 'completed' }));
        const list = await db.listRuns({ project });
        expect(list).toHaveLength(1);
        expect(list[0]?.status?.state).toBe('completed');
      });

      it('defaults the project to "default" and keeps iterations apart', async () => {
        const uid = uniqueName('u');
        await db.storeRun({ metadata: { uid }, status: { state: 'created' } });
        expect((await db.readRun(uid))?.metadata.project).toBe('default');
        expect(await db.readRun(uid, { project })).toBeUndefined();
        await db.storeRun(run('u2', { iteration: 1, state: 'completed' }));
        await db.storeRun(run('u2', { iteration: 2, state: 'error' }));
        expect((await db.readRun('u2', { project, iteration: 2 }))?.status?.state).toBe('error');
        expect(await db.readRun('u2', { project })).toBeUndefined();
      });

      it('refuses an invalid run, naming the bad key', async () => {
        await expect(db.storeRun({ metadata: { name: 'x' } } as unknown as RunDict)).rejects.toThrow(/metadata\.uid/);
        await expect(db.storeRun(run('u1', { start: 'yesterday' }))).rejects.toThrow(SpecError);
        await expect(db.storeRun(run('u1', { start: 'yesterday' }))).rejects.toThrow(/start_time.*"yesterday"/);
        await expect(db.storeRun({ metadata: { uid: 'u1', project, labels: { n: 1 } } } as unknown as RunDict)).rejects.toThrow(/metadata\.labels/);
        await expect(db.storeRun({ metadata: { uid: 'u1', project, iteration: -1 } })).rejects.toThrow(/iteration.*-1/);
        expect(await db.readRun('u1', { project })).toBeUndefined();
      });
    });

    describe('updateRun', () => {
      it('deep-merges objects, replaces arrays and scalars, and moves last_update and the state index', async () => {
        await db.storeRun({
          metadata: { uid: 'u1', project, name: 'ingest' },
          spec: { parameters: { a: 1, b: 2 }, inputs: ['x', 'y'] },
          status: { state: 'running', results: { rows: 10 } },
        });
        nowMs = T0 + 5000;
        await db.updateRun('u1', { spec: { parameters: { b: 3 }, inputs: ['z'] }, status: { state: 'completed', results: { bytes: 99 } } }, { project });
        const got = await db.readRun('u1', { project });
        expect(got?.spec).toEqual({ parameters: { a: 1, b: 3 }, inputs: ['z'] });
        expect(got?.status).toEqual({ state: 'completed', results: { rows: 10, bytes: 99 }, last_update: '2024-03-01T10:00:05.000+00:00' });
        expect(uids(await db.listRuns({ project, state: 'completed' }))).toEqual(['u1#0']);
        expect(await db.listRuns({ project, state: 'running' })).toEqual([]);
      });

      it('accepts dotted paths as MLRun does, and updates child iterations', async () => {
        await db.storeRun(run('u1', { iteration: 3 }));
        await db.updateRun('u1', { 'status.state': 'error', 'status.error': 'boom', 'metadata.labels': { k: 'v' } }, { project, iteration: 3 });
        const got = await db.readRun('u1', { project, iteration: 3 });
        expect(got?.status).toMatchObject({ state: 'error', error: 'boom' });
        expect(got?.metadata.labels).toEqual({ k: 'v' });
        expect(uids(await db.listRuns({ project, labels: { k: 'v' }, iteration: 3 }))).toEqual(['u1#3']);
      });

      it('throws NotFoundError naming uid and project for a missing run', async () => {
        const err = await db.updateRun('nope', { status: { state: 'completed' } }, { project }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NotFoundError);
        expect((err as NotFoundError).code).toBe('NOT_FOUND');
        expect((err as Error).message).toContain('nope');
        expect((err as Error).message).toContain(project);
        await db.storeRun(run('u1'));
        await expect(db.updateRun('u1', { status: { state: 'x' } }, { project, iteration: 1 })).rejects.toThrow(NotFoundError);
      });

      it('refuses a patch that moves the run to another key', async () => {
        await db.storeRun(run('u1'));
        await expect(db.updateRun('u1', { metadata: { uid: 'u2' } }, { project })).rejects.toThrow(/metadata\.uid.*"u2"/);
        await expect(db.updateRun('u1', ['x'] as unknown as Record<string, unknown>, { project })).rejects.toThrow(SpecError);
        expect((await db.readRun('u1', { project }))?.metadata.uid).toBe('u1');
      });
    });

    describe('listRuns', () => {
      it('lists newest start_time first (offsets compared as instants), runs without one last', async () => {
        await db.storeRun(run('a', { start: '2024-03-01T09:00:00+00:00' }));
        await db.storeRun(run('b', { start: '2024-03-01T10:30:00+02:00' })); // 08:30Z
        await db.storeRun(run('c'));
        await db.storeRun(run('d', { start: '2024-03-01T09:30:00Z' }));
        expect(uids(await db.listRuns({ project }))).toEqual(['d#0', 'a#0', 'b#0', 'c#0']);
        expect(uids(await db.listRuns({ project, limit: 2 }))).toEqual(['d#0', 'a#0']);
        await expect(db.listRuns({ project, limit: 0 })).rejects.toThrow(/limit 0/);
      });

      it('filters by project, name, state and labels', async () => {
        const other = uniqueName('proj');
        const mark = uniqueName('m');
        await db.storeRun(run('a', { name: 'ingest-users', state: 'completed', labels: { team: 'x', mark } }));
        await db.storeRun(run('b', { name: 'Ingest-Orders', state: 'error', labels: { team: 'y', mark } }));
        await db.storeRun(run('c', { name: 'train', state: 'running', labels: { team: 'x', mark, kind: 'job' } }));
        await db.storeRun({ ...run('d', { labels: { mark } }), metadata: { uid: 'd', project: other, labels: { mark } } });
        const sorted = async (f: Parameters<RunDB['listRuns']>[0]) => uids(await db.listRuns(f)).sort();
        expect(await sorted({ project })).toEqual(['a#0', 'b#0', 'c#0']);
        expect(await sorted({ project: other })).toEqual(['d#0']);
        expect(await sorted({ labels: { mark } })).toEqual(['a#0', 'b#0', 'c#0', 'd#0']);
        expect(await sorted({ project: '*', labels: { mark } })).toEqual(['a#0', 'b#0', 'c#0', 'd#0']);
        expect(await sorted({ project, name: 'train' })).toEqual(['c#0']);
        expect(await sorted({ project, name: 'ingest' })).toEqual([]);
        expect(await sorted({ project, name: '~INGEST' })).toEqual(['a#0', 'b#0']);
        expect(await sorted({ project, state: 'error' })).toEqual(['b#0']);
        expect(await sorted({ project, state: ['completed', 'running'] })).toEqual(['a#0', 'c#0']);
        expect(await sorted({ project, state: [] })).toEqual([]);
        expect(await sorted({ project, labels: { team: 'x' } })).toEqual(['a#0', 'c#0']);
        expect(await sorted({ project, labels: { team: 'x', kind: 'job' } })).toEqual(['c#0']);
        expect(await sorted({ project, labels: { team: 'z' } })).toEqual([]);
      });

      it('pages with a keyset cursor (after: runCursor(last)) in the list order, ties and runs without start included', async () => {
        await db.storeRun(run('a', { start: '2024-03-01T09:00:00Z' }));
        await db.storeRun(run('b', { start: '2024-03-01T09:00:00Z' }));
        nowMs += 1000;
        await db.storeRun(run('c', { start: '2024-03-01T09:00:00Z' }));
        await db.storeRun(run('d', { start: '2024-03-01T11:00:00Z' }));
        await db.storeRun(run('e'));
        await db.storeRun(run('f'));
        const all = uids(await db.listRuns({ project }));
        expect(all).toEqual(['d#0', 'c#0', 'a#0', 'b#0', 'e#0', 'f#0']);
        const seen: string[] = [];
        let after: RunCursor | undefined;
        for (;;) {
          const page = await db.listRuns({ project, limit: 2, after });
          if (page.length === 0) break;
          seen.push(...uids(page));
          after = runCursor(page[page.length - 1] as RunDict);
        }
        expect(seen).toEqual(all);
        expect(uids(await db.listRuns({ project, state: 'running', after: runCursor((await db.listRuns({ project, limit: 1 }))[0] as RunDict) }))).toEqual(all.slice(1));
      });

      it('lists parents by default, a parent with its children by uid, one iteration on request', async () => {
        await db.storeRun(run('p1'));
        for (const i of [1, 2, 3]) await db.storeRun(run('p1', { iteration: i, state: i === 2 ? 'error' : 'completed' }));
        await db.storeRun(run('p2'));
        expect(uids(await db.listRuns({ project })).sort()).toEqual(['p1#0', 'p2#0']);
        expect(uids(await db.listRuns({ project, uid: 'p1' })).sort()).toEqual(['p1#0', 'p1#1', 'p1#2', 'p1#3']);
        expect(uids(await db.listRuns({ project, iteration: 2 }))).toEqual(['p1#2']);
        expect(uids(await db.listRuns({ project, uid: 'p1', state: 'completed' })).sort()).toEqual(['p1#1', 'p1#3']);
      });
    });

    describe('logs', () => {
      it('appends and reads from byte offsets, with multi-byte UTF-8', async () => {
        const a = 'héllo ';
        const b = '✓ wörld 😀\n';
        await db.storeLog('u1', a, { project });
        await db.storeLog('u1', b, { project });
        const all = await db.getLog('u1', { project });
        const na = Buffer.byteLength(a);
        const total = na + Buffer.byteLength(b);
        expect(all).toEqual({ text: a + b, offset: total });
        expect(await db.getLog('u1', { project, offset: na })).toEqual({ text: b, offset: total });
        expect(await db.getLog('u1', { project, offset: na + 3 })).toEqual({ text: b.slice(1), offset: total });
        // offset 2 is inside "é" (2 bytes at 1..2): moves on to the next character
        expect(await db.getLog('u1', { project, offset: 2 })).toEqual({ text: 'llo ' + b, offset: total });
        // inside the 4-byte emoji
        expect(await db.getLog('u1', { project, offset: total - 3 })).toEqual({ text: '\n', offset: total });
        expect(await db.getLog('u1', { project, offset: total })).toEqual({ text: '', offset: total });
        expect(await db.getLog('u1', { project, offset: total + 10 })).toEqual({ text: '', offset: total });
        await db.storeLog('u1', 'more', { project });
        expect(await db.getLog('u1', { project, offset: all.offset })).toEqual({ text: 'more', offset: total + 4 });
      });

      it('replaces the log with append: false, keeps projects apart, and gives an empty log for unknown runs', async () => {
        await db.storeLog('u1', 'old text', { project });
        await db.storeLog('u1', 'néw', { project, append: false });
        expect(await db.getLog('u1', { project })).toEqual({ text: 'néw', offset: 4 });
        await db.storeLog('u1', '', { project });
        expect(await db.getLog('u1', { project })).toEqual({ text: 'néw', offset: 4 });
        expect(await db.getLog('u1', { project: uniqueName('proj') })).toEqual({ text: '', offset: 0 });
        expect(await db.getLog('ghost', { project })).toEqual({ text: '', offset: 0 });
        await db.storeLog('u1', '', { project, append: false });
        expect(await db.getLog('u1', { project })).toEqual({ text: '', offset: 0 });
        await expect(db.getLog('u1', { project, offset: -1 })).rejects.toThrow(/offset -1/);
      });

      it('keeps every chunk of concurrent appends', async () => {
        const lines = Array.from({ length: 40 }, (_, i) => `line ${i} ✓\n`);
        await Promise.all(lines.map((l) => db.storeLog('u1', l, { project })));
        const log = await db.getLog('u1', { project });
        expect(log.offset).toBe(lines.reduce((n, l) => n + Buffer.byteLength(l), 0));
        expect(log.text.split('\n').filter(Boolean).sort()).toEqual(lines.map((l) => l.trimEnd()).sort());
      });
    });

    describe('feature sets', () => {
      const fs = (name: string, tag?: string, rows = 1): Record<string, unknown> => ({
        kind: 'FeatureSet',
        metadata: { name, project, ...(tag ? { tag } : {}) },
        spec: { entities: [{ name: 'id' }] },
        status: { state: 'created', stats: { rows } },
      });

      it('upserts by project + name + tag (default latest) and reads back', async () => {
        await db.storeFeatureSet(fs('users'));
        await db.storeFeatureSet(fs('users', undefined, 5));
        await db.storeFeatureSet(fs('users', 'v1', 2));
        expect(await db.getFeatureSet('users', { project })).toEqual({ ...fs('users', 'latest', 5), metadata: { name: 'users', project, tag: 'latest' } });
        expect(((await db.getFeatureSet('users', { project, tag: 'v1' }))?.status as { stats: unknown }).stats).toEqual({ rows: 2 });
        expect(await db.getFeatureSet('users', { project, tag: 'v2' })).toBeUndefined();
        expect(await db.getFeatureSet('users', { project: uniqueName('proj') })).toBeUndefined();
      });

      it('lists by project (and tag), ordered by name then tag', async () => {
        await db.storeFeatureSet(fs('orders'));
        await db.storeFeatureSet(fs('users', 'v1'));
        await db.storeFeatureSet(fs('users'));
        await db.storeFeatureSet({ ...fs('elsewhere'), metadata: { name: 'elsewhere', project: uniqueName('proj') } });
        const keys = (l: Record<string, unknown>[]) => l.map((d) => { const m = d.metadata as Record<string, string>; return `${m.name}:${m.tag}`; });
        expect(keys(await db.listFeatureSets({ project }))).toEqual(['orders:latest', 'users:latest', 'users:v1']);
        expect(keys(await db.listFeatureSets({ project, tag: 'v1' }))).toEqual(['users:v1']);
        expect(keys(await db.listFeatureSets({ project: uniqueName('proj') }))).toEqual([]);
      });

      it('refuses a feature set without a name', async () => {
        await expect(db.storeFeatureSet({ kind: 'FeatureSet', metadata: { project } })).rejects.toThrow(/metadata\.name/);
        await expect(db.storeFeatureSet({ kind: 'FeatureSet' })).rejects.toThrow(/metadata/);
      });
    });

    describe('lease locks', () => {
      it('acquires, refuses others, extends for the holder, and expires', async () => {
        const lock = uniqueName('lock');
        expect(await db.tryLock(lock, 'a', 1000)).toBe(true);
        expect(await db.tryLock(lock, 'b', 1000)).toBe(false);
        nowMs += 800;
        expect(await db.tryLock(lock, 'a', 1000)).toBe(true); // extended to T0 + 1800
        nowMs += 900;
        expect(await db.tryLock(lock, 'b', 1000)).toBe(false);
        nowMs += 100; // now T0 + 1800: expired
        expect(await db.tryLock(lock, 'b', 1000)).toBe(true);
        expect(await db.tryLock(lock, 'a', 1000)).toBe(false);
      });

      it('unlocks only for the holder', async () => {
        const lock = uniqueName('lock');
        expect(await db.tryLock(lock, 'a', 60_000)).toBe(true);
        await db.unlock(lock, 'b');
        expect(await db.tryLock(lock, 'b', 60_000)).toBe(false);
        await db.unlock(lock, 'a');
        expect(await db.tryLock(lock, 'b', 60_000)).toBe(true);
        await db.unlock(uniqueName('lock'), 'a');
      });

      it('gives a free lock to exactly one of many concurrent callers', async () => {
        const lock = uniqueName('lock');
        const got = await Promise.all(Array.from({ length: 12 }, (_, i) => db.tryLock(lock, `h${i}`, 60_000)));
        expect(got.filter(Boolean)).toHaveLength(1);
      });

      it('tells who holds a lock and until when, and nothing once it expired or was released', async () => {
        const lock = uniqueName('lock');
        expect(await db.readLock(lock)).toBeUndefined();
        await db.tryLock(lock, 'run-1', 1000);
        expect(await db.readLock(lock)).toEqual({ holder: 'run-1', expiresAt: new Date(T0 + 1000) });
        nowMs += 1000;
        expect(await db.readLock(lock)).toBeUndefined();
        nowMs -= 1000;
        await db.unlock(lock, 'run-1');
        expect(await db.readLock(lock)).toBeUndefined();
      });

      it('refuses a bad ttl or name', async () => {
        await expect(db.tryLock('l', 'a', 0)).rejects.toThrow(/ttlMs 0/);
        await expect(db.tryLock('l', 'a', Number.NaN)).rejects.toThrow(SpecError);
        await expect(db.tryLock('', 'a', 10)).rejects.toThrow(/lock name/);
      });
    });

    describe('heartbeats (issue #8 item 7)', () => {
      const STOPPED = 'the process running it stopped (no heartbeat since 2024-03-01T10:00:00.000+00:00)';

      it('marks a non-terminal run whose heartbeat expired as error, in readRun and listRuns', async () => {
        await db.storeRun(run('hb1', { state: 'running', start: '2024-03-01T09:00:00+00:00' }));
        await db.storeRun(run('hb2', { state: 'running', start: '2024-03-01T09:00:01+00:00' }));
        await db.heartbeat('hb1', 60_000, { project });
        await db.heartbeat('hb2', 60_000, { project });
        nowMs += 59_999;
        expect((await db.readRun('hb1', { project }))?.status?.state).toBe('running');
        expect((await db.listRuns({ project, state: 'running' })).map((r) => r.metadata.uid).sort()).toEqual(['hb1', 'hb2']);
        nowMs += 1;
        const one = await db.readRun('hb1', { project });
        expect(one?.status).toMatchObject({ state: 'error', error: STOPPED });
        const listed = await db.listRuns({ project });
        expect(listed.map((r) => [r.metadata.uid, r.status?.state, r.status?.error])).toEqual([
          ['hb2', 'error', STOPPED],
          ['hb1', 'error', STOPPED],
        ]);
        expect(await db.listRuns({ project, state: 'running' })).toEqual([]);
      });

      it('keeps a run alive while heartbeats come, and leaves runs without heartbeat or in a terminal state alone', async () => {
        await db.storeRun(run('alive', { state: 'running' }));
        await db.storeRun(run('never', { state: 'running' }));
        await db.storeRun(run('done', { state: 'running' }));
        await db.heartbeat('alive', 1000, { project });
        await db.heartbeat('done', 1000, { project });
        await db.updateRun('done', { status: { state: 'completed' } }, { project });
        for (let i = 0; i < 5; i += 1) {
          nowMs += 900;
          await db.heartbeat('alive', 1000, { project });
        }
        nowMs += 999;
        const states = Object.fromEntries((await db.listRuns({ project })).map((r) => [r.metadata.uid, r.status?.state]));
        expect(states).toEqual({ alive: 'running', never: 'running', done: 'completed' });
        expect(await db.expireRuns({ project })).toEqual([]);
        nowMs += 1;
        expect(await db.expireRuns({ project })).toEqual(['alive']);
        expect((await db.readRun('alive', { project }))?.status?.error).toBe('the process running it stopped (no heartbeat since 2024-03-01T10:00:04.500+00:00)');
      });

      it('a heartbeat covers every iteration of the run; an unknown run is NotFoundError', async () => {
        await db.storeRun(run('sweep', { state: 'running' }));
        await db.storeRun(run('sweep', { state: 'running', iteration: 1 }));
        await db.storeRun(run('sweep', { state: 'completed', iteration: 2 }));
        await db.heartbeat('sweep', 10, { project });
        nowMs += 10;
        const all = await db.listRuns({ project, uid: 'sweep' });
        expect(all.map((r) => `${r.metadata.iteration}:${r.status?.state}`)).toEqual(['0:error', '1:error', '2:completed']);
        await expect(db.heartbeat('nope', 10, { project })).rejects.toThrow(NotFoundError);
        await expect(db.heartbeat('sweep', 0, { project })).rejects.toThrow(/expiryMs 0/);
      });
    });

    describe('abort requests (issue #10)', () => {
      it('marks a run with a live heartbeat aborting, and its process learns it from its next heartbeat', async () => {
        await db.storeRun(run('ab1', { state: 'running' }));
        await db.storeRun(run('ab1', { state: 'running', iteration: 1 }));
        await db.storeRun(run('ab1', { state: 'completed', iteration: 2 }));
        expect(await db.heartbeat('ab1', 60_000, { project })).toEqual({ abortRequested: false });
        expect(await db.abortRun('ab1', { project })).toBe('aborting');
        const all = await db.listRuns({ project, uid: 'ab1' });
        expect(all.map((r) => `${r.metadata.iteration}:${r.status?.state}`)).toEqual(['0:aborting', '1:aborting', '2:completed']);
        expect(await db.heartbeat('ab1', 60_000, { project })).toEqual({ abortRequested: true });
        // The process reports its own state from then on; the request stays until the run is stored anew.
        await db.storeRun(run('ab1', { state: 'aborted' }));
        expect(await db.heartbeat('ab1', 60_000, { project })).toEqual({ abortRequested: true });
        expect(await db.listRuns({ project, state: 'aborting' })).toEqual([]);
      });

      it('marks a run that no process reports on aborted at once; one whose process stopped ends aborted', async () => {
        await db.storeRun(run('ab2', { state: 'pending' }));
        expect(await db.abortRun('ab2', { project })).toBe('aborted');
        expect((await db.readRun('ab2', { project }))?.status).toMatchObject({ state: 'aborted', error: 'Run was aborted' });
        await db.storeRun(run('ab3', { state: 'running' }));
        await db.heartbeat('ab3', 1000, { project });
        expect(await db.abortRun('ab3', { project })).toBe('aborting');
        nowMs += 1000;
        expect((await db.readRun('ab3', { project }))?.status).toMatchObject({
          state: 'aborted',
          error: 'Run was aborted; the process running it stopped (no heartbeat since 2024-03-01T10:00:00.000+00:00)',
        });
      });

      it('refuses a run that already ended and an unknown run, naming uid, project and state', async () => {
        await db.storeRun(run('ab4', { state: 'completed' }));
        await expect(db.abortRun('ab4', { project })).rejects.toThrow(`abortRun: run ab4 (project ${project}) already ended completed; there is nothing to abort`);
        expect((await db.readRun('ab4', { project }))?.status?.state).toBe('completed');
        await expect(db.abortRun('nope', { project })).rejects.toThrow(NotFoundError);
        await expect(db.abortRun('nope', { project })).rejects.toThrow(`abortRun: run nope (project ${project}) is not in the run db`);
      });
    });

    describe('schedules', () => {
      const sched = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, project, cron: '*/5 * * * *', created: '2024-03-01T10:00:00+00:00', ...extra });

      it('upserts by project + name, reads back in order, and leaves the caller dict alone', async () => {
        const a = sched('b-sched', { feature_set: { kind: 'FeatureSet', metadata: { name: 'fs' } } });
        const before = structuredClone(a);
        await db.storeSchedule(a);
        expect(a).toEqual(before);
        await db.storeSchedule(sched('a-sched'));
        await db.storeSchedule(sched('a-sched', { last_fire: '2024-03-01T10:05:00+00:00' }));
        const list = await db.listSchedules({ project });
        expect(list.map((d) => d.name)).toEqual(['a-sched', 'b-sched']);
        expect(list[0]).toEqual(sched('a-sched', { last_fire: '2024-03-01T10:05:00+00:00' }));
        expect(list[1]).toEqual(before);
      });

      it('keeps projects apart, defaults the project to "default", and lists every project without a filter', async () => {
        const other = uniqueName('proj');
        await db.storeSchedule(sched('s1'));
        await db.storeSchedule({ ...sched('s1'), project: other, cron: '0 * * * *' });
        expect((await db.listSchedules({ project: other })).map((d) => d.cron)).toEqual(['0 * * * *']);
        const all = await db.listSchedules();
        expect(all.filter((d) => d.project === project || d.project === other).map((d) => `${String(d.project)}/${String(d.name)}`).sort()).toEqual([`${other}/s1`, `${project}/s1`].sort());
        expect(await db.listSchedules({ project: '*' })).toHaveLength(all.length);
        const name = uniqueName('s');
        await db.storeSchedule({ name, cron: '* * * * *' });
        expect((await db.listSchedules({ project: 'default' })).find((d) => d.name === name)).toEqual({ name, project: 'default', cron: '* * * * *' });
        expect(await db.deleteSchedule(name)).toBe(true);
      });

      it('deletes by project + name and says whether there was one', async () => {
        await db.storeSchedule(sched('gone'));
        expect(await db.deleteSchedule('gone', { project: uniqueName('proj') })).toBe(false);
        expect(await db.deleteSchedule('gone', { project })).toBe(true);
        expect(await db.deleteSchedule('gone', { project })).toBe(false);
        expect(await db.listSchedules({ project })).toEqual([]);
      });

      it('refuses a schedule without a name, naming the key', async () => {
        await expect(db.storeSchedule({ project, cron: '* * * * *' })).rejects.toThrow(/schedule name: undefined/);
        await expect(db.storeSchedule({ name: '', project })).rejects.toThrow(SpecError);
        await expect(db.storeSchedule({ name: 's', project: 7 } as unknown as Record<string, unknown>)).rejects.toThrow(/schedule s: project: 7/);
        await expect(db.deleteSchedule('')).rejects.toThrow(/schedule name/);
        const ac = new AbortController();
        ac.abort();
        await expect(db.storeSchedule(sched('x'), { signal: ac.signal })).rejects.toThrow(AbortedError);
        await expect(db.listSchedules({ project, signal: ac.signal })).rejects.toThrow(AbortedError);
        expect(await db.listSchedules({ project })).toEqual([]);
      });
    });

    describe('signals and lifecycle', () => {
      it('rejects with AbortedError on an aborted signal and writes nothing', async () => {
        const ac = new AbortController();
        ac.abort();
        const signal = ac.signal;
        await expect(db.storeRun(run('u1'), { signal })).rejects.toThrow(AbortedError);
        await expect(db.storeLog('u1', 'x', { project, signal })).rejects.toThrow(AbortedError);
        await expect(db.listRuns({ project, signal })).rejects.toThrow(AbortedError);
        expect(await db.readRun('u1', { project })).toBeUndefined();
        await db.storeRun(run('u1'), { signal: new AbortController().signal });
        expect(await db.readRun('u1', { project, signal: new AbortController().signal })).toBeDefined();
      });

      it('shares the store between instances, and refuses calls after close', async () => {
        const second = await factory({ clock });
        await db.storeRun(run('u1', { state: 'completed' }));
        expect((await second.readRun('u1', { project }))?.status?.state).toBe('completed');
        await second.close();
        await second.close();
        await expect(second.readRun('u1', { project })).rejects.toThrow(/after close/);
        expect(await db.readRun('u1', { project })).toBeDefined();
      });
    });
  });
}
