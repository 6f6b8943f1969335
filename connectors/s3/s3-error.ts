import { AbortedError, NotFoundError, SluiceError, redactUrl } from '../../src/index.js';
import type { S3Location } from './s3-path.js';

/** What an error message says about the file system besides the call: endpoint and credentials' origin. */
export interface S3ErrorContext {
  /** `http://127.0.0.1:9000`, or `AWS S3 (us-east-1)`. */
  endpoint: string;
  /** From `ResolvedS3Options.credentialsDescription`; never holds a secret. */
  credentials: string;
}

/** Node network error codes that mean the endpoint could not be reached (retryable). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
const THROTTLING = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestTimeout']);

const AUTH_DETAILS: Record<string, string> = {
  AccessDenied: 'access denied',
  AllAccessDisabled: 'access denied (all access to this object has been disabled)',
  InvalidAccessKeyId: 'the access key id is not known to the endpoint (InvalidAccessKeyId)',
  SignatureDoesNotMatch: 'the secret key does not match the access key id (SignatureDoesNotMatch)',
  ExpiredToken: 'the session token has expired (ExpiredToken)',
  InvalidToken: 'the session token is invalid (InvalidToken)',
};

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** The Node network code of an error or of the first of an AggregateError's errors. */
function networkCode(err: SdkErrorShape): string | undefined {
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return err.code;
  if (err.name === 'TimeoutError') return 'ETIMEDOUT';
  if (Array.isArray(err.errors)) {
    for (const e of err.errors as SdkErrorShape[]) {
      if (typeof e?.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    }
  }
  return undefined;
}

/** The S3 error code of an SDK error (`NoSuchKey`, `AccessDenied`, ...); `Unknown` for a bodiless HEAD answer. */
export function s3ErrorCode(err: unknown): string | undefined {
  const name = (err as SdkErrorShape | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The HTTP status of an SDK error, if the server answered. */
export function s3Status(err: unknown): number | undefined {
  return (err as SdkErrorShape | null)?.$metadata?.httpStatusCode;
}

/** True for a missing key (GetObject `NoSuchKey`, HeadObject `NotFound`), not for a missing bucket. */
export function isNoSuchKey(err: unknown): boolean {
  const code = s3ErrorCode(err);
  return code === 'NoSuchKey' || code === 'NotFound' || (s3Status(err) === 404 && code !== 'NoSuchBucket' && code !== 'NoSuchUpload');
}

/**
 * Turns an error of an S3 call into a {@link SluiceError} whose message starts with the operation and path
 * (`read s3://b/k: ...`) and names the S3 call, bucket, key, endpoint and where the credentials came from:
 * a missing key or bucket is a `NotFoundError`; 403 answers (AccessDenied, InvalidAccessKeyId,
 * SignatureDoesNotMatch) say what to check; an unreachable endpoint, throttling and 5xx answers (after the
 * SDK's retries) are `retryable`. A `SluiceError` passes through unchanged.
 */
export function s3Error(op: string, path: string, s3Call: string, loc: S3Location, err: unknown, ctx: S3ErrorContext): SluiceError {
  if (err instanceof SluiceError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  if (e.name === 'AbortError') return new AbortedError(`${op} ${path}: aborted`, { cause: err });
  const code = s3ErrorCode(err);
  const status = s3Status(err);
  const attempts = e.$metadata?.attempts;
  const where = `S3 ${s3Call} on bucket "${loc.bucket}"${loc.key === '' ? '' : `, key "${loc.key}"`} at ${ctx.endpoint}`;
  const creds = `credentials from ${ctx.credentials}`;
  const after = attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '';

  if (code === 'NoSuchBucket') {
    return new NotFoundError(`${op} ${path}: bucket "${loc.bucket}" does not exist (${where}); create it or fix the path`, { cause: err });
  }
  if (isNoSuchKey(err)) return new NotFoundError(`${op} ${path}: no such key (${where})`, { cause: err });
  if (status === 403 || (code !== undefined && code in AUTH_DETAILS)) {
    const detail = code !== undefined && code in AUTH_DETAILS ? AUTH_DETAILS[code] : 'access denied or invalid credentials (HTTP 403; HEAD answers carry no error code)';
    return new SluiceError('IO', `${op} ${path}: ${detail} (${where}; ${creds}); check the credentials and the bucket policy`, { cause: err });
  }
  const net = networkCode(e);
  if (net !== undefined) {
    return new SluiceError('IO', `${op} ${path}: cannot reach the S3 endpoint ${ctx.endpoint} (${net})${after} (${where}); check that the endpoint is up and endpoint_url is right`, {
      cause: err,
      retryable: true,
    });
  }
  if ((code !== undefined && THROTTLING.has(code)) || (status !== undefined && status >= 500)) {
    return new SluiceError('IO', `${op} ${path}: S3 is throttling or failing (HTTP ${status ?? '?'} ${code ?? ''})${after} (${where}); retry later`, { cause: err, retryable: true });
  }
  const message = typeof e.message === 'string' ? e.message : String(err);
  return new SluiceError('IO', `${op} ${path}: ${code ?? 'error'}: ${message}${status === undefined ? '' : ` (HTTP ${status})`} (${where}; ${creds})`, { cause: err });
}

/** `http://host:port` of a custom endpoint (credentials in it redacted), or `AWS S3 (<region>)`. */
export function describeEndpoint(endpoint: string | undefined, region: string): string {
  return endpoint === undefined ? `AWS S3 (${region})` : redactUrl(endpoint);
}
