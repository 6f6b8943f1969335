/**
 * Every error Sluice raises on purpose is a {@link SluiceError}: it carries a stable `code`, says whether a
 * retry can help, and its message names what failed, the offending value and the fix.
 */
export type ErrorCode =
  | 'SPEC_INVALID'
  | 'NOT_SUPPORTED'
  | 'NOT_FOUND'
  | 'BAD_INPUT'
  | 'IO'
  | 'RUN_FAILED'
  | 'ABORTED'
  | 'TIMEOUT'
  | 'CONFLICT';

export interface SluiceErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: SluiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** A spec (a dict, a YAML file, constructor options) that does not fit the model. */
export class SpecError extends SluiceError {
  constructor(message: string, options?: SluiceErrorOptions) {
    super('SPEC_INVALID', message, options);
  }
}

/** Something MLRun has that Sluice deliberately does not do. */
export class NotSupportedError extends SluiceError {
  constructor(message: string, options?: SluiceErrorOptions) {
    super('NOT_SUPPORTED', message, options);
  }
}

/** A run, file, key or record that does not exist. */
export class NotFoundError extends SluiceError {
  constructor(message: string, options?: SluiceErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

/** Data that does not parse: names the file, row, column and value. */
export class BadInputError extends SluiceError {
  constructor(message: string, options?: SluiceErrorOptions) {
    super('BAD_INPUT', message, options);
  }
}

/** The operation was cancelled through an AbortSignal. */
export class AbortedError extends SluiceError {
  constructor(message = 'the operation was aborted', options?: SluiceErrorOptions) {
    super('ABORTED', message, options);
  }
}

/** A wait ran out of time. */
export class TimeoutError extends SluiceError {
  constructor(message: string, options?: SluiceErrorOptions) {
    super('TIMEOUT', message, options);
  }
}

/** The message of any thrown value, without its stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
