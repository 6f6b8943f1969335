/**
 * A small, safe expression language for stop conditions and notification conditions: no `eval`, no
 * `Function`, no calls, and property access limited to own data properties (see `ownMember`).
 *
 * Grammar (loosest first): `or`/`||` · `and`/`&&` · `not`/`!` · comparisons `== != < <= > >=`, `in`,
 * `not in` (chained as Python: `0 < x <= 1`) · `+ -` · `* / %` · unary `- +` · `.name` and `[index]` ·
 * literals (numbers `1`, `2.5`, `1e-3`; strings `'..'`/`".."` with `\` escapes; `true/false/null` and
 * Python's `True/False/None`; lists `[a, b]`), names and `( )`.
 *
 * Values: see `values.ts`. A number beside a numeric string compares and computes as numbers
 * (`"0.95" > 0.9`); other mismatched types are unequal and unordered (`<`/`>` are false); `null` equals
 * `undefined`; arithmetic with a missing value gives `undefined`; division by zero throws.
 *
 * @example
 * ```ts
 * compileExpression('accuracy > 0.9 and loss < 0.2').evaluate({ accuracy: 0.93, loss: 0.1 }); // true
 * evaluateExpression("run.status.state in ['error', 'aborted']", { run }); // boolean
 * ```
 */
import { evaluateNode } from './expression/evaluate.js';
import type { EvaluateOptions } from './expression/evaluate.js';
import { ExpressionError } from './expression/expression-error.js';
import { parse } from './expression/parse.js';

export { ExpressionError } from './expression/expression-error.js';
export type { ExpressionErrorKind } from './expression/expression-error.js';
export type { EvaluateOptions, MissingNames } from './expression/evaluate.js';
export { truthy } from './expression/values.js';

/** Longer sources are refused: conditions are one-liners, and this bounds the evaluator's recursion. */
export const MAX_EXPRESSION_LENGTH = 10_000;

/** A parsed expression, reusable across scopes. */
export interface Expression {
  /** The source text. */
  readonly source: string;
  /** The top-level names the expression reads, in order of first appearance. */
  readonly names: readonly string[];
  /** Evaluates against `scope`; throws ExpressionError on a missing name (unless `missing: 'undefined'`) or a type error. */
  evaluate(scope: Record<string, unknown>, options?: EvaluateOptions): unknown;
}

/** Parses `src` once. Throws ExpressionError (a SpecError) naming the bad token and its column. */
export function compileExpression(src: string): Expression {
  if (typeof src !== 'string') throw new ExpressionError('syntax', `expression: expected a string, got ${JSON.stringify(src)}`);
  if (src.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError('syntax', `expression is ${src.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are allowed`);
  }
  const { root, names } = parse(src);
  return {
    source: src,
    names,
    evaluate: (scope, options) => evaluateNode(src, root, scope, options),
  };
}

/** Parses and evaluates `src` against `scope` in one step. */
export function evaluateExpression(src: string, scope: Record<string, unknown>, options?: EvaluateOptions): unknown {
  return compileExpression(src).evaluate(scope, options);
}
