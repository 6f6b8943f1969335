import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { bestIteration, newTask, run, sweepIterations } from '../../../connectors/index.js';
import type { RunContext, RunDB, SweepIteration } from '../../../connectors/index.js';
import { tempRunDB } from '../../support/temp-run-db.js';

let dir: string;
let db: RunDB;
let done: () => Promise<void>;
beforeEach(async () => ({ dir, db, done } = await tempRunDB()));
afterEach(async () => done());

describe('typed hyperparameter handlers', () => {
  it('ctx.params has the handler\'s type; the best iteration comes back typed with its params and results', async () => {
    const task = newTask({ name: 'threshold', params: { metric: 'f1' } }).withHyperParams({ threshold: [10, 20, 30] }, 'max.accuracy');
    const sweep = await run(task, async (ctx: RunContext<{ threshold: number; metric: string }>) => {
      expectTypeOf(ctx.params.threshold).toEqualTypeOf<number>();
      return { accuracy: 1 - Math.abs(ctx.params.threshold - 20) / 100, metric: ctx.params.metric };
    }, { db, cwd: dir });
    expect(await sweep.state()).toBe('completed');

    const best = bestIteration(sweep);
    expectTypeOf(best).toEqualTypeOf<SweepIteration<{ threshold: number; metric: string }, { accuracy: number; metric: string }> | undefined>();
    expect(best).toEqual({ iteration: 2, state: 'completed', params: { metric: 'f1', threshold: 20 }, results: { accuracy: 1, metric: 'f1' } });
    expect(best?.params.threshold).toBe(20);

    const all = sweepIterations(sweep);
    expect(all.map((i) => [i.iteration, i.params.threshold, i.results.accuracy])).toEqual([[1, 10, 0.9], [2, 20, 1], [3, 30, 0.9]]);
  });

  it('a failed child is listed without results; no selector means no best iteration', async () => {
    const task = newTask({ name: 'plain' }).withHyperParams({ x: [1, 2] });
    const sweep = await run(task, (ctx: RunContext<{ x: number }>) => {
      if (ctx.params.x === 2) throw new Error('x is 2');
      return { y: ctx.params.x * 2 };
    }, { db, cwd: dir });
    expect(bestIteration(sweep)).toBeUndefined();
    expect(sweepIterations(sweep)).toEqual([
      { iteration: 1, state: 'completed', params: { x: 1 }, results: { y: 2 } },
      { iteration: 2, state: 'error', params: { x: 2 }, results: {} },
    ]);
  });

  it('a plain run has no iterations', async () => {
    const r = await run(newTask({ name: 'one', params: { a: 1 } }), (ctx: RunContext<{ a: number }>) => ({ b: ctx.params.a }), { db, cwd: dir });
    expect(await r.output('b')).toBe(1);
    expect(sweepIterations(r)).toEqual([]);
    expect(bestIteration(r)).toBeUndefined();
  });
});
