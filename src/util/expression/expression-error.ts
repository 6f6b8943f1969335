import { SpecError } from '../../errors.js';
import type { SluiceErrorOptions } from '../../errors.js';

/** What went wrong in an expression: it does not parse, names a missing identifier, or mixes types. */
export type ExpressionErrorKind = 'syntax' | 'missing' | 'type';

/**
 * An expression that does not parse or cannot be evaluated. The message quotes the expression and, for syntax
 * errors, the offending token and its 1-based column; `position` is the 0-based offset into the source.
 */
export class ExpressionError extends SpecError {
  readonly kind: ExpressionErrorKind;
  readonly position: number | undefined;

  constructor(kind: ExpressionErrorKind, message: string, position?: number, options?: SluiceErrorOptions) {
    super(message, options);
    this.kind = kind;
    this.position = position;
  }
}

/** A syntax error in `source` at offset `pos`, quoting the expression and the column. */
export function syntaxError(source: string, pos: number, what: string): ExpressionError {
  return new ExpressionError('syntax', `expression ${JSON.stringify(source)}: ${what} at column ${pos + 1}`, pos);
}
