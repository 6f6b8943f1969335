import { SpecError } from '../../errors.js';
import { hyperEntries } from './hyperparams.js';
import type { ParamSet } from './hyperparams.js';

/**
 * Rows of equal-length lists: the i-th child takes the i-th value of every parameter.
 * Lists of different lengths are a SpecError naming every parameter and its length.
 */
export function listIterations(hyperparams: Record<string, unknown>, origin?: string): ParamSet[] {
  const entries = hyperEntries(hyperparams, origin);
  if (entries.length === 0) return [];
  const lengths = new Set(entries.map(([, values]) => values.length));
  if (lengths.size > 1) {
    const got = entries.map(([name, values]) => `${name}: ${values.length}`).join(', ');
    throw new SpecError(`${origin ?? 'hyperparams'}: the list strategy needs lists of equal length; got ${got}`);
  }
  const rows = (entries[0] as [string, unknown[]])[1].length;
  return Array.from({ length: rows }, (_, i) => Object.fromEntries(entries.map(([name, values]) => [name, values[i]])));
}
