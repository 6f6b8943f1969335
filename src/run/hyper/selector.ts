import { SpecError } from '../../errors.js';
import { isNumericString } from '../expression/values.js';

/** A parsed selector: pick the child whose result `key` is the smallest or the largest. */
export interface Selector {
  op: 'min' | 'max';
  key: string;
}

/** A finished child, as {@link selectBest} needs it. */
export interface ChildOutcome {
  iteration: number;
  state: string;
  results: Record<string, unknown>;
}

/** States whose children never win a selection (MLRun's error states). */
const FAILED_STATES: ReadonlySet<string> = new Set(['error', 'aborted']);

/**
 * `"[min.|max.]<result>"`, split at the first dot as MLRun's `parse_selector`: `"accuracy"` → max;
 * `"min.loss"` → min. Any other operator, or an empty result name, is a SpecError.
 */
export function parseSelector(selector: string): Selector {
  if (typeof selector !== 'string') throw new SpecError(`selector: expected a string like "max.accuracy", got ${JSON.stringify(selector)}`);
  const dot = selector.indexOf('.');
  const op = dot < 0 ? 'max' : selector.slice(0, dot).trim();
  const key = (dot < 0 ? selector : selector.slice(dot + 1)).trim();
  if (op !== 'min' && op !== 'max') {
    throw new SpecError(`selector ${JSON.stringify(selector)}: "${op}" is not min or max; write "min.<result>" or "max.<result>"`);
  }
  if (key === '') throw new SpecError(`selector ${JSON.stringify(selector)}: no result name; write e.g. "${op}.accuracy"`);
  return { op, key };
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (isNumericString(value)) return Number(value);
  return undefined;
}

/**
 * The iteration number of the best child, or 0 when none qualifies. Children in `error`/`aborted` state and
 * children whose result is missing or not numeric (numeric strings count) are skipped; ties go to the
 * earlier child in the list. Unlike MLRun, `max` of `[-5, -2]` is `-2`.
 */
export function selectBest(children: readonly ChildOutcome[], selector: string | Selector): number {
  const { op, key } = typeof selector === 'string' ? parseSelector(selector) : selector;
  let best: { iteration: number; value: number } | undefined;
  for (const child of children) {
    if (FAILED_STATES.has(child.state)) continue;
    const results = child.results ?? {};
    const value = numeric(Object.hasOwn(results, key) ? results[key] : undefined);
    if (value === undefined) continue;
    if (best === undefined || (op === 'max' ? value > best.value : value < best.value)) best = { iteration: child.iteration, value };
  }
  return best?.iteration ?? 0;
}
