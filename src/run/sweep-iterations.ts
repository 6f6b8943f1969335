import type { RunObject } from './run-object.js';
import type { RunParams } from './run-context.js';

declare const runTypes: unique symbol;

/**
 * A {@link RunObject} that remembers, in the type only, the params `P` its handler declared and the results `R`
 * it returned, so that {@link bestIteration} and {@link sweepIterations} give them back typed.
 */
export type TypedRun<P extends object = RunParams, R = unknown> = RunObject & { readonly [runTypes]?: { params: P; results: R } };

/** The results type of a handler that returned `R`: `R` when it returned a map, else any map of results. */
export type ResultsOf<R> = R extends object ? R : Record<string, unknown>;

/** One child of a hyperparameter sweep: its number (from 1), final state, full params and results. */
export interface SweepIteration<P extends object = RunParams, R = Record<string, unknown>> {
  iteration: number;
  state: string;
  /** The task's params merged with this child's hyperparameters (what its `ctx.params` held). */
  params: P;
  /** The child's results; a failed child has none. */
  results: R;
}

/**
 * Every child of a sweep, in iteration order, read from the parent's child table (`status.iterations`, MLRun's
 * `iteration_results`). A plain run gives `[]`. A null result cell is left out of `results`.
 *
 * @example
 * for (const it of sweepIterations(sweep)) console.log(it.iteration, it.params.threshold, it.results.accuracy);
 */
export function sweepIterations<P extends object, R>(r: TypedRun<P, R>): Array<SweepIteration<P, ResultsOf<R>>> {
  const [header, ...rows] = r.status.iterations ?? [];
  if (!header) return [];
  const names = header.map(String);
  const base = r.spec.parameters ?? {};
  return rows.map((row) => {
    const params: Record<string, unknown> = { ...base };
    const results: Record<string, unknown> = {};
    let iteration = 0;
    let state = '';
    names.forEach((name, i) => {
      const v = row[i];
      if (name === 'iter') iteration = Number(v);
      else if (name === 'state') state = String(v);
      else if (name.startsWith('param.')) params[name.slice(6)] = v;
      else if (name.startsWith('output.') && v !== null && v !== undefined) results[name.slice(7)] = v;
    });
    return { iteration, state, params: params as P, results: results as ResultsOf<R> };
  });
}

/**
 * The best child of a sweep by its selector (`max.accuracy`), typed by the handler: its params and results.
 * Undefined for a plain run, a sweep without a selector, or when no child qualified.
 *
 * @example
 * const sweep = await run(task, async (ctx: RunContext<{ threshold: number }>) => ({ accuracy: score(ctx.params.threshold) }));
 * const best = bestIteration(sweep); // { iteration, state, params: { threshold: number }, results: { accuracy: number } }
 */
export function bestIteration<P extends object, R>(r: TypedRun<P, R>): SweepIteration<P, ResultsOf<R>> | undefined {
  const best = r.status.results?.best_iteration;
  if (typeof best !== 'number' || best < 1) return undefined;
  return sweepIterations(r).find((it) => it.iteration === best);
}
