import { hyperEntries } from './hyperparams.js';
import type { ParamSet } from './hyperparams.js';

/**
 * The cartesian product of the parameter lists, the FIRST parameter varying fastest (MLRun's `grid_to_list`):
 * `{ p1: [1, 2], p2: ['a', 'b'] }` → `(1,a) (2,a) (1,b) (2,b)`.
 */
export function gridIterations(hyperparams: Record<string, unknown>, origin?: string): ParamSet[] {
  const entries = hyperEntries(hyperparams, origin);
  if (entries.length === 0) return [];
  const total = entries.reduce((n, [, values]) => n * values.length, 1);
  const out: ParamSet[] = [];
  for (let i = 0; i < total; i += 1) {
    const set: ParamSet = {};
    let rest = i;
    for (const [name, values] of entries) {
      set[name] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    out.push(set);
  }
  return out;
}
