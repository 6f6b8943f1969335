import { compileExpression, truthy } from '../expression.js';
import type { Expression } from '../expression.js';

/**
 * Whether a sweep stops after a successful child: `stopCondition` (e.g. `"accuracy > 0.9"`) is evaluated
 * against the child's results with the safe expression language. A result the child did not report is
 * `undefined`, so the condition is false rather than an error. A condition that does not parse, or that
 * mixes types in arithmetic, throws ExpressionError (check it up front with `validateHyperOptions`).
 */
export function shouldStop(stopCondition: string | Expression | undefined, childResults: Record<string, unknown> | undefined): boolean {
  if (stopCondition === undefined || stopCondition === '') return false;
  const expr = typeof stopCondition === 'string' ? compileExpression(stopCondition) : stopCondition;
  return truthy(expr.evaluate(childResults ?? {}, { missing: 'undefined' }));
}
