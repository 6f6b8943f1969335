import { SpecError } from '../../errors.js';

/** Parameter name → the values to try. */
export type HyperParams = Record<string, unknown[]>;

/** One child's parameters. */
export type ParamSet = Record<string, unknown>;

/**
 * Checks that `value` is a map of non-empty lists and returns its entries in order.
 * @param origin where the dict came from, for messages (`hyperparams` or the param file's path)
 */
export function hyperEntries(value: unknown, origin = 'hyperparams'): Array<[string, unknown[]]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpecError(`${origin}: expected a map of parameter name to a list of values, got ${JSON.stringify(value)}`);
  }
  return Object.entries(value).map(([name, values]) => {
    if (!Array.isArray(values)) throw new SpecError(`${origin}.${name}: ${JSON.stringify(values)} is not a list of values`);
    if (values.length === 0) throw new SpecError(`${origin}.${name}: the list of values is empty; give at least one value`);
    return [name, values];
  });
}
