import { SpecError } from '../errors.js';
import { fields, T } from './field.js';
import { assignFields, ModelObj, PATH } from './model-obj.js';

/** How hyperparameter combinations are generated (MLRun's `HyperParamStrategies`). */
export type HyperParamStrategy = 'grid' | 'list' | 'random' | 'custom';
export const HYPER_PARAM_STRATEGIES: readonly HyperParamStrategy[] = ['grid', 'list', 'random', 'custom'];

/** A parsed selector: pick the child whose result `name` is the smallest (`min`) or largest (`max`). */
export interface Selector {
  op: 'min' | 'max';
  name: string;
}

const SELECTOR_RE = /^(?:(min|max)\.(\S+)|([^\s.]+))$/;

/**
 * Parses a selector `[min.|max.]<result>` (MLRun's `parse_selector`); no prefix means `max`. A result name
 * may contain dots only after an explicit `min.`/`max.` prefix. Throws a {@link SpecError} naming `what`.
 *
 * @example
 * parseSelector('min.loss'); // { op: 'min', name: 'loss' }
 * parseSelector('accuracy'); // { op: 'max', name: 'accuracy' }
 */
export function parseSelector(selector: string, what = 'selector'): Selector {
  const m = SELECTOR_RE.exec(selector);
  if (!m) {
    throw new SpecError(
      `${what}: ${JSON.stringify(selector)} is not a selector; expected "[min.|max.]<result>" such as "max.accuracy" or "min.loss"`,
    );
  }
  return m[1] ? { op: m[1] as 'min' | 'max', name: m[2] as string } : { op: 'max', name: m[3] as string };
}

export interface HyperParamOptionsOptions {
  paramFile?: string;
  strategy?: HyperParamStrategy;
  selector?: string;
  stopCondition?: string;
  parallelRuns?: number;
  daskClusterUri?: string;
  maxIterations?: number;
  maxErrors?: number;
  teardownDask?: boolean;
  seed?: number;
}

/**
 * Hyperparameter options (MLRun's `mlrun.model.HyperParamOptions`), validated at construction.
 * - `strategy`: grid (default when unset), list, random or custom (no generator; the handler iterates).
 * - `selector`: `[min.|max.]<result>`; `stopCondition`: an expression over a child's results
 *   (`accuracy > 0.9`), evaluated by the runner's safe expression parser.
 * - `maxIterations` (random only; the runner defaults it to 10), `maxErrors` (stop when exceeded),
 *   `parallelRuns` (children run concurrently).
 * - `seed` is Sluice's: it makes the random strategy reproducible (random only).
 * - `daskClusterUri` and `teardownDask` are kept so MLRun specs load; Sluice has no Dask and ignores them.
 *
 * @example
 * new HyperParamOptions({ strategy: 'random', maxIterations: 20, seed: 7, selector: 'min.loss' });
 */
export class HyperParamOptions extends ModelObj {
  static override readonly fields = fields([
    ['paramFile', 'param_file', T.string],
    ['strategy', 'strategy', T.enum(HYPER_PARAM_STRATEGIES)],
    ['selector', 'selector', T.string],
    ['stopCondition', 'stop_condition', T.string],
    ['parallelRuns', 'parallel_runs', T.intIn(1, 1024)],
    ['daskClusterUri', 'dask_cluster_uri', T.string],
    ['maxIterations', 'max_iterations', T.intIn(1, 1_000_000)],
    ['maxErrors', 'max_errors', T.intIn(0, 1_000_000)],
    ['teardownDask', 'teardown_dask', T.boolean],
    ['seed', 'seed', T.intIn(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)],
  ]);

  paramFile?: string;
  strategy?: HyperParamStrategy;
  selector?: string;
  stopCondition?: string;
  parallelRuns?: number;
  daskClusterUri?: string;
  maxIterations?: number;
  maxErrors?: number;
  teardownDask?: boolean;
  seed?: number;

  constructor(options: HyperParamOptionsOptions = {}) {
    super();
    assignFields(this, HyperParamOptions, options);
    const path = (options as Record<symbol, unknown> | undefined)?.[PATH];
    this.validate(typeof path === 'string' ? path : 'HyperParamOptions');
  }

  /**
   * Checks the options as a whole (MLRun's `validate`); called at construction, call it again after
   * changing properties. Errors name the field and its value.
   */
  validate(path = 'HyperParamOptions'): void {
    const fail = (key: string, value: unknown, expected: string): never => {
      throw new SpecError(`${path}.${key}: ${JSON.stringify(value)} ${expected}`);
    };
    if (this.strategy !== undefined && !HYPER_PARAM_STRATEGIES.includes(this.strategy)) {
      fail('strategy', this.strategy, `is not a strategy; expected one of ${HYPER_PARAM_STRATEGIES.join(', ')}`);
    }
    const strategy = this.strategy ?? 'grid';
    if (this.maxIterations !== undefined) {
      if (strategy !== 'random') {
        fail('max_iterations', this.maxIterations, `is only allowed with strategy "random" (strategy is "${strategy}")`);
      }
      if (!Number.isInteger(this.maxIterations) || this.maxIterations < 1) fail('max_iterations', this.maxIterations, 'is not a positive integer');
    }
    if (this.seed !== undefined) {
      if (strategy !== 'random') fail('seed', this.seed, `is only allowed with strategy "random" (strategy is "${strategy}")`);
      if (!Number.isInteger(this.seed)) fail('seed', this.seed, 'is not an integer');
    }
    if (this.parallelRuns !== undefined && (!Number.isInteger(this.parallelRuns) || this.parallelRuns < 1)) {
      fail('parallel_runs', this.parallelRuns, 'is not a positive integer');
    }
    if (this.maxErrors !== undefined && (!Number.isInteger(this.maxErrors) || this.maxErrors < 0)) {
      fail('max_errors', this.maxErrors, 'is not a non-negative integer');
    }
    if (this.selector !== undefined) parseSelector(this.selector, `${path}.selector`);
    if (this.stopCondition !== undefined && this.stopCondition.trim() === '') {
      fail('stop_condition', this.stopCondition, 'is empty; expected an expression such as "accuracy > 0.9"');
    }
    if (this.paramFile !== undefined && this.paramFile.trim() === '') fail('param_file', this.paramFile, 'is empty; expected a path or URL');
  }
}
