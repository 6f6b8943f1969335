import { randomInt } from 'node:crypto';
import { hyperEntries } from './hyperparams.js';
import type { ParamSet } from './hyperparams.js';
import { DEFAULT_MAX_ITERATIONS } from './hyper-options.js';
import { mulberry32 } from './prng.js';

/**
 * `maxIterations` samples, each parameter drawn independently and uniformly from its list (as MLRun's
 * `random.sample(values, 1)`); samples may repeat. The same `seed` gives the same sequence; without a seed a
 * fresh one is drawn.
 */
export function randomIterations(
  hyperparams: Record<string, unknown>,
  maxIterations: number = DEFAULT_MAX_ITERATIONS,
  seed: number = randomInt(0, 2 ** 32),
  origin?: string,
): ParamSet[] {
  const entries = hyperEntries(hyperparams, origin);
  if (entries.length === 0) return [];
  const next = mulberry32(seed);
  return Array.from({ length: maxIterations }, () =>
    Object.fromEntries(entries.map(([name, values]) => [name, values[Math.floor(next() * values.length)]])),
  );
}
