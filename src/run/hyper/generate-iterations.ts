import { SpecError } from '../../errors.js';
import { gridIterations } from './grid.js';
import type { ParamSet } from './hyperparams.js';
import type { HyperOptions } from './hyper-options.js';
import { validateHyperOptions } from './hyper-options.js';
import { listIterations } from './list.js';
import { readParamFile } from './param-file.js';
import type { ReadParamFile } from './param-file.js';
import { randomIterations } from './random.js';

/**
 * The child parameter sets of a hyperparameter run, in iteration order (the caller numbers them from 1 and
 * merges each over the task's parameters). Returns `[]` when there is nothing to sweep: strategy `custom`, or
 * neither hyperparams nor a param file.
 *
 * - `hyperparams` and `options.paramFile` together → SpecError.
 * - A `.csv` param file → list strategy (strategy grid/random → SpecError); any other file is JSON, parsed as
 *   the hyperparams dict.
 * - No strategy → grid.
 *
 * @example
 * ```ts
 * await generateIterations({ p1: [1, 2], p2: ['a', 'b'] }, {});
 * // [{p1:1,p2:'a'}, {p1:2,p2:'a'}, {p1:1,p2:'b'}, {p1:2,p2:'b'}]
 * ```
 */
export async function generateIterations(
  hyperparams: Record<string, unknown[]> | undefined,
  options: HyperOptions = {},
  readFile?: ReadParamFile,
): Promise<ParamSet[]> {
  validateHyperOptions(options);
  const { strategy, paramFile } = options;
  const hasParams = hyperparams !== undefined && hyperparams !== null && Object.keys(hyperparams).length > 0;
  if (hasParams && paramFile) {
    throw new SpecError(`hyperparams and param_file (${paramFile}) cannot be used together; give one of them`);
  }
  if (strategy === 'custom' || (!hasParams && !paramFile)) return [];

  let dict: Record<string, unknown> = hyperparams ?? {};
  let origin = 'hyperparams';
  if (paramFile) {
    const file = await readParamFile(paramFile, readFile);
    if (file.kind === 'csv') {
      if (strategy !== undefined && strategy !== 'list') {
        throw new SpecError(`param file ${paramFile}: a CSV param file needs strategy list, not ${strategy}; use a JSON file for ${strategy}`);
      }
      return file.rows;
    }
    dict = file.hyperparams as Record<string, unknown>;
    origin = `param file ${paramFile}`;
  }
  switch (strategy ?? 'grid') {
    case 'list':
      return listIterations(dict, origin);
    case 'random':
      return randomIterations(dict, options.maxIterations, options.seed, origin);
    default:
      return gridIterations(dict, origin);
  }
}
