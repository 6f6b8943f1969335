import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { SluiceError, throwIfAborted } from '../../src/index.js';
import { s3Error } from './s3-error.js';
import type { S3ErrorContext } from './s3-error.js';
import type { ResolvedS3Options } from './s3-options.js';

/**
 * The SDK client for resolved options: retries (`maxAttempts`, `retryMode`) with backoff on throttling, 5xx
 * and network errors; a 10 s connect timeout and a 120 s idle-socket timeout so a dead endpoint never hangs.
 */
export function createS3Client(o: ResolvedS3Options): S3Client {
  return new S3Client({
    region: o.region,
    ...(o.endpoint === undefined ? {} : { endpoint: o.endpoint }),
    forcePathStyle: o.forcePathStyle,
    ...(o.credentials === undefined ? {} : { credentials: o.credentials }),
    maxAttempts: o.maxAttempts,
    retryMode: o.retryMode,
    // S3-compatible servers often reject the newer default checksum headers; AWS accepts either.
    ...(o.endpoint === undefined ? {} : { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
}

/**
 * Deletes up to 1000 keys of one bucket with one DeleteObjects request (missing keys are not an error). Keys
 * S3 could not delete make a `SluiceError` naming the first few with their error codes.
 */
export async function deleteKeys(client: S3Client, bucket: string, keys: string[], op: string, ctx: S3ErrorContext, signal?: AbortSignal): Promise<void> {
  const shown = `s3://${bucket}/${keys[0] ?? ''}${keys.length > 1 ? ` (and ${keys.length - 1} more)` : ''}`;
  throwIfAborted(signal, op, shown);
  let res;
  try {
    res = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }), { abortSignal: signal });
  } catch (err) {
    throw s3Error(op, shown, 'DeleteObjects', { bucket, key: keys[0] ?? '' }, err, ctx);
  }
  const failed = res.Errors ?? [];
  if (failed.length > 0) {
    const named = failed.slice(0, 5).map((e) => `${e.Key ?? '?'} (${e.Code ?? 'error'}: ${e.Message ?? ''})`);
    throw new SluiceError(
      'IO',
      `${op} ${shown}: S3 DeleteObjects on bucket "${bucket}" at ${ctx.endpoint} could not delete ${failed.length} key(s): ${named.join(', ')}; credentials from ${ctx.credentials}`,
      { retryable: failed.some((e) => e.Code === 'SlowDown' || e.Code === 'InternalError') },
    );
  }
}
