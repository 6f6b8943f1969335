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
}

/** Default lease of a scheduled run. */
export const DEFAULT_LEASE_TTL_MS = 60_000;

/**
 * Runs `fn` while holding the run-db lease lock `name` for `holder`, renewing it every `renewMs`, and releases
 * it afterwards. Returns `{ acquired: false }` without calling `fn` when another holder has it. If a renewal
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
  if (!(await db.tryLock(name, holder, ttlMs))) return { acquired: false };
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
