import { AbortedError, NotFoundError, SluiceError } from '../errors.js';

/** Node error codes after which the same call may succeed if retried. */
const RETRYABLE_CODES = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR', 'ETIMEDOUT', 'ECONNRESET', 'EWOULDBLOCK']);

const DESCRIPTIONS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a parent of the path is a file, not a directory)',
  EISDIR: 'is a directory, expected a file',
  ENOTEMPTY: 'directory is not empty',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EXDEV: 'cannot rename across devices',
  EAGAIN: 'resource temporarily unavailable; retry',
  EBUSY: 'resource busy; retry',
  EMFILE: 'too many open files; retry',
  ENFILE: 'too many open files in the system; retry',
};

/** The Node `code` of a thrown value (`ENOENT`, ...), if any. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns an error thrown by a file-system call into a {@link SluiceError} whose message names the operation
 * and the path, e.g. `read /x/y.parquet: no such file`. A missing file becomes a `NotFoundError`; busy or
 * temporarily unavailable resources are `retryable`. A `SluiceError` passes through unchanged.
 */
export function storageError(op: string, path: string, err: unknown): SluiceError {
  if (err instanceof SluiceError) return err;
  if ((err as { name?: unknown } | null)?.name === 'AbortError') return new AbortedError(`${op} ${path}: aborted`, { cause: err });
  const code = errnoCode(err);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new NotFoundError(`${op} ${path}: ${DESCRIPTIONS[code]}`, { cause: err });
  const described = code === undefined ? undefined : DESCRIPTIONS[code];
  const detail = described ?? (err instanceof Error ? err.message : String(err));
  const suffix = code !== undefined && described !== undefined ? ` (${code})` : '';
  return new SluiceError('IO', `${op} ${path}: ${detail}${suffix}`, { cause: err, retryable: code !== undefined && RETRYABLE_CODES.has(code) });
}

/** Throws an `AbortedError` naming the operation and path when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, op: string, path: string): void {
  if (signal?.aborted) throw new AbortedError(`${op} ${path}: aborted`, { cause: signal.reason });
}
