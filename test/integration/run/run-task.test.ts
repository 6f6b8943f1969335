import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/run/run-task.js';
import { RunObject } from '../../../src/run/run-object.js';
import type { RunDB } from '../../../src/run/db/run-db.js';
import { newTask } from '../../../src/model/new-task.js';
import { tempRunDB } from '../../support/temp-run-db.js';

let dir: string;
let db: RunDB;
let done: () => Promise<void>;
beforeEach(async () => ({ dir, db, done } = await tempRunDB()));
afterEach(async () => done());

const opts = () => ({ db, cwd: dir });

describe('run()', () => {
  it('runs a handler: created → running → completed, with params, results, logs and artifacts', async () => {
    const seen: string[] = [];
    const r = await run(newTask({ name: 'train', project: 'p1', params: { lr: 0.5 } }).setLabel('team', 'ml'), async (ctx) => {
      seen.push((await db.readRun(ctx.uid, { project: 'p1' }))?.status?.state ?? '');
      ctx.logger.info(`lr is ${String(ctx.params.lr)}`);
      await ctx.logArtifact('model', { body: { weights: [1, 2] } });
      ctx.logResult('loss', 0.25);
      return { accuracy: 0.9 };
    }, opts());
    expect(seen).toEqual(['running']);
    expect(r).toBeInstanceOf(RunObject);
    expect(await r.state()).toBe('completed');
    expect(r.metadata.name).toBe('train');
    expect(r.metadata.labels).toEqual({ team: 'ml' });
    expect(await r.output('accuracy')).toBe(0.9);
    expect(await r.outputs).toMatchObject({ accuracy: 0.9, loss: 0.25 });
    expect(JSON.parse(await (await r.artifact('model'))!.asString())).toEqual({ weights: [1, 2] });
    expect(await r.output('model')).toBe((await r.artifact('model'))!.path);
    const logs = await r.logs({ write: () => undefined });
    expect(logs.text).toMatch(/INFO {2}lr is 0.5\n$/);
    expect(r.status.startTime).toBeInstanceOf(Date);
    expect(r.uiUrl).toBe(`sluice runs show ${r.uid} --project p1`);
    const listed = await db.listRuns({ project: 'p1' });
    expect(listed.map((x) => x.metadata.uid)).toEqual([r.uid]);
  });

  it('records a thrown error as state error with its message', async () => {
    const r = await run(newTask({ name: 'bad' }), () => {
      throw new Error('column amount is missing');
    }, opts());
    expect(await r.state()).toBe('error');
    expect(r.error).toBe('column amount is missing');
    expect((await r.logs({ write: () => undefined })).text).toContain('run failed: column amount is missing');
    await expect(r.waitForCompletion({ sleep: 0.01 })).rejects.toThrow(/ended error: column amount is missing/);
    expect(await r.waitForCompletion({ sleep: 0.01, raiseOnFailure: false })).toBe('error');
  });

  it('aborts through an AbortSignal', async () => {
    const ac = new AbortController();
    const p = run(newTask({ name: 'slow' }), (ctx) => new Promise((_res, rej) => {
      ctx.signal.addEventListener('abort', () => rej(new Error('stopped')));
      setTimeout(() => ac.abort(), 20);
    }), { ...opts(), signal: ac.signal });
    const r = await p;
    expect(await r.state()).toBe('aborted');
    expect(r.error).toBe('Run was aborted');
  });

  it('marks a handler that ignores the signal aborted after the grace period', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 10);
    const r = await run(newTask({ name: 'stubborn' }), () => new Promise((res) => setTimeout(res, 2000)), { ...opts(), signal: ac.signal, abortGraceMs: 50 });
    expect(await r.state()).toBe('aborted');
  });

  it('returns at once with wait: false; waitForCompletion polls the db, with logs and timeout', async () => {
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    const r = await run(newTask({ name: 'bg' }), async (ctx) => {
      ctx.logger.info('started');
      await gate;
      return { n: 1 };
    }, { ...opts(), wait: false });
    expect(await r.state()).toBe('running');
    await expect(r.waitForCompletion({ sleep: 0.01, timeout: 0.05 })).rejects.toThrow(/still running after 0.05 s/);
    setTimeout(release, 30);
    let printed = '';
    expect(await r.waitForCompletion({ sleep: 0.01, showLogs: true, write: (t) => (printed += t) })).toBe('completed');
    expect(printed).toContain('started');
    expect(await r.output('n')).toBe(1);
  });

  it('logs({ watch }) follows the log until the run ends', async () => {
    const r = await run(newTask({ name: 'w' }), async (ctx) => {
      for (let i = 0; i < 3; i++) {
        ctx.logger.info(`step ${i}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    }, { ...opts(), wait: false });
    let out = '';
    const res = await r.logs({ watch: true, interval: 0.01, write: (t) => (out += t) });
    expect(res.state).toBe('completed');
    expect(out.match(/step \d/g)).toEqual(['step 0', 'step 1', 'step 2']);
  });

  it('maps return values to returns log hints', async () => {
    const r = await run(newTask({ name: 'ret', returns: ['score', 'report : file'] }), () => [0.7, 'all good'], opts());
    expect(await r.output('score')).toBe(0.7);
    expect(await (await r.artifact('report'))!.asString()).toBe('all good');
    const bad = await run(newTask({ name: 'ret2', returns: ['a', 'b'] }), () => [1], opts());
    expect(bad.error).toMatch(/returns lists 2 log hints but the handler returned 1 values/);
  });

  it('show() and toJSON({ exclude }) describe the run', async () => {
    const r = await run(newTask({ name: 'show', params: { x: 1 } }), () => ({ y: 2 }), opts());
    let text = '';
    r.show((t) => (text += t));
    expect(text).toMatch(/state\s+completed/);
    expect(text).toMatch(/results\s+y=2/);
    const j = r.toJSON({ exclude: ['spec'] });
    expect(Object.keys(j).sort()).toEqual(['metadata', 'status']);
    expect(JSON.parse(JSON.stringify(r)).status.state).toBe('completed');
  });
});

describe('secrets', () => {
  it('gives secrets to the handler and never stores their values in logs, records or errors', async () => {
    const secretFile = join(dir, 'secrets.env');
    await writeFile(secretFile, 'DB_PASSWORD=hunter2-file\n');
    const task = newTask({ name: 'sec', secrets: [`file=${secretFile}`, 'env=API_TOKEN'] }).withSecrets('inline', { INLINE_KEY: 'inline-s3cr3t' });
    const r = await run(task, (ctx) => {
      const all = [ctx.getSecret('DB_PASSWORD'), ctx.getSecret('API_TOKEN'), ctx.getSecret('INLINE_KEY')];
      ctx.logger.info(`connecting with ${all.join(' ')}`);
      ctx.logResult('echo', all.join('|'));
      throw new Error(`auth failed for password hunter2-file`);
    }, { ...opts(), env: { API_TOKEN: 'tok-env-123' } });
    expect(await r.state()).toBe('error');
    expect(r.error).toBe('auth failed for password ***');
    const stored = JSON.stringify(await db.readRun(r.uid));
    const logs = (await db.getLog(r.uid)).text;
    for (const v of ['hunter2-file', 'tok-env-123', 'inline-s3cr3t']) {
      expect(stored).not.toContain(v);
      expect(logs).not.toContain(v);
    }
    expect(logs).toContain('connecting with *** *** ***');
    expect(stored).toContain('API_TOKEN');
    expect(stored).toContain(secretFile);
  });

  it('a missing env secret named in withSecrets is a warning line in the run log', async () => {
    const r = await run(newTask({ name: 's3' }).withSecrets('env', 'DB_PASSWORD,API_TOKEN'), (ctx) => ctx.getSecret('DB_PASSWORD') ?? 'none', {
      ...opts(),
      env: { API_TOKEN: 'tok-env-123' },
    });
    expect(await r.state()).toBe('completed');
    expect(await r.output('return')).toBe('none');
    const logs = (await db.getLog(r.uid)).text;
    expect(logs).toMatch(/WARN {2}secret DB_PASSWORD: environment variable DB_PASSWORD is not set; ctx.getSecret\('DB_PASSWORD'\) returns undefined\n/);
    expect(logs).not.toContain('API_TOKEN');
  });

  it('fails the run with a clear error for a missing secrets file', async () => {
    const r = await run(newTask({ name: 's2', secrets: [`file=${join(dir, 'nope.env')}`] }), () => 1, opts());
    expect(await r.state()).toBe('error');
    expect(r.error).toContain('nope.env');
  });
});

describe('short secret values', () => {
  for (const value of ['a', '1', 'eu', 'true', 'f1', '20']) {
    it(`DB_PASSWORD=${value}: the run record is stored as given; logs, errors and result text hide the value where it stands alone`, async () => {
      const task = newTask({ name: 'short', params: { metric: 'f1', threshold: 20, region: 'eu-west-1', flag: 'true' } }).withSecrets('env', 'DB_PASSWORD');
      const r = await run(task, (ctx) => {
        ctx.logger.info(`password is ${ctx.getSecret('DB_PASSWORD') ?? ''}; metadata and status stay readable`);
        return { echo: ctx.getSecret('DB_PASSWORD'), metric: 'accuracy', score: 1 };
      }, { ...opts(), env: { DB_PASSWORD: value } });
      expect(await r.state()).toBe('completed');
      const stored = await db.readRun(r.uid);
      expect(stored?.metadata.name).toBe('short');
      expect(stored?.spec?.parameters).toEqual({ metric: 'f1', threshold: 20, region: 'eu-west-1', flag: 'true' });
      expect(String(stored?.status?.start_time)).toBe(r.status.startTime?.toISOString().replace('Z', '+00:00'));
      expect(stored?.status?.results).toEqual({ echo: '***', metric: 'accuracy', score: 1 });
      const logs = (await db.getLog(r.uid)).text;
      expect(logs).toContain('password is ***; metadata and status stay readable');
      expect(logs).toContain('WARN  secret DB_PASSWORD: value shorter than 4 characters, or literal word: logs and errors hide it only where it stands alone');
      const failed = await run(newTask({ name: 'short-err' }).withSecrets('env', 'DB_PASSWORD'), () => {
        throw new Error(`login with ${value} refused`);
      }, { ...opts(), env: { DB_PASSWORD: value } });
      expect(failed.error).toBe('login with *** refused');
    });
  }
});

describe('hyperparameter sweeps', () => {
  it('grid: first parameter fastest, iterations from 1, best_iteration and iteration_results', async () => {
    const task = newTask({ name: 'grid' }).withHyperParams({ p1: [1, 2], p2: [10, 30] }, 'max.score');
    const order: Array<[number, unknown, unknown]> = [];
    const r = await run(task, (ctx) => {
      order.push([ctx.iteration, ctx.params.p1, ctx.params.p2]);
      return { score: Number(ctx.params.p1) * Number(ctx.params.p2) - (ctx.iteration === 4 ? 1000 : 0) };
    }, opts());
    expect(order).toEqual([[1, 1, 10], [2, 2, 10], [3, 1, 30], [4, 2, 30]]);
    expect(await r.state()).toBe('completed');
    expect(await r.output('best_iteration')).toBe(3);
    expect(await r.output('score')).toBe(30);
    expect(r.status.iterations?.[0]).toEqual(['state', 'iter', 'param.p1', 'param.p2', 'output.score']);
    expect(r.status.iterations).toHaveLength(5);
    const csv = await (await r.artifact('iteration_results'))!.asString();
    expect(csv.split('\n')[1]).toBe('completed,1,1,10,10');
    const children = await db.listRuns({ uid: r.uid });
    expect(children.map((c) => c.metadata.iteration).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('min selector compares negatives correctly', async () => {
    const r = await run(newTask({ name: 'neg' }).withHyperParams({ x: [-5, -2, -9] }, 'max.v'), (ctx) => ({ v: ctx.params.x }), opts());
    expect(await r.output('best_iteration')).toBe(2);
    const m = await run(newTask({ name: 'neg2' }).withHyperParams({ x: [-5, -2, -9] }, 'min.v'), (ctx) => ({ v: ctx.params.x }), opts());
    expect(await m.output('best_iteration')).toBe(3);
  });

  it('list strategy and a CSV param file', async () => {
    const listRun = await run(newTask({ name: 'list' }).withHyperParams({ a: [1, 2, 3], b: ['x', 'y', 'z'] }, undefined, 'list'), (ctx) => ({ s: `${String(ctx.params.a)}${String(ctx.params.b)}` }), opts());
    expect(listRun.status.iterations?.slice(1).map((row) => row.at(-1))).toEqual(['1x', '2y', '3z']);
    const csv = join(dir, 'params.csv');
    await writeFile(csv, 'a,b\n1,2\n3,4\n');
    const fileRun = await run(newTask({ name: 'pf' }).withParamFile(csv, 'max.sum', 'list'), (ctx) => ({ sum: Number(ctx.params.a) + Number(ctx.params.b) }), opts());
    expect(await fileRun.output('best_iteration')).toBe(2);
  });

  it('random strategy is reproducible with a seed', async () => {
    const go = async () => {
      const seen: unknown[] = [];
      await run(newTask({ name: 'rnd' }).withHyperParams({ a: [1, 2, 3, 4, 5, 6, 7, 8] }, undefined, 'random', { maxIterations: 5, seed: 42 }), (ctx) => {
        seen.push(ctx.params.a);
      }, opts());
      return seen;
    };
    const a = await go();
    expect(a).toHaveLength(5);
    expect(await go()).toEqual(a);
  });

  it('stop_condition stops launching children', async () => {
    const r = await run(newTask({ name: 'stop' }).withHyperParams({ x: [1, 2, 3, 4, 5] }, 'max.acc', undefined, { stopCondition: 'acc >= 0.3' }), (ctx) => ({ acc: Number(ctx.params.x) / 10 }), opts());
    expect(r.status.iterations).toHaveLength(4);
    expect(await r.output('best_iteration')).toBe(3);
  });

  it('a failing child makes the parent error only when all fail or max_errors is exceeded', async () => {
    const some = await run(newTask({ name: 'some' }).withHyperParams({ x: [1, 2, 3] }, 'max.v'), (ctx) => {
      if (ctx.params.x === 2) throw new Error('boom');
      return { v: ctx.params.x };
    }, opts());
    expect(await some.state()).toBe('completed');
    expect(await some.output('best_iteration')).toBe(3);
    const all = await run(newTask({ name: 'all' }).withHyperParams({ x: [1, 2] }), () => {
      throw new Error('boom');
    }, opts());
    expect(await all.state()).toBe('error');
    expect(all.error).toBe('2 of 2 tasks failed');
    const many = await run(newTask({ name: 'many' }).withHyperParams({ x: [1, 2, 3, 4, 5, 6] }, undefined, undefined, { maxErrors: 1 }), (ctx) => {
      if (Number(ctx.params.x) <= 3) throw new Error('boom');
    }, opts());
    expect(await many.state()).toBe('error');
    expect(many.error).toBe('2 of 2 tasks failed (max_errors=1 exceeded)');
  });

  it('parallel_runs runs children concurrently', async () => {
    let active = 0;
    let peak = 0;
    const r = await run(newTask({ name: 'par' }).withHyperParams({ x: [1, 2, 3, 4, 5, 6] }, undefined, undefined, { parallelRuns: 3 }), async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((res) => setTimeout(res, 30));
      active--;
    }, opts());
    expect(await r.state()).toBe('completed');
    expect(peak).toBe(3);
    const logs = await readFile((await r.artifact('iteration_results'))!.path, 'utf8');
    expect(logs.trim().split('\n')).toHaveLength(7);
  });
});
