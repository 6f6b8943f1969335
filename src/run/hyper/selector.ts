import { parseSelector } from '../../model/hyper-param-options.js';
import type { Selector } from '../../model/hyper-param-options.js';
import { isNumericString } from '../../util/expression/values.js';

/** A finished child, as {@link selectBest} needs it. */
export interface ChildOutcome {
  iteration: number;
  state: string;
  results: Record<string, unknown>;
}

/** States whose children never win a selection (MLRun's error states). */
const FAILED_STATES: ReadonlySet<string> = new Set(['error', 'aborted']);


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
  const { op, name: key } = typeof selector === 'string' ? parseSelector(selector) : selector;
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
