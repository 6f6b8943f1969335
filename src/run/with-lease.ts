import { errorMessage } from '../errors.js';
import type { RunDB } from '../run/db/run-db.js';

/** Lease settings of {@link withLease}. */
export interface LeaseOptions {
  /** How long the lease lasts without renewal (default 60 s); a crashed holder's lease expires after it. */
  ttlMs?: number;
  /** How often the holder renews it while working (default ttl / 3). */
  renewMs?: number;
  /** Called when a renewal fails or finds the lease taken by another holder; the work is then aborted. */
  onLost?: (reason: string) => void;
  /** How long to wait for a lease another holder has (default 0: give up at once). */
  waitMs?: number;
  /** How often to try again while waiting (default 250 ms). */
  pollMs?: number;
  /** Aborts the wait. */
  signal?: AbortSignal;
}

/** Default lease of a scheduled run or an ingestion. */
export const DEFAULT_LEASE_TTL_MS = 60_000;

/**
 * Runs `fn` while holding the run-db lease lock `name` for `holder`, renewing it every `renewMs`, and releases
 * it afterwards. Returns `{ acquired: false }` without calling `fn` when another holder has it (after waiting up to
 * `waitMs` for it to be released or to expire). If a renewal
 * finds the lease lost (this process stalled past the ttl and another took over), the signal given to `fn`
 * aborts, so two holders never keep working at once for longer than one renewal period.
 */
export async function withLease<T>(
  db: RunDB,
  name: string,
  holder: string,
  fn: (signal: AbortSignal) => Promise<T>,
  o: LeaseOptions = {},
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const ttlMs = o.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const deadline = Date.now() + (o.waitMs ?? 0);
  while (!(await db.tryLock(name, holder, ttlMs))) {
    const left = deadline - Date.now();
    if (left <= 0 || o.signal?.aborted) return { acquired: false };
    await new Promise((r) => setTimeout(r, Math.min(left, o.pollMs ?? 250)));
  }
  const lost = new AbortController();
  const lose = (reason: string) => {
    if (lost.signal.aborted) return;
    o.onLost?.(reason);
    lost.abort(new Error(reason));
  };
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = db.tryLock(name, holder, ttlMs).then(
      (held) => held || lose(`lock ${name}: lost to another holder (renewal came after the ${ttlMs} ms lease ran out)`),
      (err: unknown) => lose(`lock ${name}: renewal failed: ${errorMessage(err)}`),
    );
  }, o.renewMs ?? Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();
  try {
    return { acquired: true, value: await fn(lost.signal) };
  } finally {
    clearInterval(timer);
    await renewing.catch(() => undefined);
    await db.unlock(name, holder).catch(() => undefined);
  }
}
