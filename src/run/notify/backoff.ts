import { AbortedError } from '../../errors.js';

/** Exponential backoff: the wait before retry number `retry` (1-based) is `baseMs * 2^(retry-1)`. */
export function retryDelay(retry: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, retry - 1);
}

/** Waits `ms`; rejects with an `AbortedError` as soon as `signal` aborts (or at once if it already has). */
export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError('the wait before a retry was aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError('the wait before a retry was aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
