import { SpecError } from '../../errors.js';
import { compileExpression } from '../expression.js';
import { parseSelector } from '../../model/hyper-param-options.js';

/** How child parameter sets are generated, as MLRun's `HyperParamStrategies`. */
export type HyperStrategy = 'grid' | 'list' | 'random' | 'custom';

/** The strategies Sluice knows. */
export const HYPER_STRATEGIES: readonly HyperStrategy[] = ['grid', 'list', 'random', 'custom'];

/** Plain hyperparameter options (MLRun's `HyperParamOptions`, camelCase). */
export interface HyperOptions {
  /** Default `grid` (`list` for a CSV param file). */
  strategy?: HyperStrategy;
  /** Number of random samples; only with `random`; default 10. */
  maxIterations?: number;
  /** Seed of the random strategy; the same seed gives the same sequence. Default: a fresh random seed. */
  seed?: number;
  /** `[min.|max.]<result>`, see {@link parseSelector}. */
  selector?: string;
  /** An expression over a child's results; the sweep stops when it is true. */
  stopCondition?: string;
  /** The sweep stops when the number of failed children exceeds this (MLRun default 3). */
  maxErrors?: number;
  /** Children run at the same time. */
  parallelRuns?: number;
  /** A CSV (list strategy) or JSON (hyperparams dict) file; exclusive with hyperparams. */
  paramFile?: string;
}

/** MLRun's default for `maxIterations` of the random strategy. */
export const DEFAULT_MAX_ITERATIONS = 10;

/** MLRun's default for `maxErrors`. */
export const DEFAULT_MAX_ERRORS = 3;

function checkInteger(name: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new SpecError(`hyper_param_options.${name}: ${JSON.stringify(value)} is not an integer >= ${min}`);
  }
}

/**
 * Checks options once, at the edge: a known strategy, `maxIterations` only with `random`, integer counts,
 * a valid selector and a stop condition that parses. Throws SpecError naming the option and the value.
 */
export function validateHyperOptions(options: HyperOptions): void {
  const { strategy } = options;
  if (strategy !== undefined && !HYPER_STRATEGIES.includes(strategy)) {
    throw new SpecError(`hyper_param_options.strategy: ${JSON.stringify(strategy)} is not one of ${HYPER_STRATEGIES.join(', ')}`);
  }
  if (options.maxIterations !== undefined && strategy !== 'random') {
    throw new SpecError(
      `hyper_param_options.max_iterations: ${JSON.stringify(options.maxIterations)} is only valid with strategy random (strategy is ${strategy ?? 'grid'})`,
    );
  }
  checkInteger('max_iterations', options.maxIterations, 1);
  checkInteger('max_errors', options.maxErrors, 0);
  checkInteger('parallel_runs', options.parallelRuns, 1);
  if (options.seed !== undefined && (typeof options.seed !== 'number' || !Number.isFinite(options.seed))) {
    throw new SpecError(`hyper_param_options.seed: ${JSON.stringify(options.seed)} is not a number`);
  }
  if (options.selector !== undefined) parseSelector(options.selector);
  if (options.stopCondition !== undefined) compileExpression(options.stopCondition);
}
