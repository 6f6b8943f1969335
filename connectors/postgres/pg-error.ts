import { AbortedError, BadInputError, NotFoundError, redact, SluiceError, SpecError } from '../../src/index.js';

interface PgLikeError {
  message?: string;
  code?: string;
}

/**
 * A PostgreSQL or connection error as a {@link SluiceError} whose message starts with `description` (the
 * redacted URL and the relation) and never contains a password: `42P01` (no such table) is a
 * `NotFoundError`, other `42xxx` (syntax, unknown column, privileges) a `SpecError`, `22xxx` (a value that does
 * not convert) a `BadInputError`, and anything else (refused connection, lost server) a retryable IO error.
 * A `SluiceError` passes through unchanged.
 */
export function pgError(err: unknown, description: string, secretValues: readonly string[], signal?: AbortSignal): SluiceError {
  if (err instanceof SluiceError) return err;
  if (signal?.aborted) return new AbortedError(`reading ${description} was aborted`, { cause: signal.reason });
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as PgLikeError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const text = redact(e.message ?? String(err), secretValues);
  const msg = `${description}: ${text}${code && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : code ? ` (${code})` : ''}`;
  if (code === '42P01' || code === '3F000') return new NotFoundError(`${msg}; check attributes.table_name / db_schema`);
  if (code?.startsWith('42')) return new SpecError(msg);
  if (code?.startsWith('22')) return new BadInputError(msg);
  return new SluiceError('IO', msg, { retryable: true });
}
