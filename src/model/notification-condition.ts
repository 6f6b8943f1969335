import { SpecError } from '../errors.js';
import { compileExpression, truthy } from '../util/expression.js';
import type { Expression } from '../util/expression.js';

/** The names a notification condition may read (MLRun renders it with `run` and `notification` in scope). */
export const CONDITION_NAMES: readonly string[] = ['run', 'notification'];

/** Rendered values MLRun's `condition_evaluator` counts as false (compared lower-cased). */
const FALSE_WORDS: ReadonlySet<string> = new Set(['0', 'no', 'n', 'f', 'false', 'off']);

/** A parsed notification condition: MLRun's Jinja form `{{ ... }}` or Sluice's bare expression. */
export interface NotificationCondition {
  readonly source: string;
  /** Written as one Jinja expression `{{ ... }}`; its value is read as MLRun reads the rendered text. */
  readonly jinja: boolean;
  readonly expression: Expression;
}

const JINJA = /^\s*\{\{([\s\S]*)\}\}\s*$/;

/**
 * Parses a notification condition; `undefined` when it is empty (no condition). Two forms:
 * - MLRun's Jinja template reduced to one expression, `{{ run["status"]["results"]["accuracy"] > 0.9 }}` (also
 *   `run.status.results.accuracy`): comparisons, `and`/`or`/`not`, `in`, arithmetic and literals;
 * - a bare expression, `run.status.results.accuracy > 0.9`.
 * Anything else (text around the braces, `{% %}` statements, filters, several blocks, names other than `run` and
 * `notification`) is a {@link SpecError} naming `path`: MLRun would send such a notification unconditionally.
 */
export function parseNotificationCondition(condition: string, path: string): NotificationCondition | undefined {
  if (condition.trim() === '') return undefined;
  const m = JINJA.exec(condition);
  const templated = /\{\{|\}\}|\{%|%\}|\{#|#\}/.test(condition);
  const inner = m?.[1];
  if (templated && (inner === undefined || /\{\{|\}\}|\{%|%\}/.test(inner))) {
    throw new SpecError(
      `${path}: ${JSON.stringify(condition)} is not a supported condition; expected one Jinja expression "{{ ... }}" such as {{ run.status.results.accuracy > 0.9 }}, with nothing around it`,
    );
  }
  let expression: Expression;
  try {
    expression = compileExpression(inner ?? condition);
  } catch (err) {
    throw new SpecError(`${path}: ${(err as Error).message}`);
  }
  const stray = expression.names.find((n) => !CONDITION_NAMES.includes(n));
  if (stray !== undefined) {
    throw new SpecError(
      `${path}: ${JSON.stringify(condition)} reads "${stray}"; a condition sees only ${CONDITION_NAMES.join(' and ')}, e.g. {{ run.status.results.accuracy > 0.9 }}`,
    );
  }
  return { source: condition, jinja: inner !== undefined, expression };
}

/**
 * Whether a parsed condition holds for `scope` (`{ run, notification }`). A bare expression counts by
 * truthiness. A Jinja expression is false when its value is false, null or missing, `0`, or a string MLRun's
 * evaluator reads as false (`0 no n f false off`, any case); else true. A member the run lacks is missing, so a
 * comparison with it is false. Throws the expression's error when it cannot be evaluated (a type error).
 */
export function conditionHolds(condition: NotificationCondition, scope: Record<string, unknown>): boolean {
  const value = condition.expression.evaluate(scope);
  if (!condition.jinja) return truthy(value);
  if (value === null || value === undefined || value === false || value === 0) return false;
  return !(typeof value === 'string' && FALSE_WORDS.has(value.trim().toLowerCase()));
}
